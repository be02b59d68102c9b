"""Swapping a scope folder in atomically: a link swapped in one rename; old versions of that scope removed, no other's."""
from __future__ import annotations

import os

from kaa_report.pipeline.swap import VERSIONS, swap_in


def _folder(root, name, text):
    d = root / name
    d.mkdir()
    (d / "nyckeltal.json").write_text(text)
    return d


def test_swap_in_keeps_other_scopes(tmp_path):
    year = tmp_path / "2023"
    year.mkdir()
    swap_in(_folder(tmp_path, "a", "syd v1"), year / "kaa-syd")
    swap_in(_folder(tmp_path, "b", "kaa v1"), year / "kaa")      # "kaa-" is a prefix of "kaa-syd-…"
    swap_in(_folder(tmp_path, "c", "kaa v2"), year / "kaa")
    assert (year / "kaa-syd" / "nyckeltal.json").read_text() == "syd v1"
    assert (year / "kaa" / "nyckeltal.json").read_text() == "kaa v2"
    assert (year / "kaa").is_symlink() and os.readlink(year / "kaa").startswith(VERSIONS)
    assert sorted(p.name.rsplit("-", 1)[0] for p in (year / VERSIONS).iterdir()) == ["kaa", "kaa-syd"]


def test_a_folder_from_before_links_is_moved_aside(tmp_path):
    year = tmp_path / "2023"
    (year / "stad").mkdir(parents=True)
    (year / "stad" / "old.txt").write_text("old")
    swap_in(_folder(tmp_path, "n", "new"), year / "stad")
    assert (year / "stad" / "nyckeltal.json").read_text() == "new" and not (year / "stad" / "old.txt").exists()
