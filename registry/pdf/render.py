"""The one way to turn a template and its context into PDF bytes: snapshot in, bytes out.

Only ``registry.documents`` calls this package; it imports nothing of the domain (no model, no rule), so a paper's
content is decided before it gets here.

The process keeps one ``FontConfiguration`` and the pre-parsed ``static/css/pdf.css`` for every render: that is
~25% faster than a plain ``write_pdf()`` and, unlike it, does not leak memory (docs/performance.md). WeasyPrint only
reaches files through ``StaticOnlyURLFetcher``: files under the project's ``static/`` directory and ``data:`` URIs
(the QR code); every other ``file://`` path and every remote URL is refused.

Python's cyclic garbage collector is paused while WeasyPrint lays out and writes a document, and the youngest
generation is collected once at the end. A render keeps hundreds of thousands of objects alive until it ends, most
of them in reference cycles (boxes, computed styles, Pango layouts: ~280,000 for a 300-row Mẫu 3). With the
collector running, every collection during the render walks them again: ~1.4 s of a ~4.8 s Mẫu 3 render, and now
and then a full collection (~100 ms) inside a one-page form. The one collection at the end frees the same garbage
in 0.2–0.3 s.

WeasyPrint's default (user-agent) stylesheet styles six pseudo-elements of every element (``::marker``, the
footnote and note calls and markers), and WeasyPrint computes each of those styles for each element, uncached:
six extra computed styles per table cell, ~10% of a long list's render. ``PrintHTML`` lays out with a copy of that
stylesheet where ``::marker`` applies to list items only and the footnote and note rules are left out: the forms
use neither footnotes nor notes.
"""

import contextlib
import datetime
import functools
import gc
import mimetypes
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, Attachment
from weasyprint import html as weasyprint_html
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

FONT_CONFIG = FontConfiguration()

# A rule of WeasyPrint's html5_ua.css, on one line, whose selector is a bare pseudo-element: it matches every element.
_EVERY_ELEMENT_PSEUDO_RULE = re.compile(r"^::(?:marker|footnote-[a-z]+|note-[a-z]+) \{[^}]*\}$", re.MULTILINE)
_LIST_ITEM_MARKER_RULE = "li::marker { font-variant-numeric: tabular-nums; white-space: pre; text-transform: none }"

_gc_lock = threading.Lock()
_thread_pauses = threading.local()  # this thread's nesting depth
_gc_pauses = 0
_gc_was_enabled = False


def static_dir() -> Path:
    """The project's own ``static/`` directory (fonts and pdf.css live there), resolved."""
    return (Path(settings.BASE_DIR) / "static").resolve()


class StaticOnlyURLFetcher(URLFetcher):
    """Serves ``file://`` URLs inside ``static/`` and ``data:`` URIs; raises ``ValueError`` for anything else."""

    def __init__(self):
        super().__init__(timeout=5, allowed_protocols={"file", "data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if path.is_relative_to(static_dir()) and path.is_file():
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
        raise ValueError(f"Refused URL outside the project's static files: {url[:200]}")


@functools.cache
def pdf_stylesheet() -> CSS:
    """``static/css/pdf.css`` parsed once; its @font-face rules register the shipped fonts in ``FONT_CONFIG``."""
    return CSS(
        filename=str(static_dir() / "css" / "pdf.css"), font_config=FONT_CONFIG, url_fetcher=StaticOnlyURLFetcher()
    )


@functools.cache
def print_ua_stylesheet() -> CSS | None:
    """WeasyPrint's default stylesheet without its every-element pseudo-element rules (``::marker`` kept for list
    items), or ``None`` when the installed WeasyPrint's stylesheet has no such rule left to drop."""
    trimmed, dropped = _EVERY_ELEMENT_PSEUDO_RULE.subn("", weasyprint_html.UA)
    if not dropped:
        return None
    # Its @counter-style rules already live in WeasyPrint's own counter styles, which every render copies; read
    # again into those, "disc" and "decimal" would be refused as defined twice.
    return CSS(string=f"{trimmed}\n{_LIST_ITEM_MARKER_RULE}\n", counter_style=CounterStyle())


class PrintHTML(HTML):
    """``weasyprint.HTML`` laid out with ``print_ua_stylesheet()`` in place of the default stylesheet.

    ``_ua_stylesheets`` is WeasyPrint's own hook for its default stylesheets (not public API): the override only swaps
    that one stylesheet in what WeasyPrint returns, so a WeasyPrint that renames the hook or drops the rules renders
    as before, only slower.
    """

    def _ua_stylesheets(self, *args, **kwargs):
        sheets = super()._ua_stylesheets(*args, **kwargs)
        trimmed = print_ua_stylesheet()
        if trimmed is None:
            return sheets
        return [trimmed if sheet is weasyprint_html.UA_STYLESHEET else sheet for sheet in sheets]


@contextlib.contextmanager
def cyclic_gc_paused():
    """Pause the cyclic garbage collector for the block, then collect the youngest generation once.

    Nested and concurrent blocks (threads) share one pause: when the last one ends, a collector that was on comes
    back; one the caller had turned off stays off. A thread whose outermost block ends while other threads still
    pause (threaded workers whose renders keep overlapping) runs a full collection itself: the pause must never let
    renders' cycles pile up, and another thread's collection may have moved them to the oldest generation. Sync
    workers (the deployed setting) never pay it. Reference counting still frees what is not in a cycle meanwhile.
    """
    global _gc_pauses, _gc_was_enabled
    _thread_pauses.depth = getattr(_thread_pauses, "depth", 0) + 1
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        _thread_pauses.depth -= 1
        with _gc_lock:
            _gc_pauses -= 1
            resume = _gc_pauses == 0 and _gc_was_enabled
            if resume:
                gc.enable()
            others_pausing = _gc_pauses > 0 and _thread_pauses.depth == 0 and _gc_was_enabled
        if resume:
            gc.collect(0)
        elif others_pausing:
            gc.collect()


def layout_html(html: str):
    """The laid-out pages of an HTML string (a WeasyPrint ``Document``), with the shared stylesheet and fonts;
    relative URLs resolve inside static/. Several layouts merge into one PDF with ``copy(pages)``."""
    with cyclic_gc_paused():
        source = PrintHTML(string=html, base_url=static_dir().as_uri() + "/", url_fetcher=StaticOnlyURLFetcher())
        return source.render(stylesheets=[pdf_stylesheet()], font_config=FONT_CONFIG)


def render_html(html: str) -> bytes:
    """PDF bytes of an HTML string, laid out by ``layout_html``."""
    with cyclic_gc_paused():
        return layout_html(html).write_pdf()


def render_template(template: str, context: dict) -> bytes:
    """PDF bytes of a printed form's template rendered with ``context``."""
    return render_html(render_to_string(template, context))


def layout_template(template: str, context: dict):
    """The laid-out pages of a printed form, unwritten (see ``merge_layouts``)."""
    return layout_html(render_to_string(template, context))


def merge_layouts(layouts) -> bytes:
    """One PDF of several laid-out forms: WeasyPrint's documented way, the pages of all written once, their fonts
    embedded once; with the cyclic collector paused, as for one form."""
    layouts = list(layouts)
    with cyclic_gc_paused():
        return layouts[0].copy([page for doc in layouts for page in doc.pages]).write_pdf()


@dataclass(frozen=True)
class Archival:
    """An issued document's PDF/A-3b bytes and, when its template marks one, the box of its signature space:
    ``(page index, (x1, y1, x2, y2))`` in PDF points, origin bottom left."""

    pdf: bytes
    signature_space: tuple[int, tuple[float, float, float, float]] | None


# 1 CSS px = 0.75 pt.
_PT_PER_PX = 0.75


def render_archival(
    template: str,
    context: dict,
    *,
    attachment: str,
    attachment_name: str,
    description: str,
    created: datetime.datetime,
    anchor: str,
) -> Archival:
    """PDF/A-3b bytes of a printed form (WeasyPrint's ``pdf/a-3b`` variant: XMP metadata, the sRGB output intent,
    fonts embedded) with ``attachment`` (text, e.g. the JSON snapshot) embedded as an associated file of
    relationship ``Source``; and where the element with id ``anchor`` was laid out (the signature space)."""
    with cyclic_gc_paused():
        document = layout_html(render_to_string(template, context))
        space = None
        for index, page in enumerate(document.pages):
            if anchor in page.anchors:
                x1, y1, x2, y2 = page.anchors[anchor]
                px = _PT_PER_PX
                space = (index, (x1 * px, (page.height - y2) * px, x2 * px, (page.height - y1) * px))
                break
        pdf = document.write_pdf(
            pdf_variant="pdf/a-3b",
            attachments=[
                Attachment(
                    string=attachment,
                    name=attachment_name,
                    description=description,
                    created=created,
                    modified=created,
                    relationship="Source",
                )
            ],
        )
    return Archival(pdf=pdf, signature_space=space)
