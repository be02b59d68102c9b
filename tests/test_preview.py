"""`kaa-report preview`: one rebuild line per save, Ctrl-C ends it."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

from conftest import BUILD_YEAR

from kaa_report.errors import KaaError
from kaa_report.paths import REPORT
from kaa_report.pipeline import preview


def test_watch_builds_once_at_start_and_once_per_change(tmp_path):
    src = tmp_path / "text"
    src.mkdir()
    f = src / "inledning.md"
    f.write_text("Första versionen.\n")
    calls, lines = [], []

    def edit_later():
        time.sleep(0.6)
        f.write_text("Andra versionen, längre.\n")

    t = threading.Thread(target=edit_later)
    t.start()
    preview.watch(lambda: calls.append(1), [src], lines.append, poll=0.05, rounds=1)
    t.join()
    assert len(calls) == 2 and len(lines) == 2
    assert lines[0].endswith("s)") and "start" in lines[0]
    assert "inledning.md ändrad" in lines[1]


def test_a_save_made_while_the_first_build_runs_gives_one_more_build(tmp_path):
    """The author saves while the build runs (the end-to-end test below saves just after
    the first line): the save must not be taken for the state the build read."""
    f = tmp_path / "inledning.md"
    f.write_text("Första versionen.\n")
    calls, lines = [], []

    def build_while_the_author_saves():
        calls.append(1)
        if len(calls) == 1:
            f.write_text("Sparad under bygget, längre.\n")

    # a watch that missed the save is ended by another file, so the test fails rather than hangs
    t = threading.Timer(10, lambda: (tmp_path / "stopp.md").write_text("x"))
    t.start()
    try:
        preview.watch(build_while_the_author_saves, [tmp_path], lines.append, poll=0.05, rounds=1)
    finally:
        t.cancel()
    assert len(calls) == 2 and "inledning.md ändrad" in lines[1], lines


def test_the_output_folder_is_not_watched_even_inside_a_watched_one(tmp_path):
    (tmp_path / "text.md").write_text("a")
    (tmp_path / "output" / "2023").mkdir(parents=True)
    (tmp_path / "output" / "2023" / "arsrapport.pdf").write_text("pdf")
    assert sorted(preview.snapshot([tmp_path], tmp_path / "output")) == [str(tmp_path / "text.md")]
    assert len(preview.snapshot([tmp_path])) == 2


def test_a_failing_build_is_one_line_and_the_watch_goes_on(tmp_path):
    def broken():
        raise KaaError("exporten är ogiltig; inget under utdatamappen har ändrats.\npersoner.csv: kon")

    lines = []
    preview.rebuild(broken, "start", lines.append)
    assert len(lines) == 1 and "fel" in lines[0] and "exporten är ogiltig" in lines[0] and "personer.csv" not in lines[0]


def test_changes_are_seen_in_new_changed_and_removed_files(tmp_path):
    (tmp_path / "a.md").write_text("a")
    before = preview.snapshot([tmp_path])
    (tmp_path / "b.md").write_text("b")
    os.utime(tmp_path / "a.md", ns=(1, 1))
    after = preview.snapshot([tmp_path])
    assert preview.changed(before, after) == [str(tmp_path / "a.md"), str(tmp_path / "b.md")]
    (tmp_path / "b.md").unlink()
    assert preview.changed(after, preview.snapshot([tmp_path])) == [str(tmp_path / "b.md")]


def _lines(stream, q):
    for line in stream:
        q.put(line)


def test_preview_rebuilds_after_a_save_and_stops_on_ctrl_c(synth_dir, tmp_path):
    """A real preview: the first build, then a saved text gives one more line; SIGINT ends it."""
    out = tmp_path / "out"
    p = subprocess.Popen([sys.executable, "-m", "kaa_report", "preview", "--year", str(BUILD_YEAR), "--scope", "kista",
                          "--data", str(synth_dir), "--out", str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    q: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(p.stdout, q), daemon=True).start()
    text = next(f for f in sorted((REPORT / "text" / str(BUILD_YEAR)).rglob("*")) if f.is_file())
    st = text.stat()
    try:
        assert "Förhandsgranskar" in q.get(timeout=60)
        first = q.get(timeout=900)
        assert "start" in first and "fel" not in first, first
        assert list((out / str(BUILD_YEAR) / "kista").glob("arsrapport*.pdf"))
        os.utime(text)  # the author saves the file
        second = q.get(timeout=300)
        assert f"{text.name} ändrad" in second and "fel" not in second, second
        time.sleep(1.5)
        assert q.empty()  # one line per save
        p.send_signal(signal.SIGINT)
        assert p.wait(timeout=60) == 0
        rest = p.stdout.read() if not p.stdout.closed else ""
        time.sleep(0.2)
        tail = "".join(list(q.queue)) + rest
        assert "avslutad" in tail
    finally:
        os.utime(text, ns=(st.st_atime_ns, st.st_mtime_ns))
        if p.poll() is None:
            p.kill()
            p.wait()
