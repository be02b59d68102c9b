"""Stage 8, the pipeline: one build in stage order, the notebook runs and the atomic swap into output/."""
