"""End to end: `kaa-report build --scope all` writes every output of the contract, and the
jobbtorg scopes add up to the city."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import BUILD_YEAR, kaa

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCOPES = ["stad", "globen", "skarholmen", "vallingby", "kista", "saknar-stadsdel"]


def _nt(built: Path, scope: str, name: str = "nyckeltal.json") -> dict:
    return json.loads((built / str(BUILD_YEAR) / scope / name).read_text(encoding="utf-8"))


def test_every_contract_output_exists(built):
    checker = SHARED / "tools" / "check_outputs.py"
    if not checker.exists():
        pytest.skip("../shared/tools/check_outputs.py is not beside the repository")
    p = subprocess.run([sys.executable, str(checker), str(built), str(BUILD_YEAR)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout
    assert "393/393" in p.stdout


def test_scope_folder_contents(built):
    for s in SCOPES:
        d = built / str(BUILD_YEAR) / s
        for f in ["nyckeltal_foregaende_ar.json", "figur_1.png", "figur_1.svg", "manifest.json",
                  "notebooks/arsrapport.ipynb", "notebooks/arsrapport.html"]:
            assert (d / f).is_file() and (d / f).stat().st_size > 0, f"{s}/{f}"


def test_counts_in_nyckeltal_are_ints_and_shares_unrounded(built):
    nt = _nt(built, "stad")
    assert isinstance(nt["omfattade"], int) and isinstance(nt["kontaktforsok"], int)
    assert nt["omfattade"] == nt["omfattade_k"] + nt["omfattade_m"]
    assert nt["studier_andel"] == pytest.approx(nt["avslutade_studier"] / nt["avslutade"], abs=0)


def test_jobbtorg_scopes_add_up_to_the_city(built):
    city = _nt(built, "stad")
    parts = [_nt(built, s) for s in SCOPES[1:]]
    counts = [k for k, v in parts[0].items() if isinstance(v, int) and not isinstance(v, bool)]
    assert len(counts) > 40
    for k in counts:
        assert sum(p[k] for p in parts) == city[k], k


def test_tabell_5_rows_are_the_jobbtorg_scopes(built):
    t5 = pd.read_csv(built / str(BUILD_YEAR) / "stad" / "tabell_5.csv")
    assert list(t5["rad"]) == ["Jobbtorg Globen", "Jobbtorg Skärholmen", "Jobbtorg Vällingby", "Jobbtorg Kista",
                               "Saknar stadsdel", "Totalt"]
    for row, scope in zip(t5.itertuples(), SCOPES[1:]):
        nt = _nt(built, scope)
        assert (row.inskrivna, row.avslutade, row.studier_antal, row.arbete_antal) == (
            nt["inskrivna"], nt["avslutade"], nt["avslutade_studier"], nt["avslutade_arbete"])
    tot = t5.iloc[-1]
    assert tot["inskrivna"] == t5["inskrivna"][:-1].sum()
    assert tot["studier_arbete_antal"] == tot["studier_antal"] + tot["arbete_antal"]


def test_tabell_6_is_last_years_tabell_5(built):
    t6 = pd.read_csv(built / str(BUILD_YEAR) / "stad" / "tabell_6.csv")
    prev = _nt(built, "stad", "nyckeltal_foregaende_ar.json")
    assert t6.iloc[-1]["avslutade"] == prev["avslutade"]


def test_manifest(built, synth_dir):
    m = _nt(built, "kista", "manifest.json")
    from kaa_report.contract.read import sha256

    assert m["inputs"]["personer.csv"] == sha256(synth_dir / "personer.csv")
    assert m["parameters"]["scope"] == "kista" and m["year"] == BUILD_YEAR
    assert "pandas" in m["packages"] and m["git_commit"]


def test_invalid_data_changes_nothing(built, tmp_path, synth_dir):
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in synth_dir.glob("*.csv"):
        (bad / f.name).write_bytes(f.read_bytes())
    text = (bad / "personer.csv").read_text().splitlines()
    text[1] = text[1].replace(",K,", ",X,").replace(",M,", ",X,")
    (bad / "personer.csv").write_text("\n".join(text) + "\n")
    before = {p: p.read_bytes() for p in (built / str(BUILD_YEAR) / "stad").rglob("*") if p.is_file()}
    p = kaa("build", "--data", str(bad), "--year", str(BUILD_YEAR), "--scope", "stad", "--out", str(built), check=False)
    assert p.returncode == 1
    assert "personer.csv" in p.stderr and "kon" in p.stderr
    assert "Traceback" not in p.stderr
    after = {p: p.read_bytes() for p in (built / str(BUILD_YEAR) / "stad").rglob("*") if p.is_file()}
    assert after == before


def test_unknown_scope_is_a_usage_error(synth_dir, tmp_path):
    p = kaa("build", "--data", str(synth_dir), "--year", "2023", "--scope", "nowhere", "--out", str(tmp_path), check=False)
    assert p.returncode == 2 and "nowhere" in p.stderr


def test_progress_is_shown(built):
    err = (built / "build.stderr").read_text()
    assert "[6/6]" in err and "Validerar" in err


def test_jobbtorg_outputs_show_no_small_counts(built):
    """Below city level no table or diagram file shows a count from 1 to 4."""
    for s in SCOPES[1:]:
        d = built / str(BUILD_YEAR) / s
        for f in sorted(d.glob("tabell_*.csv")) + sorted(d.glob("diagram_[1-7].csv")):
            df = pd.read_csv(f, dtype=str)
            for col in df.columns:
                if "andel" in col or col in ("rad", "ar", "kon", "orsak", "stadsdel", "enhet", "sysselsattning"):
                    continue
                nums = pd.to_numeric(df[col], errors="coerce")
                assert not nums.between(1, 4).any(), f"{s}/{f.name}:{col}"


def test_city_outputs_are_exact(built):
    t4 = pd.read_csv(built / str(BUILD_YEAR) / "stad" / "tabell_4.csv", dtype=str)
    assert not (t4 == "<5").any().any()


def test_a_failing_cell_gives_one_readable_error(synth_dir, tmp_path):
    """Without params/organisation.yml the Figur 1 cell fails: the error names the notebook,
    the cell and the cause, and nothing is published."""
    import shutil

    from kaa_report.cli import KaaError
    from kaa_report.paths import PARAMS
    from kaa_report.pipeline.build import run_build

    params = tmp_path / "params"
    shutil.copytree(PARAMS, params)
    (params / "organisation.yml").unlink()
    out = tmp_path / "out"
    with pytest.raises(KaaError) as e:
        run_build(synth_dir, BUILD_YEAR, "saknar-stadsdel", out, pdf=False, jobs=1, params_dir=params)
    msg = str(e.value)
    assert "arsrapport.ipynb" in msg and "cell" in msg and "organisation.yml" in msg
    assert not (out / str(BUILD_YEAR) / "saknar-stadsdel").exists()
    kept = Path(msg.rsplit("se ", 1)[1].strip())  # the executed notebook outlives the failed build
    assert kept.is_file() and "organisation.yml" in kept.read_text(encoding="utf-8")


def test_published_figures_of_jobbtorg_hide_small_counts(built):
    for s in SCOPES[1:]:
        for name in ("publicerade_nyckeltal.json", "publicerade_nyckeltal_foregaende_ar.json"):
            nt = _nt(built, s, name)
            small = [k for k, v in nt.items() if isinstance(v, int) and 1 <= v <= 4]
            assert not small, f"{s}/{name}: {small}"
            exact = _nt(built, s, name.removeprefix("publicerade_"))
            assert nt.keys() == exact.keys()
    assert not (built / str(BUILD_YEAR) / "stad" / "publicerade_nyckeltal.json").exists()


def test_audit_of_the_real_build_agrees(audited):
    out, p = audited
    lines = p.stdout.splitlines()
    # the figures agree: the only findings allowed are hand-typed words in today's prose
    # ([kalltext], see tests/test_pdftrace.py), which the rewritten 2023 texts no longer have
    prose = [x for x in lines if x.startswith("[kalltext] ")]
    assert [x for x in lines if x.startswith("[")] == prose, p.stdout
    assert p.returncode == (1 if prose else 0), p.stdout
    assert lines[-1].startswith(f"{len(prose)} avvikelser i 6 omfång")
    assert (out / str(BUILD_YEAR) / f"audit-{BUILD_YEAR}.xlsx").is_file()


@pytest.mark.parametrize("case", ["empty export", "year before the data"])
def test_every_table_and_diagram_for_edge_cases(case, synth_dir):
    """A scope with nobody in it, or a year before the data: zeros and null shares, no error."""
    from frames import export

    from kaa_report.contract.export import load
    from kaa_report.exhibits import diagrams, registry, tables
    from kaa_report.exhibits.figures import scope_figures

    d, year = (export(), 2023) if case == "empty export" else (load(synth_dir), 2017)
    sf = scope_figures(d, year, "kista")
    assert sf.nyckeltal["omfattade"] == 0 and sf.nyckeltal["avslutade_andel"] is None
    for n in [e.nummer for e in registry.of_kind("tabell")]:
        assert len(tables.published(n, sf)) > 0
    for e in registry.of_kind("diagram"):
        data, fig = e.build()(sf)
        diagrams.plt.close(fig)


def test_a_bar_is_one_value_without_an_error_bar(synth_dir):
    """Each bar of Diagram 1-8 is one figure, not a mean: no confidence interval is drawn
    (seaborn's barplot bootstraps one by default, which for one value is a line of no length)."""
    from kaa_report.contract.export import load
    from kaa_report.exhibits import diagrams, registry
    from kaa_report.exhibits.figures import scope_figures

    sf = scope_figures(load(synth_dir), 2023, "stad")
    for e in registry.of_kind("diagram"):
        data, fig = e.build()(sf)
        bars = [p for ax in fig.axes for p in ax.patches]
        assert bars, e.name
        assert not [ln for ax in fig.axes for ln in ax.lines], e.name
        diagrams.plt.close(fig)


# ---------------------------------------------------------------- suppression (issue 12)

SIGNS = ("<5", "..")


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_kista_keeps_its_aim_block(built):
    """Demo 2023, Jobbtorg Kista: Aim, övrigt, kvinnor is 2. It shows "<5"; Aim's totals
    (inskrivna 64, avslutade 36, studier 17, arbete 11, övrigt 8) stay shown; what is hidden
    besides is a few counts that show ".." and shares of them, not the whole block (59
    figures before), and no hidden count can be worked out."""
    from kaa_report.privacy.apply import figure_relations
    from kaa_report.privacy.suppress import recoverable

    shown = _nt(built, "kista", "publicerade_nyckeltal.json")
    exact = _nt(built, "kista")
    assert exact["aim_avslutade_ovrigt_k"] == 2 and shown["aim_avslutade_ovrigt_k"] == "<5"
    for k in ("aim_inskrivna", "aim_avslutade", "aim_avslutade_studier", "aim_avslutade_arbete", "aim_avslutade_ovrigt",
              "aim_avslutade_andel", "aim_studier_andel"):
        assert shown[k] == exact[k], k
    hidden = [k for k in shown if k.startswith("aim_") and shown[k] in SIGNS]
    assert 0 < len(hidden) <= 12, hidden
    assert all(shown[k] == ".." for k in hidden if k != "aim_avslutade_ovrigt_k")
    rels, shares = figure_relations(exact)
    counts = {k: v for k, v in exact.items() if k not in shares}
    assert recoverable(counts, rels, {k for k in counts if shown[k] in SIGNS}) == []


def test_suppressed_scopes_publish_what_is_printed_and_keep_exact_copies_in_intern(built):
    """Jobbtorg scopes: tabell_*.csv and diagram_*.csv hold what the PDF prints ("<5" only
    for 1-4, ".." only for counts of 5 or more and shares); intern/ holds the same files
    exact; nyckeltal.json stays exact at its path; intern/undertryckning.csv says what was
    hidden. The city (not suppressed) has no intern/."""
    for s in SCOPES[1:]:
        d = built / str(BUILD_YEAR) / s
        names = [f"tabell_{n}.csv" for n in range(1, 7)] + [f"diagram_{n}.csv" for n in range(1, 9)]
        for name in names:
            top, exact = _csv(d / name), _csv(d / "intern" / name)
            assert top.shape == exact.shape and list(top.columns) == list(exact.columns), f"{s}/{name}"
            assert not exact.isin(SIGNS).any().any(), f"{s}/intern/{name}"
            for c in top.columns:
                for v, e in zip(top[c], exact[c]):
                    if v == "<5":
                        assert 1 <= int(e) <= 4, f"{s}/{name}:{c}"
                    elif v == "..":
                        assert "andel" in c or int(e) >= 5, f"{s}/{name}:{c} {e}"
                    else:
                        assert v == e, f"{s}/{name}:{c}"
        nk = _nt(built, s)
        assert not any(v in SIGNS for v in nk.values())
        summary = _csv(d / "intern" / "undertryckning.csv")
        assert list(summary["utdata"])[:2] == ["publicerade_nyckeltal.json", "publicerade_nyckeltal_foregaende_ar.json"]
        pub = _nt(built, s, "publicerade_nyckeltal.json")
        row = summary.set_index("utdata").loc["publicerade_nyckeltal.json"]
        assert int(row["primara"]) == sum(v == "<5" for v in pub.values())
        assert int(row["dolt_varde_sekundara"]) == sum(nk[k] for k, v in pub.items() if v == ".." and "andel" not in k)
    stad = built / str(BUILD_YEAR) / "stad"
    assert not (stad / "intern").exists()


def test_render_warnings_reach_the_main_process(monkeypatch, tmp_path):
    """Documents render in pool workers, whose stderr goes to the kernels' log: their
    warnings come back with the result, for the build to print."""
    import logging

    import kaa_report.pipeline.build as build

    def fake_render(scope_dir, run, scope, draft=False):
        logging.getLogger("kaa_report.document.render").warning("%s saknas", "diagram_3.csv")

    monkeypatch.setattr(build, "_render", fake_render)
    scope, secs, warnings = build._render_timed(tmp_path, None, "kista", False)
    assert (scope, warnings) == ("kista", ["diagram_3.csv saknas"]) and secs >= 0
    assert not logging.getLogger("kaa_report").handlers  # the handler is removed again
