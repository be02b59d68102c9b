"""Stage 3, the figures: scopes (stad, jobbtorg) and every nyckeltal defined once."""
