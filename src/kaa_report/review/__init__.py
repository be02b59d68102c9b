"""Stage 7, review: reading a finished build, diff, audit and the checks against published figures."""
