"""Reading PDFs in tests with poppler-utils (pdftotext, pdffonts, pdfinfo)."""

import os
import subprocess
import tempfile
from pathlib import Path


def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        command = [tool, *args, str(path)] + (["-"] if tool == "pdftotext" else [])
        result = subprocess.run(command, capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8")


def pdf_text(pdf: bytes, page: int | None = None) -> str:
    """The text of the whole PDF, or of one page (1-based), in reading order."""
    pages = ("-f", str(page), "-l", str(page)) if page else ()
    return _run("pdftotext", pdf, *pages)


def pdf_fonts(pdf: bytes) -> str:
    return _run("pdffonts", pdf)


def pdf_images(pdf: bytes) -> list[dict[str, str]]:
    """Every image drawn on a page (``pdfimages -list``): one dict per drawing, keyed by the list's headings.

    The heading "object ID" spans two columns, the object and generation numbers: split on spaces, the object
    number lands under "object".
    """
    lines = _run("pdfimages", pdf, "-list").splitlines()
    header = lines[0].split()
    return [dict(zip(header, line.split(), strict=True)) for line in lines[2:]]


def pdf_pages(pdf: bytes) -> int:
    for line in _run("pdfinfo", pdf).splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo printed no page count")


def save_pngs(pdf: bytes, stem: str) -> None:
    """With PDFCHECK_DIR set (e.g. /tmp/pdfcheck), save the PDF and its pages as 60 dpi PNGs for a human to look at."""
    out_dir = os.environ.get("PDFCHECK_DIR")
    if not out_dir:
        return
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    pdf_path = Path(out_dir) / f"{stem}.pdf"
    pdf_path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf_path), str(Path(out_dir) / stem)], check=True, timeout=120)
