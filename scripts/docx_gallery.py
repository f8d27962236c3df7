#!/usr/bin/env python
"""Every form's Word copy beside its PDF, as a person would look at them (docs/forms-gallery.md, "Word (.docx)").

Run on the demo data (``manage.py seed_demo``), e.g.::

    DJANGO_DEBUG=True .venv/bin/python scripts/docx_gallery.py /tmp/word-gallery

It runs ``manage.py print_gallery OUTDIR`` (every form of the catalogue issued, its PDF written), writes each
issued document's Word copy (``documents.docx_bytes``) as ``OUTDIR/<code>.docx``, converts them with LibreOffice
headless (``soffice``, Debian package ``libreoffice-writer``) into ``OUTDIR/word-pdf/``, renders both PDFs at 50 dpi
with ``pdftoppm`` and pastes each form's pages side by side (PDF left, Word right) into ``OUTDIR/side-<code>.png``;
it prints the page counts of both. Not a test: CI has no LibreOffice.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from PIL import Image  # noqa: E402

from registry import documents  # noqa: E402
from registry.management.commands.print_gallery import Command as Gallery  # noqa: E402
from registry.management.commands.print_gallery import _users  # noqa: E402
from registry.papers import catalogue  # noqa: E402


def pages(pdf: Path, stem: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(stem)], check=True, timeout=120)
    return sorted(stem.parent.glob(f"{stem.name}-*.png"))


def side_by_side(left: list[Path], right: list[Path], out: Path) -> None:
    images = [(Image.open(a) if a else None, Image.open(b) if b else None) for a, b in _pairs(left, right)]
    width = max((a or b).width for a, b in images)
    height = max((a or b).height for a, b in images)
    sheet = Image.new("RGB", (2 * width + 20, len(images) * (height + 10)), "gray")
    for row, (a, b) in enumerate(images):
        if a:
            sheet.paste(a, (0, row * (height + 10)))
        if b:
            sheet.paste(b, (width + 20, row * (height + 10)))
    sheet.save(out)


def _pairs(left, right):
    n = max(len(left), len(right))
    return zip(left + [None] * (n - len(left)), right + [None] * (n - len(right)), strict=True)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: scripts/docx_gallery.py OUTDIR")
    out = Path(sys.argv[1])
    call_command("print_gallery", str(out))
    soffice = shutil.which("soffice")
    png = out / "png"
    png.mkdir(parents=True, exist_ok=True)
    users, gallery = _users(), Gallery()
    for code, form in catalogue.FORMS.items():
        document = gallery.paper(form, users)
        if isinstance(document, str):
            print(f"{code}: bỏ qua – {document}")
            continue
        (out / f"{code}.docx").write_bytes(documents.docx_bytes(document))
        if not soffice or not shutil.which("pdftoppm"):
            continue
        convert = [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out / "word-pdf")]
        subprocess.run([*convert, str(out / f"{code}.docx")], check=True, capture_output=True, timeout=300)
        left = pages(out / f"{code}.pdf", png / f"{code}-pdf")
        right = pages(out / "word-pdf" / f"{code}.pdf", png / f"{code}-word")
        side_by_side(left, right, out / f"side-{code}.png")
        print(f"{code}: PDF {len(left)} trang, Word (LibreOffice) {len(right)} trang")


if __name__ == "__main__":
    main()
