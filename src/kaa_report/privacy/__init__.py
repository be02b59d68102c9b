"""Stage 4, privacy: small-number suppression (röjandeskydd) of figures and tables."""
