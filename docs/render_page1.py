"""Render page 1 of the demo store's quarterly PDF to docs/report-page1.png (the README picture).

Dev-only (needs pypdfium2, which the program itself does not use):

    .venv/bin/pip install pypdfium2
    .venv/bin/python docs/render_page1.py [--lang sv] [--pdf FILE] [--png FILE]

Without --pdf it builds a throw-away demo store in a temporary folder (OPS_NOW
2026-10-08), writes `ops report quarterly -c 2001 --quarter 2026Q3 -o report.pdf` there and
renders that file's first page at 110 dpi.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OPS = Path(sys.executable).with_name("ops")


def demo_pdf(folder: Path, lang: str) -> Path:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPS_")}
    env.update(
        OPS_DB=str(folder / "ops.db"), OPS_CONFIG=str(folder / "config.toml"), OPS_NOW="2026-10-08T09:00"
    )
    pdf = folder / "report.pdf"
    subprocess.run([str(OPS), "init", "--demo"], env=env, check=True, capture_output=True)
    args = ["report", "quarterly", "-c", "2001", "--quarter", "2026Q3", "--lang", lang, "-o", str(pdf)]
    subprocess.run([str(OPS), *args], env=env, check=True, capture_output=True)
    return pdf


def render(pdf: Path, png: Path, dpi: int = 110) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    page = doc[0]
    page.render(scale=dpi / 72).to_pil().save(png)
    doc.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="sv", choices=("sv", "da", "en"))
    parser.add_argument("--pdf", type=Path, help="render this PDF instead of the demo report")
    parser.add_argument("--png", type=Path, default=HERE / "report-page1.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = args.pdf or demo_pdf(Path(tmp), args.lang)
        render(pdf, args.png)
    print(f"wrote {args.png}")


if __name__ == "__main__":
    main()
