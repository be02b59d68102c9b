"""The `kaa-report` command: synth, validate, build, diff, audit.

Errors reach the user as one plain message on stderr and a non-zero exit code
(1 for bad data or a failed run, 2 for usage); a traceback only with --debug.
"""
from __future__ import annotations

import errno
import sys
from pathlib import Path

import click

from .errors import KaaError, UsageError


class _Commands(click.Group):
    """The library raises errors.UsageError; click shows it as a usage error (exit 2)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UsageError as e:
            raise click.UsageError(str(e)) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Visa fullständig traceback vid fel.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """kaa-report: årsrapporten för kommunens aktivitetsansvar (KAA)."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Mapp att skriva exporten till.")
@click.option("--seed", default=2023, show_default=True, type=int, help="Slumpfrö för det som ingen publicering bestämmer.")
@click.option("--persons", default=None, type=click.IntRange(min=1),
              help="Antal personer: det kalibrerade registret upprepat med nya id (för skalprov).")
def synth(out: Path, seed: int, persons: int | None) -> None:
    """Skriv en syntetisk registerexport (alla år) till OUT."""
    from .synth import write_scaled_export, write_synthetic_export

    if persons is None:
        files = write_synthetic_export(out, seed=seed)
    else:
        files = write_scaled_export(out, persons, seed=seed)
    extra = "" if persons is None else f", {persons} personer"
    click.echo(f"Skrev syntetisk export till {out} ({len(files)} filer, frö {seed}{extra}).")


@cli.command()
@click.option("--data", "data", required=True, type=click.Path(path_type=Path), help="Exportmappen (eller .xlsx).")
@click.option("--out", "out", default=Path("output"), show_default=True, type=click.Path(path_type=Path),
              help="Var valideringsrapporten skrivs (validation/index.html).")
@click.option("--skip-invalid-rows", "skip_invalid_rows", is_flag=True,
              help="Lägg personer med rader som bryter en radregel åt sidan i stället för att stanna "
                   "(högst max_andel_personer i params/validation.yml).")
def validate(data: Path, out: Path, skip_invalid_rows: bool) -> None:
    """Kontrollera en export mot datakontraktet."""
    from .contract.read import read_raw
    from .errors import InputError
    from .validate.gx import preload, read_failure, validate_raw

    preload()  # GX's import runs beside the reading
    try:
        raw = read_raw(data)
    except InputError as e:
        raw, report = None, read_failure(e)
    else:
        report = validate_raw(raw, docs_dir=(out / "validation").resolve(), all_rows=skip_invalid_rows)
    click.echo(report.summary(), err=not report.ok)
    if report.ok:
        return
    if not skip_invalid_rows or raw is None:
        sys.exit(1)
    from .validate.avvisade import skip_invalid_rows as plan_skip

    avvisade = plan_skip(raw, report)  # KaaError (exit 1) on a table-level fault or past the limit
    click.echo(avvisade.summary(), err=True)
    click.echo("Med --skip-invalid-rows går exporten att bygga utan dessa rader.", err=True)


@cli.command()
@click.option("--data", "data", required=True, type=click.Path(path_type=Path))
@click.option("--year", "year", required=True, type=int, help="Verksamhetsåret (1 dec Y-1 – 30 nov Y).")
@click.option("--scope", "scope", default="stad", show_default=True, help="stad, all eller en jobbtorgs slug.")
@click.option("--out", "out", default=Path("output"), show_default=True, type=click.Path(path_type=Path))
@click.option("--no-pdf", "no_pdf", is_flag=True, help="Hoppa över PDF-rapporterna.")
@click.option("--jobs", "jobs", default=2, show_default=True, type=int, help="Antal parallella notebook-körningar.")
@click.option("--suppress", "suppress", is_flag=True,
              help="Röjandeskydd även i stadens rapport (jobbtorgens rapporter har det alltid).")
@click.option("--skip-invalid-rows", "skip_invalid_rows", is_flag=True,
              help="Lägg personer med rader som bryter en radregel åt sidan och bygg utan dem "
                   "(redovisas i avvisade.csv, manifest och rapportens bilaga).")
@click.option("--draft", "draft", is_flag=True,
              help="Bygg PDF:erna även utan årets text i report/text/<år>/ (tidigare års text); "
                   "varje sida märks UTKAST.")
@click.option("--force", "force", is_flag=True, help="Bygg om allt, även det som är oförändrat sedan förra bygget.")
def build(data: Path, year: int, scope: str, out: Path, no_pdf: bool, jobs: int, suppress: bool,
          skip_invalid_rows: bool, draft: bool, force: bool) -> None:
    """Validera exporten och bygg alla tabeller, diagram och rapporter för ett år.

    Det som är oförändrat sedan förra bygget (data, parametrar, texter, kod, paket)
    återanvänds; ändrade texter ger bara nya dokument."""
    plan = None if force else _plan(data, year, scope, out, not no_pdf, suppress, skip_invalid_rows, draft)
    if plan is not None and plan.all_reused:
        from .pipeline.cache import reused_message

        click.echo(reused_message(out.resolve(), year, list(plan.steps)), err=True)
        return
    from .pipeline.build import run_build

    run_build(data_dir=data, year=year, scope=scope, out_dir=out, pdf=not no_pdf, jobs=jobs, suppress=suppress,
              skip_invalid_rows=skip_invalid_rows, draft=draft, force=force, plan=plan)


def _plan(data: Path, year: int, scope: str, out: Path, pdf: bool, suppress: bool, skip: bool,
          draft: bool = False):
    """The quick answer before the heavy imports: what of the last build can be reused
    (pipeline/cache.py)? None when the arguments are wrong: the build says what is wrong."""
    from .contract.run import resolve_run
    from .paths import PARAMS
    from .pipeline import cache

    try:
        scopes = resolve_run(year, PARAMS).select(scope)
    except KaaError:
        return None
    return cache.plan(data.resolve(), year, scopes, out.resolve(), PARAMS, pdf, suppress, skip, draft=draft)



@cli.command()
@click.option("--year", "year", required=True, type=int, help="Verksamhetsåret vars texter skrivs.")
@click.option("--scope", "scope", default="stad", show_default=True, help="stad, all eller en jobbtorgs slug.")
@click.option("--data", "data", default=None, type=click.Path(path_type=Path),
              help="Exportmappen (standard: den syntetiska demoexporten i data/demo/).")
@click.option("--out", "out", default=Path("output"), show_default=True, type=click.Path(path_type=Path))
@click.option("--jobs", "jobs", default=2, show_default=True, type=int, help="Antal parallella notebook-körningar.")
def preview(year: int, scope: str, data: Path | None, out: Path, jobs: int) -> None:
    """Bygg om vid varje sparning av årets texter, data eller parametrar (Ctrl-C avslutar).

    Skriver en rad per ombyggnad; en ändrad text ger bara nya dokument (sekunder)."""
    from .pipeline.build import run_build
    from .pipeline.notebook import ensure_demo_data
    from .pipeline.preview import watch, watched

    data = data if data is not None else ensure_demo_data()
    click.echo(f"Förhandsgranskar {year} ({scope}) från {data} till {out / str(year) / scope}; Ctrl-C avslutar.")
    try:
        watch(lambda: run_build(data_dir=data, year=year, scope=scope, out_dir=out, jobs=jobs),
              watched(data), lambda line: click.echo(line), out=out)
    except KeyboardInterrupt:
        click.echo("Förhandsgranskningen avslutad.")


@cli.command(name="diff")
@click.option("--year", "year", required=True, type=int, help="Året som jämförs (det nya).")
@click.option("--against", "against", type=int, help="Året att jämföra med (samma --out).")
@click.option("--out", "out", default=Path("output"), show_default=True, type=click.Path(path_type=Path),
              help="Byggmappen (med <år>/<omfattning>/) vid --against.")
@click.option("--run", "runs", multiple=True, type=click.Path(path_type=Path, exists=True, file_okay=False),
              help="Två byggmappar av samma år: --run A --run B (A = före, B = efter).")
@click.option("--published", "published", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Publicerade siffror (published_figures.yaml) vid --run.")
@click.option("--dest", "dest", type=click.Path(path_type=Path),
              help="Var CSV och HTML skrivs (standard: --out, eller B vid --run).")
def diff(year: int, against: int | None, out: Path, runs: tuple[Path, ...],
         published: Path | None, dest: Path | None) -> None:
    """Jämför två byggen, cell för cell: år mot år (--year Y --against Y0) eller två
    körningar av samma år (--run A --run B --year Y).

    Skriver diff-<Y>-<Y0>.csv/.html (eller diff-<Y>-korningar.csv/.html och, vid --run,
    diff-<Y>-publicerade.csv). Tröskelvärden för flaggor: params/diff.yml.

    Slutkod 0: ingen flaggad förändring; 1: minst en förändring flaggad (eller fel);
    2: felaktig användning.
    """
    from .review.diff import run

    lines, flagged = run(year, against, out, runs, published, dest)
    for line in lines:
        click.echo(line)
    if flagged:
        sys.exit(1)


@cli.command(name="audit")
@click.option("--year", "year", type=int, help="Granska det byggda året Y under --out (och skriv audit-<Y>.xlsx).")
@click.option("--out", "out", default=Path("output"), show_default=True, type=click.Path(path_type=Path),
              help="Byggmappen (med <år>/<omfattning>/).")
@click.option("--published", "published", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Granska en fil med publicerade siffror (published_figures.yaml) för inre motsägelser.")
@click.option("-v", "--verbose", is_flag=True, help="Skriv en sammanfattning även när allt stämmer.")
def audit(year: int | None, out: Path, published: Path | None, verbose: bool) -> None:
    """Räkna om varje härledd siffra och spåra den (revision).

    --year Y: räknar om varje härledd nyckeltal ur grundtalen (metrics.DERIVED), jämför
    tabellerna med nyckeltalen, förändringarna mot föregående år och att jobbtorgen
    summerar till staden; skriver <out>/<Y>/audit-<Y>.xlsx (konfidentiell: exakta värden).
    --published FILE: letar inre motsägelser i publicerade siffror (summor, andelar,
    förändringar, same_metric_as, påståenden).

    Tyst om det som stämmer (--year skriver en rad om var revisionsunderlaget ligger).
    Slutkod 0: allt stämmer; 1: minst en avvikelse (eller fel); 2: felaktig användning.
    """
    from .review.audit import run

    lines, problems = run(year, out, published, verbose)
    for line in lines:
        click.echo(line)
    if problems:
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="kaa-report", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("Avbrutet.", err=True)
        sys.exit(1)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001 - the one place that turns errors into messages
        if debug:
            raise
        click.echo(f"Fel: {_message(e)}", err=True)
        sys.exit(1)
    if argv is None:  # the process itself, not a caller in Python
        _exit_done()


def _exit_done() -> None:
    """End the process of a command that has done its work without Python's teardown of
    its modules, which with pandas, matplotlib and nbconvert loaded took ~0.5 s on one
    core after a build had finished (470 ms against 25 ms, medians of 7, on the 2-core
    build machine). The exit handlers still run (temporary folders, worker processes,
    logging; Python clears them, so they do not run twice) and stdout and stderr are
    flushed; with another thread still running, the process exits as usual."""
    import atexit
    import os
    import threading

    if threading.active_count() > 1:
        return
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        return  # a closed pipe: let Python report it as it would
    os._exit(0)


_OS_ERRORS = {
    errno.ENOSPC: "disken är full (no space left on device): frigör utrymme och kör igen",
    errno.EDQUOT: "diskkvoten är slut (disk quota exceeded): frigör utrymme och kör igen",
    errno.EACCES: "saknar behörighet att skriva eller läsa (permission denied): välj en annan mapp med --out eller ändra behörigheten",
    errno.EPERM: "åtgärden är inte tillåten (operation not permitted): välj en annan mapp med --out",
    errno.EROFS: "filsystemet är skrivskyddat (read-only file system): välj en annan mapp med --out",
    errno.ENOTDIR: "en del av sökvägen är en fil, inte en mapp (not a directory): välj en annan mapp med --out",
    errno.ENOENT: "filen eller mappen finns inte (no such file or directory)",
}


def _message(e: BaseException) -> str:
    """One readable line (or a few) for an error, never a traceback."""
    if isinstance(e, KaaError):
        return str(e)
    if isinstance(e, ModuleNotFoundError):
        return (f"ett beroende saknas: {e.name} (missing dependency). Kör ./scripts/setup.sh, "
                "som installerar allt i .venv/, och använd .venv/bin/kaa-report")
    if isinstance(e, OSError):
        where = f": {e.filename}" if getattr(e, "filename", None) else ""
        return f"{_OS_ERRORS.get(e.errno, e.strerror or str(e))}{where}"
    return f"{type(e).__name__}: {e} (kör med --debug för detaljer)"
