"""Stage 1, the data contract: column schema, labels, the operating-year rule, the file readers and the typed export."""
