"""Write the list of exhibit files in docs/outputs.md from the exhibit registry.

    .venv/bin/python scripts/outputs_doc.py          # rewrite the doc
    .venv/bin/python scripts/outputs_doc.py --check  # exit 1 if it is not up to date

Only the rows between the markers (kaa_report.exhibits.outputs_doc.DOC_BEGIN/DOC_END) are written.
"""
from __future__ import annotations

import sys
from pathlib import Path

from kaa_report.exhibits.outputs_doc import outputs_doc

DOC = Path(__file__).resolve().parents[1] / "docs" / "outputs.md"


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    new = outputs_doc(text)
    if "--check" in argv:
        if new != text:
            print(f"{DOC.name} är inte skriven från registret: kör scripts/outputs_doc.py", file=sys.stderr)
            return 1
        return 0
    if new != text:
        DOC.write_text(new, encoding="utf-8")
        print(f"skrev {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
