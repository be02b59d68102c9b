"""Stage 2, validation: the rules across columns and tables and the Great Expectations suites."""
