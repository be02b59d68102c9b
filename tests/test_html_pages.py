"""The four kinds of HTML page work offline and pass axe-core (issue 13.2-13.4):
the HTML edition of the årsrapport, the executed notebooks' pages, the diff page and the
validation report. Each is opened from file:// in headless Chromium (Debian's chromium,
tests/browser.py) with every request that would leave the machine blocked and recorded:
none may be made, no console or script error may occur, and axe-core may report no
critical or serious violation. Static checks of the same pages run without a browser.

Real pages come from the session's one build (`built`); the diff and validation pages
are made from it and from the small hand-made export (no extra build)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import Browser, why_no_browser
from conftest import BUILD_YEAR, kaa

NO_BROWSER = why_no_browser()
needs_browser = pytest.mark.skipif(NO_BROWSER is not None, reason=f"no browser for the HTML page tests: {NO_BROWSER}")
SCOPES = ("stad", "globen")  # the city (unsuppressed) and a jobbtorg (suppressed)


# ---------------------------------------------------------------- the pages


@pytest.fixture(scope="session")
def pages(built, synth_dir, tmp_path_factory) -> dict[str, Path]:
    """One page per kind and scope: {"edition/stad": path, "notebook/globen": path, ...}."""
    from exports import write_small_export
    from fake_build import write_build
    from test_diff import RUNS, _globen_arbete  # noqa: F401 (RUNS: the labels the CLI uses)

    root = tmp_path_factory.mktemp("pages")
    out = {}
    for s in SCOPES:
        out[f"edition/{s}"] = built / str(BUILD_YEAR) / s / f"arsrapport-{BUILD_YEAR}-{s}.html"
        out[f"notebook/{s}"] = built / str(BUILD_YEAR) / s / "notebooks" / "arsrapport.html"
    # the diff of the build against itself, and of two hand-made builds with flagged changes
    kaa("diff", "--run", str(built), "--run", str(built), "--year", str(BUILD_YEAR), "--dest", str(root / "same"))
    out["diff/build"] = root / "same" / f"diff-{BUILD_YEAR}-korningar.html"
    a, b = root / "a", root / "b"
    write_build(a)
    write_build(b, now=_globen_arbete(12))
    kaa("diff", "--run", str(a), "--run", str(b), "--year", "2023", "--dest", str(root / "flagged"), check=False)
    out["diff/flagged"] = root / "flagged" / "diff-2023-korningar.html"
    # the validation report of a valid export and of a broken one
    kaa("validate", "--data", str(synth_dir), "--out", str(root / "ok"))
    out["validation/ok"] = root / "ok" / "validation" / "index.html"
    def unknown_verksamhet(df):
        df.loc[0, "verksamhet"] = "okänd"
        return df

    broken = write_small_export(root / "broken", insatser=unknown_verksamhet)
    kaa("validate", "--data", str(broken), "--out", str(root / "bad"), check=False)
    out["validation/broken"] = root / "bad" / "validation" / "index.html"
    for name, p in out.items():
        assert p.is_file(), f"{name}: {p} was not written"
    return out


KINDS = [f"edition/{s}" for s in SCOPES] + [f"notebook/{s}" for s in SCOPES] + [
    "diff/build", "diff/flagged", "validation/ok", "validation/broken"]


# ---------------------------------------------------------------- static checks


class Outline(HTMLParser):
    """Headings, images, tables and remote references of a page."""

    def __init__(self):
        super().__init__()
        self.lang, self.headings, self.imgs, self.remote, self.scripts = None, [], [], [], 0
        self.tables = []  # per table: [has caption, number of th]
        self._stack = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.imgs.append(a.get("alt"))
        if tag == "script":
            self.scripts += 1
        for k in ("src", "href"):
            v = a.get(k) or ""
            if tag != "a" and re.match(r"(https?:)?//", v):
                self.remote.append(v)
        if tag == "table":
            self.tables.append([False, 0])
        if tag == "caption" and self.tables:
            self.tables[-1][0] = True
        if tag == "th" and self.tables:
            self.tables[-1][1] += 1


def outline(path: Path) -> Outline:
    o = Outline()
    o.feed(path.read_text(encoding="utf-8"))
    return o


@pytest.mark.parametrize("kind", KINDS)
def test_page_is_swedish_and_loads_nothing(pages, kind):
    o = outline(pages[kind])
    assert o.lang == "sv", f"{kind}: lang={o.lang!r}"
    assert o.remote == [], f"{kind} refers to other hosts: {o.remote[:3]}"
    assert all(alt and alt.strip() and "No description" not in alt for alt in o.imgs), f"{kind}: an image without alt text"
    assert o.tables and all(cap and th for cap, th in o.tables), f"{kind}: a table without caption or header cells"


@pytest.mark.parametrize("scope", SCOPES)
def test_edition_is_one_file_with_the_report(pages, scope):
    path = pages[f"edition/{scope}"]
    text = path.read_text(encoding="utf-8")
    o = outline(path)
    assert o.scripts == 0
    assert o.headings[0] == 1 and o.headings.count(1) == 1, "one h1: the title"
    assert all(b - a <= 1 for a, b in zip(o.headings, o.headings[1:])), f"a heading level skipped: {o.headings}"
    assert len(o.imgs) == 9, "Diagram 1-8 and Figur 1"  # embedded, each with its alt text (checked above)
    assert all(src.startswith("data:image/") for src in re.findall(r'<img[^>]*src="([^"]+)"', text))
    for n in range(1, 7):
        assert f"<caption>Tabell {n}. " in text
    assert "<th scope=\"colgroup\" colspan=\"2\">Till studier eller arbete</th>" in text  # Tabell 5/6, as in the PDF
    assert re.search(r"\d\u00a0\d{3}", text) and "\u00a0%" in text  # Swedish numbers: 1 231, 54 %
    assert "Bilaga: Förändringar mot föregående år" in text
    assert '<meta name="viewport"' in text


@pytest.mark.parametrize("scope", SCOPES)
def test_notebook_page_has_swedish_headers_and_no_machine_paths(pages, built, scope):
    text = pages[f"notebook/{scope}"].read_text(encoding="utf-8")
    assert "studier_arbete_andel" not in text and "andel_avslutade" not in text
    assert "Till studier eller arbete" in text and "Tabell 5. " in text
    assert str(built) not in text and ".pkl" not in text and "/tmp/" not in text
    assert f'scope</span> <span class="o">=</span> <span class="s2">"{scope}"' in text  # the parameters that matter stay
    assert '<div class="jp-InputPrompt' not in text and "cdnjs" not in text and "require.js" not in text


def test_diff_page_names_columns_as_the_report(pages):
    text = pages["diff/flagged"].read_text(encoding="utf-8")
    assert "<td>varde</td>" not in text and "<td>Värde</td>" in text
    assert "<td>Till arbete, andel</td>" in text  # Tabell 5's arbete_andel
    assert "<main>" in text and "<caption>" in text


def test_validation_page_shows_the_broken_rule(pages):
    text = pages["validation/broken"].read_text(encoding="utf-8")
    assert "Exporten följer inte datakontraktet" in text
    assert "insatser.csv, kolumn verksamhet: verksamhet ska vara en av" in text
    assert not list(pages["validation/broken"].parent.glob("validations"))  # no GX Data Docs left


# ---------------------------------------------------------------- in the browser


@pytest.fixture(scope="module")
def browser():
    with Browser() as b:
        yield b


@needs_browser
@pytest.mark.parametrize("kind", KINDS)
def test_page_works_offline_and_passes_axe(pages, browser, kind, tmp_path):
    r = browser.check(pages[kind], screenshot=tmp_path / "page.png")
    assert r.offsite == [], f"{kind} tried to load {r.offsite[:3]}"
    assert r.page_errors == [] and r.console_errors == [], f"{kind}: {r.page_errors + r.console_errors}"
    assert r.serious() == [], f"{kind}: axe-core {r.counts()}:\n" + "\n".join(r.serious())


@needs_browser
@pytest.mark.parametrize("width", [375, 640])  # a phone; 200 % zoom of a 1280 px window
def test_edition_reflows_on_a_phone_and_at_200_percent(pages, browser, width):
    r = browser.check(pages["edition/stad"], width=width)
    assert r.overflow <= 0, f"the page is {r.overflow} px wider than a {width} px window"
    assert r.serious() == [], "\n".join(r.serious())


@needs_browser
def test_the_harness_sees_a_cdn_script_and_a_missing_alt(browser, tmp_path):
    """The checks above could fail: a page with a CDN script and an image without alt."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><head><title>x</title>"
                    "<script src='https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js'></script>"
                    "</head><body><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='></body></html>")
    r = browser.check(page)
    assert r.offsite == ["https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"]
    assert r.console_errors  # the blocked load is an error in the console
    assert {v["id"] for v in r.violations} >= {"html-has-lang", "image-alt"}
    assert any("image-alt" in s for s in r.serious())
