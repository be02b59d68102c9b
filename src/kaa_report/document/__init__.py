"""Stage 6, the documents: report variables, Typst blocks, the PDF report and the cover letter."""
