"""The `kaa-report` command: synth, validate, build, diff, audit.

Errors reach the user as one plain message on stderr and a non-zero exit code
(1 for bad data or a failed run, 2 for usage); a traceback only with --debug.
"""
from __future__ import annotations

import errno
import importlib
import sys
from pathlib import Path

import click

from .errors import KaaError


class _Commands(click.Group):
    """The reviewers' and revisors' commands (diff, audit) live in their own modules and are
    imported when used, inside main()'s error handling."""

    LAZY = {"diff": "kaa_report.review.diff", "audit": "kaa_report.review.audit"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LAZY:
            return importlib.import_module(self.LAZY[name]).command
        return super().get_command(ctx, name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Visa fullständig traceback vid fel.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """kaa-report: årsrapporten för kommunens aktivitetsansvar (KAA)."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Mapp att skriva exporten till.")
@click.option("--seed", default=2023, show_default=True, type=int, help="Slumpfrö för det som ingen publicering bestämmer.")
def synth(out: Path, seed: int) -> None:
    """Skriv en syntetisk registerexport (alla år) till OUT."""
    from .synth import write_synthetic_export

    files = write_synthetic_export(out, seed=seed)
    click.echo(f"Skrev syntetisk export till {out} ({len(files)} filer, frö {seed}).")


@cli.command()
@click.option("--data", "data", required=True, type=click.Path(path_type=Path), help="Exportmappen (eller .xlsx).")
@click.option("--out", "out", default=Path("output"), show_default=True, type=click.Path(path_type=Path),
              help="Var GX Data Docs skrivs (under validation/).")
def validate(data: Path, out: Path) -> None:
    """Kontrollera en export mot datakontraktet."""
    from .validate.gx import validate_export

    report = validate_export(data, docs_dir=(out / "validation").resolve())
    click.echo(report.summary(), err=not report.ok)
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.option("--data", "data", required=True, type=click.Path(path_type=Path))
@click.option("--year", "year", required=True, type=int, help="Verksamhetsåret (1 dec Y-1 – 30 nov Y).")
@click.option("--scope", "scope", default="stad", show_default=True, help="stad, all eller en jobbtorgs slug.")
@click.option("--out", "out", default=Path("output"), show_default=True, type=click.Path(path_type=Path))
@click.option("--no-pdf", "no_pdf", is_flag=True, help="Hoppa över PDF-rapporterna.")
@click.option("--jobs", "jobs", default=2, show_default=True, type=int, help="Antal parallella notebook-körningar.")
@click.option("--suppress", "suppress", is_flag=True,
              help="Röjandeskydd även i stadens rapport (jobbtorgens rapporter har det alltid).")
def build(data: Path, year: int, scope: str, out: Path, no_pdf: bool, jobs: int, suppress: bool) -> None:
    """Validera exporten och bygg alla tabeller, diagram och rapporter för ett år."""
    from .pipeline.build import run_build

    run_build(data_dir=data, year=year, scope=scope, out_dir=out, pdf=not no_pdf, jobs=jobs, suppress=suppress)




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
