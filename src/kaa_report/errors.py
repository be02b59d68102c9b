"""Every error the library raises for the user to read, in one family.

Library code raises these (never click exceptions); only cli.py turns them into a
message on stderr and an exit code: `UsageError` exits 2, every other `KaaError` 1.
No heavy imports here: the CLI needs this module to report even a missing library.
"""
from __future__ import annotations


class KaaError(Exception):
    """An error to show the user as it is (exit 1)."""


class UsageError(KaaError):
    """The command line asks for something that cannot be done (exit 2)."""


class InputError(KaaError):
    """The export cannot be read; the message says which file and what to fix."""


class ParamsError(KaaError, ValueError):
    """A file under params/ lacks what the run needs (e.g. no jobbtorg mapping for the year)."""


class ExternalFiguresError(KaaError, ValueError):
    """params/<year>.yml breaks a rule; the message names the file, the figure and the rule."""


class InfeasibleTargets(KaaError, ValueError):
    """The targets in params/synth.yml cannot all hold at once (the message says which)."""


class RenderError(KaaError, RuntimeError):
    """The document could not be rendered (missing input, unknown variable, Typst error or warning)."""
