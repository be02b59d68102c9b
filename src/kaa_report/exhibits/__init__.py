"""Stage 5, the exhibits: per-scope figures as printed, the tables, the diagrams and the number formats."""
