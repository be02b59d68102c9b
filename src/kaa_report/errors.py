"""The errors a user sees as plain messages (no heavy imports here: the CLI needs them
to report even a missing library)."""
from __future__ import annotations


class KaaError(Exception):
    """An error to show the user as it is (exit 1)."""


class InputError(KaaError):
    """The export cannot be read; the message says which file and what to fix."""
