"""`kaa-report build`: validate, run the notebooks per scope, render, and swap the results in atomically.

Load → validate → (per scope) notebooks → changes → PDF → manifest → swap into place.
The orchestrator holds no figure logic: the notebooks call the library.
"""
from __future__ import annotations

import json
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path

import click

from ..contract.export import to_typed
from ..contract.external import ExternalFiguresError, load_external
from ..contract.read import read_raw
from ..contract.run import Run, resolve_run
from ..errors import KaaError
from ..exhibits.figures import iter_run_figures
from ..params import STAD
from ..paths import NOTEBOOKS, PARAMS, published_file
from ..review.diff import load_thresholds, year_over_year
from . import cache, kernels
from .manifest import manifest, shared_manifest
from .swap import VERSIONS, private_tempdir, staging_dir, swap_in

# One notebook per scope: a kernel start and the imports cost ~5 s per notebook, so one
# notebook per chapter would triple that for every scope (measured; see benchmarks/).
NOTEBOOK_ORDER = ("arsrapport",)


def _echo(msg: str) -> None:
    click.echo(msg, err=True)


def run_notebook(name: str, year: int, scope: str, data_dir: Path, scope_dir: Path, params_dir: Path,
                 figures_cache: Path | None = None, km=None) -> float:
    """Execute one notebook with Papermill into scope_dir/notebooks (in the kernel `km` when
    given: see kaa_report.pipeline.kernels)."""
    import papermill as pm

    t0 = time.perf_counter()
    nb_dir = scope_dir / "notebooks"
    nb_dir.mkdir(parents=True, exist_ok=True)
    out_nb = nb_dir / f"{name}.ipynb"
    try:
        pm.execute_notebook(
            str(NOTEBOOKS / f"{name}.ipynb"), str(out_nb),
            parameters={"year": year, "scope": scope, "data_dir": str(data_dir), "out_dir": str(scope_dir),
                        "params_dir": str(params_dir), "figures_cache": str(figures_cache or "")},
            kernel_name="python3", progress_bar=False, log_output=False, cwd=str(NOTEBOOKS),
            # the notebook is written when it ends (or fails), not also at every cell's start
            # and end while the kernel waits (~0.1 s a notebook)
            request_save_on_cell_execute=False,
            **({"km": km} if km is not None else {}),
        )
    except pm.PapermillExecutionError as e:
        kept = Path(tempfile.mkdtemp(prefix="kaa-notebook-")) / out_nb.name  # staging goes with the failed build
        shutil.copyfile(out_nb, kept)
        raise KaaError(
            f"notebook {name}.ipynb ({scope}, {year}) stannade i cell {e.exec_count}: {e.ename}: {e.evalue}\n"
            f"  se {kept}") from None
    return time.perf_counter() - t0


def export_html(scope_dir: Path, name: str) -> None:
    """notebooks/<name>.html beside the executed notebook (pipeline/notebook_html.py)."""
    from . import notebook_html

    nb_dir = scope_dir / "notebooks"
    (nb_dir / f"{name}.html").write_text(notebook_html.to_html(nb_dir / f"{name}.ipynb"), encoding="utf-8")


def _write_changes(scope_dir: Path, params_dir: Path) -> None:
    """forandringar.csv: every nyckeltal against the year before (for the PDF appendix)."""
    cur = json.loads(published_file(scope_dir, "nyckeltal.json").read_text(encoding="utf-8"))
    prev = json.loads(published_file(scope_dir, "nyckeltal_foregaende_ar.json").read_text(encoding="utf-8"))
    changes = year_over_year(cur, prev, load_thresholds(path=params_dir / "diff.yml"))
    changes.to_csv(scope_dir / "forandringar.csv", index=False, lineterminator="\n")


def _render(scope_dir: Path, run: Run, scope: str, draft: bool = False) -> None:
    from ..document.htmledition import render_report_and_html
    from ..document.render import render_cover_letter

    render_report_and_html(scope_dir, run, scope, draft=draft)
    if scope == STAD:
        render_cover_letter(scope_dir, run, draft=draft)


def _check_writable(out_dir: Path) -> None:
    """Fail before the long work when the output folder cannot be written."""
    p = out_dir
    while not p.exists():
        p = p.parent
    if not p.is_dir():
        raise KaaError(f"kan inte skriva till {out_dir}: {p} är en fil, inte en mapp; välj en annan mapp med --out")
    if not os.access(p, os.W_OK | os.X_OK):
        raise KaaError(f"kan inte skriva till {out_dir}: saknar skrivbehörighet i {p}; välj en annan mapp med --out")


def _cache_figures(raw, run: Run, scopes: list[str], cache: Path) -> Iterator[tuple[str, Path]]:
    """Compute each scope's figures once and pickle them for the notebooks (private temp
    folder), yielding (scope, pickle) as each scope is ready."""
    for sf in iter_run_figures(to_typed(raw), run, scopes):
        path = cache / f"{sf.scope}.pkl"
        with open(path, "wb") as f:
            pickle.dump(sf, f)
        yield sf.scope, path


def run_build(data_dir: Path, year: int, scope: str = "stad", out_dir: Path = Path("output"), pdf: bool = True,
              jobs: int = 2, params_dir: Path = PARAMS, suppress: bool = False,
              skip_invalid_rows: bool = False, draft: bool = False, force: bool = False,
              plan: cache.Plan | None = None) -> list[Path]:
    """Build every output of the contract for the scopes; returns the scope folders swapped in.
    Jobbtorg scopes are always suppressed; `suppress` applies it to the city too. With
    `skip_invalid_rows`, persons (and rows) breaking a row-level rule are set aside first
    (kaa_report.validate.avvisade) and reported in avvisade.csv, the manifests and the appendix.
    Scopes whose inputs, parameters, code and texts are unchanged are reused, those whose
    texts alone changed get their documents rendered again (kaa_report.pipeline.cache);
    `force` builds everything. `plan`: the cache plan the caller has just worked out with the
    same arguments (the command line's quick check), so it is not worked out twice.

    The PDFs need the year's own text (report/text/<year>/): without it the build stops
    here, before the long work; a `draft` uses an earlier year's text and is marked UTKAST.
    With pdf=False the text is not needed (tables, diagrams and nyckeltal only).

    Nothing under out_dir changes unless every step succeeded."""
    if pdf:  # hand-typed numbers and comparison words in the year's prose: warnings
        _warn_hand_typed(year, params_dir)
    run = resolve_run(year, params_dir, suppress_city=suppress)
    scopes = run.select(scope)
    if pdf:
        from ..document.texts import check_text

        check_text(year, draft)
    data_dir, out_dir = Path(data_dir).resolve(), Path(out_dir).resolve()
    _check_writable(out_dir)
    if plan is None:
        plan = cache.plan(data_dir, year, scopes, out_dir, params_dir, pdf, suppress, skip_invalid_rows, force, draft=draft)
    if plan.all_reused:
        _echo(cache.reused_message(out_dir, year, scopes))
        return [out_dir / str(year) / s for s in scopes]
    if not plan.scopes(cache.BUILD):
        return _documents_only(plan, run, out_dir, jobs, draft)
    if plan.scopes(cache.REUSE) or plan.scopes(cache.DOCUMENTS):
        _echo(f"Från förra bygget: {plan.summary()}")
    to_build = plan.scopes(cache.BUILD)

    with private_tempdir() as tmp, _notebook_pool(jobs, tmp) as pool:
        _echo(f"Läser {data_dir} …")
        raw = read_raw(data_dir)
        _echo("Validerar mot datakontraktet …")
        if skip_invalid_rows:
            raw, report, avvisade = set_aside_invalid(raw, params_dir)
            pending = None
        else:  # validate in a process of its own while the notebooks run; nothing is swapped in before it passed
            pending, avvisade = _validate_aside(raw, params_dir), None
        try:
            load_external(year, params_dir)
        except ExternalFiguresError as e:
            raise KaaError(f"siffrorna utanför registret är ogiltiga; inget under utdatamappen har ändrats.\n{e}") from None

        fresh = _missing_folders(out_dir, year)
        stage = staging_dir(out_dir, year)
        done = None
        try:
            _echo(f"Kör {len(to_build) * len(NOTEBOOK_ORDER)} notebooks ({', '.join(to_build)}) med {jobs} "
                  "processer, vart omfång så snart dess nyckeltal är beräknade …")
            shared = shared_manifest(raw, params_dir)

            def finish(s: str):
                """The scope's changes and manifest; then its documents, in the pool (the
                appendix reads what was set aside from the manifest)."""
                sd = stage / s
                _write_changes(sd, params_dir)
                (sd / "manifest.json").write_text(
                    json.dumps(manifest(raw, run, s, avvisade, shared), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
                return pool.submit(_render_timed, sd, run, s, draft) if pdf else None

            figures = _cache_figures(raw, run, to_build, tmp)
            renders = _run_all(pool, figures, year, data_dir, stage, params_dir, pending, len(to_build), finish)
            for i, f in enumerate(as_completed(renders), 1):
                s, secs, warnings = _result(f, pending)
                for w in warnings:
                    _echo(f"  varning ({s}): {w}")
                _echo(f"  [{i}/{len(to_build)}] {s}: PDF klar ({secs:.1f} s)")
            if pending is not None:
                report = _validation_result(pending)
            for w in report.warnings[:10]:
                _echo(f"  varning: {w}")
            if len(report.warnings) > 10:
                _echo(f"  … och {len(report.warnings) - 10} varningar till")
            for s in plan.scopes(cache.DOCUMENTS):
                _rerender(run, out_dir, stage, s, draft)
            done = [swap_in(stage / s, out_dir / str(year) / s) for s in to_build + plan.scopes(cache.DOCUMENTS)]
            for s in to_build + plan.scopes(cache.DOCUMENTS):
                cache.remember(out_dir, year, s, plan.record(s))
            if avvisade is not None:
                _write_csv_atomic(avvisade.frame(), out_dir / str(year) / AVVISADE_CSV)
        finally:
            if done is None:  # no notebook may write on into the staging folder removed here
                _stop(pool)
            shutil.rmtree(stage, ignore_errors=True)
            if done is None:  # a failed build leaves no folder behind that it made itself
                for d in fresh:
                    _remove_if_empty(d)
    _echo(f"Klart: {len(done)} omfång under {out_dir / str(year)}")
    return [out_dir / str(year) / s for s in scopes]


def _missing_folders(out_dir: Path, year: int) -> list[Path]:
    """The folders staging will create (deepest first): out/, out/<Y>/, out/<Y>/.versions/."""
    chain = [out_dir, out_dir / str(year), out_dir / str(year) / VERSIONS]
    return [d for d in reversed(chain) if not d.exists()]


def _remove_if_empty(d: Path) -> None:
    try:
        d.rmdir()
    except OSError:
        pass


def _rerender(run: Run, out_dir: Path, stage: Path, s: str, draft: bool = False) -> None:
    """Copy the scope's current outputs into the staging folder and render its documents again."""
    sd = stage / s
    shutil.copytree((out_dir / str(run.year) / s).resolve(), sd, symlinks=True)
    t0 = time.perf_counter()
    _render(sd, run, s, draft)
    _echo(f"  {s}: dokumenten om ({time.perf_counter() - t0:.1f} s)")


def _documents_only(plan, run: Run, out_dir: Path, jobs: int, draft: bool = False) -> list[Path]:
    """Only the texts changed: render the documents of those scopes again, reuse the rest."""
    _echo(f"Bara texterna har ändrats: {plan.summary()}")
    stage = staging_dir(out_dir, run.year)
    todo = plan.scopes(cache.DOCUMENTS)
    try:
        if jobs > 1 and len(todo) > 1:
            with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
                for f in [pool.submit(_rerender, run, out_dir, stage, s, draft) for s in todo]:
                    f.result()
        else:
            for s in todo:
                _rerender(run, out_dir, stage, s, draft)
        for s in todo:
            swap_in(stage / s, out_dir / str(run.year) / s)
            cache.remember(out_dir, run.year, s, plan.record(s))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    _echo(f"Klart: dokumenten för {len(todo)} omfång under {out_dir / str(run.year)}")
    return [out_dir / str(run.year) / s for s in plan.steps]


def _warn_hand_typed(year: int, params_dir: Path) -> None:
    """The source check of report/text/<year>/ (document/textkontroll.py): one warning per
    digit or comparison word that does not come from a variable."""
    from ..document.textkontroll import hand_typed

    for f in hand_typed(year, params_dir=params_dir):
        _echo(f"  varning: {f.text()}")


def set_aside_invalid(raw, params_dir: Path):
    """--skip-invalid-rows: validate, set aside the rows of row-level failures (or stop when
    that cannot be done, see kaa_report.validate.avvisade) and validate the rest again;
    returns (raw, report, avvisade). Without the flag the build validates aside instead
    (`_validate_aside`)."""
    from ..validate.avvisade import apply
    from ..validate.avvisade import skip_invalid_rows as plan_skip
    from ..validate.gx import validate_raw

    report = validate_raw(raw, params_dir=params_dir, all_rows=True)
    avvisade = plan_skip(raw, report, params_dir)
    if not report.ok:
        _echo(avvisade.summary())
        raw = apply(raw, avvisade)
        report = validate_raw(raw, params_dir=params_dir)
        if not report.ok:  # setting persons aside cannot break another rule; if it did, say so
            raise KaaError("exporten är ogiltig även efter att rader lagts åt sidan; inget under utdatamappen "
                           "har ändrats.\n" + report.summary())
    return raw, report, avvisade


AVVISADE_CSV = "avvisade.csv"


def _write_csv_atomic(df, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    df.to_csv(tmp, index=False, lineterminator="\n")
    os.replace(tmp, path)


def _task(nb: str, year: int, scope: str, data_dir: Path, scope_dir: Path, params_dir: Path, cache: Path) -> float:
    """One notebook in a worker process, in the worker's warm kernel (kaa_report.pipeline.kernels).
    A kernel that died before the notebook could start (seen once under heavy load) is
    replaced and the notebook run once more."""
    try:
        return run_notebook(nb, year, scope, data_dir, scope_dir, params_dir, cache, km=kernels.kernel())
    except RuntimeError as e:
        if "Kernel died" not in str(e):
            raise
        kernels.restart()
        return run_notebook(nb, year, scope, data_dir, scope_dir, params_dir, cache, km=kernels.kernel())


@contextmanager
def _notebook_pool(jobs: int, tmp: Path):
    """`jobs` worker processes, each starting its kernel (and the library's imports) at once,
    so that the kernels warm up while the export is read and validated."""
    from importlib.util import find_spec

    for dep in ("nbconvert", "papermill"):  # a missing dependency is named here, before the long work
        if find_spec(dep) is None:
            raise ModuleNotFoundError(f"No module named {dep!r}", name=dep)
    # the workers start at once (their kernels start while this process imports and reads);
    # they import papermill themselves, and this process nbconvert for the notebooks' pages
    log = str(tmp / "kernels.log")
    pool = ProcessPoolExecutor(max_workers=max(1, jobs), initializer=kernels.start, initargs=(log,))
    for _ in range(max(1, jobs)):
        pool.submit(int)  # start every worker now
    try:
        yield pool
    except BaseException:
        _stop(pool)
        raise
    else:
        pool.shutdown()


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers at once, each killing its kernel first (kernels.start): the build
    has failed anyway. Once this returns, no notebook runs."""
    for f in list(getattr(pool, "_pending_work_items", {}).values()):
        f.future.cancel()
    for p in list((getattr(pool, "_processes", None) or {}).values()):
        p.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _validate_aside(raw, params_dir: Path):
    from ..validate.gx import validate_raw

    ex = ProcessPoolExecutor(max_workers=1)
    return ex, ex.submit(validate_raw, raw, params_dir=params_dir)


def _result(future, pending):
    """A notebook's or a document's result. When it failed and the validation aside refuses
    the data, the validation is what is reported, not the step that tripped over the data."""
    try:
        return future.result()
    except BaseException:
        if pending is not None:
            _validation_result(pending)
        raise


def _validation_result(pending):
    ex, future = pending
    try:
        report = future.result()
    finally:
        ex.shutdown()
    if not report.ok:
        raise KaaError("exporten är ogiltig; inget under utdatamappen har ändrats.\n" + report.summary())
    return report


def _run_all(pool, figures, year, data_dir, stage, params_dir, pending=None, n_scopes=0, finish=None) -> list:
    """Every notebook in the pool, each scope's as soon as its figures are ready
    (`figures` yields (scope, pickle)). When a scope's notebooks are done, `finish(scope)`
    runs and may return a future (its documents, rendered in the pool while other scopes'
    notebooks still run); returns those futures. A notebook that fails on data the
    validation refuses reports the validation, not the notebook; and the validation (`pending`)
    that refuses the data stops the build as soon as it is done, not after the notebooks."""
    total = n_scopes * len(NOTEBOOK_ORDER)
    # Notebooks of one scope write disjoint files, so all tasks can run side by side.
    futures, left, after = {}, {}, []
    for s, cache_file in figures:
        left[s] = len(NOTEBOOK_ORDER)
        for nb in NOTEBOOK_ORDER:
            a = (nb, year, s, data_dir, stage / s, params_dir, cache_file)
            futures[pool.submit(_task, *a)] = a
    validation = [] if pending is None else [pending[1]]
    i = 0
    for f in as_completed([*futures, *validation]):
        if f not in futures:
            _validation_result(pending)  # raises when the export is invalid
            continue
        i += 1
        a = futures[f]
        secs = _result(f, pending)
        export_html(a[4], a[0])  # here, while the worker's kernel starts its next notebook
        _echo(f"  [{i:>2}/{total}] {a[2]} · {a[0]} ({secs:.1f} s)")
        left[a[2]] -= 1
        if not left[a[2]] and finish is not None:
            after.append(finish(a[2]))
    return [f for f in after if f is not None]


def _render_timed(scope_dir: Path, run: Run, scope: str, draft: bool) -> tuple[str, float, list[str]]:
    """A scope's documents, in a pool worker; returns (scope, seconds, the render's warnings),
    for the main process to print (a worker's stderr goes to the kernels' log)."""
    import logging

    warnings: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: warnings.append(record.getMessage())
    logger = logging.getLogger("kaa_report")
    logger.addHandler(handler)
    t0 = time.perf_counter()
    try:
        _render(scope_dir, run, scope, draft)
    finally:
        logger.removeHandler(handler)
    return scope, time.perf_counter() - t0, warnings
