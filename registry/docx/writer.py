"""A printed form as an editable Word file: the HTML of its PDF template in, .docx bytes out.

The Word file is written from the very HTML that WeasyPrint lays out (the same template, the same context), so every
sentence, number and name has one source: the template and the builders' context. This module only knows how the
markup of ``templates/pdf/`` looks on paper (its tags and classes, the sizes of ``static/css/pdf.css``) and says the
same in WordprocessingML: the two-column header as a borderless table, the rule under "ĐẢNG CỘNG SẢN VIỆT NAM" /
"Độc lập - Tự do - Hạnh phúc", Times New Roman 14 (13, 15, 16 where the PDF has them), A4 with the PDF's margins,
tables whose header row repeats on every page and whose rows never split, signature blocks and "Nơi nhận".

Body XML is written as strings and parsed once (a 300-row list is ~3,000 cells: python-docx's cell API would take
seconds); python-docx provides the package, the page setup, the page-number header, the footer and the properties.

``unknown_markup`` lists what the writer does not know (a class or tag added to a PDF template later): the tests
ask it of every form of the catalogue, so that nothing is silently dropped from the Word file.
"""

import io
import re
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape

import docx
import lxml.html
from django.template.loader import render_to_string
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from lxml import etree

FONT = "Times New Roman"
W_NS = nsdecls("w")

# A4, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm (forms.md §1).
PAGE_SHORT_MM, PAGE_LONG_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 15
# The header block runs 6 mm into the left margin and 4 mm into the right one (pdf.css: .doc-header-wrap).
HEADER_LEFT_OUT_MM, HEADER_RIGHT_OUT_MM = 6, 4
SIGNATURE_SPACE_MM = 28
FIRST_LINE_INDENT_CM = 1

KNOWN_TAGS = {
    "html", "head", "meta", "title", "body", "style", "div", "p", "h1", "span", "b", "i", "strong", "em", "br", "img",
    "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def _mm_to_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _pt_to_twips(pt: float) -> int:
    return round(pt * 20)


@dataclass(frozen=True)
class Fmt:
    """How a paragraph and its runs look: pdf.css said in Word's terms. ``None`` inherits Normal's."""

    align: str = "both"  # jc: both (justified), center, left
    first_line_cm: float = FIRST_LINE_INDENT_CM
    before: float = 0
    after: float = 6
    size: float | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    caps: bool = False
    keep_next: bool = False
    pre_line: bool = False  # keep the text's line breaks (white-space: pre-line)
    exact_line_mm: float | None = None
    line: int = 250  # line spacing in 240ths of a line: 1.2 em (pdf.css) is ~1.05 of a single line in Word
    rule_above_pct: float | None = None  # a centred rule this wide (percent of the column), above the paragraph
    page_break_before: bool = False


_CENTRED = {"align": "center", "first_line_cm": 0, "after": 0}
# Paragraph classes of templates/pdf/ and pdf.css: what each changes from a body paragraph.
BLOCK_CLASSES: dict[str, dict] = {
    # Header (partials/_header_party.html, _header_state.html)
    "header-superior": {**_CENTRED, "size": 13, "pre_line": True},
    "header-issuer": {**_CENTRED, "size": 13, "bold": True, "pre_line": True},
    "header-star": {**_CENTRED, "size": 14},
    "header-number": {**_CENTRED, "size": 14, "before": 6},
    "header-national": {**_CENTRED, "size": 15, "bold": True},
    "header-motto": {**_CENTRED, "size": 14, "bold": True},
    "header-dateline": {**_CENTRED, "size": 13, "italic": True, "before": 6},
    "header-issuer-rule": {**_CENTRED, "size": 2, "before": 2, "rule_above_pct": 35},
    # Title block
    "doc-title": {**_CENTRED},
    "doc-subject": {**_CENTRED, "bold": True},
    "doc-dashes": {**_CENTRED, "after": 6},
    "addressee": {**_CENTRED, "before": 6, "after": 12},
    "annex-ref": {**_CENTRED, "italic": True, "after": 9},
    "sealed-line": {"align": "right", "first_line_cm": 0, "size": 10},
    "copy-line": {"align": "right", "first_line_cm": 0, "size": 10},
    "draft-mark": {**_CENTRED, "italic": True, "size": 12, "after": 6},
    # Body
    "section-heading": {"bold": True, "before": 6, "keep_next": True},
    "report-heading": {"bold": True, "before": 6, "keep_next": True},
    "keep-with-next": {"keep_next": True},
    "commitment": {"before": 6},
    "total-line": {"first_line_cm": 0, "bold": True, "before": 6},
    "basis": {"italic": True, "after": 3},
    "decides": {"align": "center", "first_line_cm": 0, "bold": True, "before": 9, "after": 9},
    "fact": {},
    "report-list": {"after": 2},
    "no-data": {},
    # Signature blocks and "Nơi nhận" (partials/_signatures.html, _signature_block.html)
    "sig": {**_CENTRED},
    "sig-heading": {**_CENTRED, "size": 14, "bold": True, "pre_line": True},
    "sig-authority": {**_CENTRED, "size": 14, "bold": True, "pre_line": True},
    "sig-title": {**_CENTRED, "size": 14, "bold": True, "pre_line": True},
    "sig-note": {**_CENTRED, "size": 13, "italic": True},
    "sig-space": {**_CENTRED, "exact_line_mm": SIGNATURE_SPACE_MM},
    "sig-name": {**_CENTRED, "size": 14, "bold": True},
    "recipients": {"align": "left", "first_line_cm": 0, "after": 0, "size": 12, "line": 250},
    "recipients-label": {"size": 14, "underline": True},
}
# A State document (Mẫu 1a, 2a): the national name in 13 pt, "Nơi nhận" bold italic 12 pt (pdf.css: .state …).
STATE_CLASSES: dict[str, dict] = {
    "header-national": {"size": 13},
    "recipients-label": {"size": 12, "bold": True, "italic": True, "underline": False},
}
INLINE_CLASSES: dict[str, dict] = {
    "item-label": {"italic": True},
    "fact-label": {"bold": True},
    "article-label": {"bold": True},
    "ruled": {"underline": True},
}
INLINE_TAGS: dict[str, dict] = {
    "b": {"bold": True},
    "strong": {"bold": True},
    "i": {"italic": True},
    "em": {"italic": True},
}
# Classes that only group or place things, or that the Word file leaves out (the QR footer: a Word copy has no code).
STRUCTURE_CLASSES = {
    "portrait", "landscape", "party", "state", "doc-header-wrap", "doc-header", "header-left", "header-right",
    "closing", "annex", "signatures", "doc-footer", "draft-footer", "draft-watermark", "qr", "mau-3",
    "list", "votes", "review", "criteria", "figures", "proposed", "group", "subgroup", "stt", "center", "num", "count",
}  # fmt: skip
# Font size of a data table's cells, by its classes (pdf.css and the forms' own <style>): the first that matches.
TABLE_SIZES = [("review", 10), ("criteria", 12), ("figures", 12), ("proposed", 12), ("votes", 12), ("list", 10.5)]
MAU_3_TABLE_SIZE = 10
CENTRED_CELL_CLASSES = {"stt", "center", "num", "count"}
BLOCK_TAGS = {"div", "p", "h1", "table"}


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


class Writer:
    """Walks the HTML of one printed form and collects its body as WordprocessingML strings."""

    def __init__(self, html: str):
        root = lxml.html.document_fromstring(html)
        self.body = root.find("body")
        page = next(iter(self.body.iterchildren("div")), None)
        page_classes = set(_classes(page)) if page is not None else set()
        self.landscape = "landscape" in page_classes
        self.state = "state" in page_classes
        self.parts: list[str] = []
        self.draft_footer = ""
        self.pending_page_break = False
        self.unknown: set[str] = set()

    # --- Measures -------------------------------------------------------------------------------------------------

    @property
    def text_width_mm(self) -> float:
        page = PAGE_LONG_MM if self.landscape else PAGE_SHORT_MM
        return page - MARGIN_LEFT_MM - MARGIN_RIGHT_MM

    # --- Walking the markup ---------------------------------------------------------------------------------------

    def note(self, element) -> None:
        """Record a tag or class the writer has no rule for."""
        if element.tag not in KNOWN_TAGS:
            self.unknown.add(f"<{element.tag}>")
        for name in _classes(element):
            known = BLOCK_CLASSES.keys() | INLINE_CLASSES.keys() | STRUCTURE_CLASSES
            if name not in known:
                self.unknown.add(f".{name}")

    def fmt_of(self, element, base: Fmt) -> Fmt:
        changes = {}
        for name in _classes(element):
            changes.update(BLOCK_CLASSES.get(name, {}))
            if self.state:
                changes.update(STATE_CLASSES.get(name, {}))
        if element.tag == "h1":
            changes.update(_CENTRED, size=16, bold=True, caps=True)
        return replace(base, **changes) if changes else base

    def run(self) -> list[str]:
        self.blocks(self.body, Fmt(), self.parts)
        return self.parts

    def blocks(self, element, fmt: Fmt, out: list[str]) -> None:
        """The block children of ``element`` as paragraphs and tables, appended to ``out``."""
        for child in element:
            if not isinstance(child.tag, str):
                continue  # a comment
            self.note(child)
            classes = set(_classes(child))
            if "draft-footer" in classes:
                self.draft_footer = " ".join(child.text_content().split())
                continue
            if child.tag in ("style", "head", "script") or classes & {"doc-footer", "draft-watermark"}:
                continue
            if child.tag == "table":
                self.table(child, out)
            elif "annex" in classes:
                self.pending_page_break = True
                self.blocks(child, fmt, out)
            elif "closing" in classes:
                # The body's last lines stay with the signatures (forms.md §5).
                self.blocks(child, replace(fmt, keep_next=True), out)
            elif child.tag == "div" and any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in child):
                self.blocks(child, self.fmt_of(child, fmt), out)
            elif child.tag in ("div", "p", "h1"):
                out.append(self.paragraph(child, self.fmt_of(child, fmt)))
            else:
                self.blocks(child, fmt, out)

    def paragraph(self, element, fmt: Fmt) -> str:
        if self.pending_page_break:
            fmt, self.pending_page_break = replace(fmt, page_break_before=True), False
        runs: list[str] = []
        self.inline(element, fmt, runs, state={"text": ""}, pre_line=fmt.pre_line, top=True)
        return _paragraph_xml(fmt, "".join(runs))

    def inline(self, element, fmt: Fmt, runs: list[str], *, state: dict, pre_line: bool, top: bool = False) -> None:
        """The runs of ``element``'s text and inline children; ``state["text"]`` is the paragraph's text so far
        (HTML white space: collapsed, none at the start of a paragraph)."""
        if not top:
            self.note(element)
            if element.tag == "br":
                runs.append("<w:r><w:br/></w:r>")
                state["text"] += "\n"
                self._tail(element, fmt, runs, state, pre_line)
                return
            if element.tag == "img":
                self._tail(element, fmt, runs, state, pre_line)
                return
            changes = dict(INLINE_TAGS.get(element.tag, {}))
            for name in _classes(element):
                changes.update(INLINE_CLASSES.get(name, {}))
            own = replace(fmt, **changes) if changes else fmt
        else:
            own = fmt
        self._text(element.text, own, runs, state, pre_line)
        for child in element:
            if isinstance(child.tag, str):
                self.inline(child, own, runs, state=state, pre_line=pre_line)
            else:
                self._text(child.tail, own, runs, state, pre_line)
        if not top:
            self._tail(element, fmt, runs, state, pre_line)

    def _tail(self, element, fmt, runs, state, pre_line):
        self._text(element.tail, fmt, runs, state, pre_line)

    def _text(self, text: str | None, fmt: Fmt, runs: list[str], state: dict, pre_line: bool) -> None:
        if not text:
            return
        if pre_line:
            lines = [" ".join(line.split()) for line in text.split("\n")]
            while lines and not lines[0] and not state["text"]:
                lines.pop(0)
            while lines and not lines[-1]:
                lines.pop()
            for i, line in enumerate(lines):
                if i:
                    runs.append("<w:r><w:br/></w:r>")
                    state["text"] += "\n"
                if line:
                    runs.append(_run_xml(fmt, line))
                    state["text"] += line
            return
        collapsed = re.sub(r"\s+", " ", text)
        if not state["text"] or state["text"][-1] in " \n":
            collapsed = collapsed.lstrip(" ")
        if collapsed:
            runs.append(_run_xml(fmt, collapsed))
            state["text"] += collapsed

    # --- Tables ---------------------------------------------------------------------------------------------------

    def table(self, element, out: list[str]) -> None:
        classes = set(_classes(element))
        if "doc-header" in classes:
            out.append(self.layout_table(element, header=True))
        elif "signatures" in classes:
            # 12 pt above the signatures (pdf.css), kept with them like the body's last lines.
            out.append(_paragraph_xml(Fmt(after=0, size=12, first_line_cm=0, keep_next=True), ""))
            out.append(self.layout_table(element, header=False))
        else:
            out.append(self.data_table(element))
        # Two tables in a row would merge in Word; a table also never ends the body. After the signatures the
        # paragraph is a hair high, so that a full last page does not push it onto an empty one.
        hair = 0.4 if "signatures" in classes else None
        out.append(_paragraph_xml(Fmt(after=0, size=2, first_line_cm=0, exact_line_mm=hair), ""))

    def _widths(self, element, total_twips: int, count: int) -> list[int]:
        cols = element.findall("colgroup/col")
        percents = []
        for col in cols:
            match = re.search(r"width:\s*([\d.]+)%", col.get("style") or "")
            percents.append(float(match.group(1)) if match else None)
        if "doc-header" in _classes(element):
            percents = [43, 57] if self.state else [50, 50]
        if len(percents) != count or None in percents:
            percents = [100 / count] * count
        scale = sum(percents)
        return [round(total_twips * p / scale) for p in percents]

    def _rows(self, element) -> list:
        return [tr for tr in element.iter("tr")]

    def layout_table(self, element, *, header: bool) -> str:
        """A borderless table that only places blocks side by side: the two-column header, the signatures."""
        width_mm = self.text_width_mm + (HEADER_LEFT_OUT_MM + HEADER_RIGHT_OUT_MM if header else 0)
        indent = -_mm_to_twips(HEADER_LEFT_OUT_MM) if header else 0
        rows = self._rows(element)
        count = max(len(row.findall("td")) for row in rows)
        widths = self._widths(element, _mm_to_twips(width_mm), count)
        xml = [_table_start(widths, indent=indent, borders=False)]
        for tr in rows:
            xml.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for width, td in zip(widths, tr.findall("td"), strict=False):
                self.note(td)
                cell: list[str] = []
                if any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in td):
                    self.blocks(td, self.fmt_of(td, Fmt(**_CENTRED) if header else Fmt()), cell)
                if not cell:
                    cell.append(self.paragraph(td, Fmt(**_CENTRED)))
                xml.append(_cell_xml(width, "".join(cell)))
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        return "".join(xml)

    def data_table(self, element) -> str:
        """A table of the form's content: bordered, its header row repeated on every page, no row split."""
        classes = set(_classes(element))
        size = next((s for name, s in TABLE_SIZES if name in classes), 12)
        if any("mau-3" in _classes(a) for a in element.iterancestors()):
            size = MAU_3_TABLE_SIZE
        rows = self._rows(element)
        count = max(sum(int(c.get("colspan") or 1) for c in row if c.tag in ("td", "th")) for row in rows)
        widths = self._widths(element, _mm_to_twips(self.text_width_mm), count)
        cell_fmt = Fmt(align="left", first_line_cm=0, after=0, size=size, line=240)
        xml = [_table_start(widths, indent=0, borders=True)]
        for tr in rows:
            self.note(tr)
            row_classes = set(_classes(tr))
            is_head = tr.getparent().tag == "thead"
            row_fmt = cell_fmt
            if "group" in row_classes:
                row_fmt = replace(row_fmt, bold=True, keep_next=True)
            if "subgroup" in row_classes:
                row_fmt = replace(row_fmt, bold=True, italic=True, keep_next=True)
            xml.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if is_head else "") + "</w:trPr>")
            column = 0
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                self.note(td)
                span = int(td.get("colspan") or 1)
                fmt = row_fmt
                if td.tag == "th":
                    fmt = replace(fmt, bold=True, align="center")
                elif CENTRED_CELL_CLASSES & set(_classes(td)):
                    fmt = replace(fmt, align="center")
                width = sum(widths[column : column + span])
                xml.append(_cell_xml(width, self.paragraph(td, fmt), span=span, middle=td.tag == "th"))
                column += span
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        return "".join(xml)


# --- WordprocessingML --------------------------------------------------------------------------------------------


def _rpr(fmt: Fmt) -> str:
    parts = []
    if fmt.bold:
        parts.append("<w:b/><w:bCs/>")
    if fmt.italic:
        parts.append("<w:i/><w:iCs/>")
    if fmt.caps:
        parts.append("<w:caps/>")
    if fmt.size:
        half_points = round(fmt.size * 2)
        parts.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    if fmt.underline:
        parts.append('<w:u w:val="single"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def _run_xml(fmt: Fmt, text: str) -> str:
    return f'<w:r>{_rpr(fmt)}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph_xml(fmt: Fmt, runs: str) -> str:
    ppr = []
    if fmt.keep_next:
        ppr.append("<w:keepNext/>")
    if fmt.page_break_before:
        ppr.append("<w:pageBreakBefore/>")
    if fmt.rule_above_pct:
        ppr.append('<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>')
    line = (
        f'w:line="{_mm_to_twips(fmt.exact_line_mm)}" w:lineRule="exact"'
        if fmt.exact_line_mm
        else f'w:line="{fmt.line}" w:lineRule="auto"'
    )
    ppr.append(f'<w:spacing w:before="{_pt_to_twips(fmt.before)}" w:after="{_pt_to_twips(fmt.after)}" {line}/>')
    if fmt.rule_above_pct:
        # A rule as wide as ``rule_above_pct`` of a header column, centred: indents narrow the paragraph's border.
        side = round(_mm_to_twips(80) * (100 - fmt.rule_above_pct) / 200)
        ppr.append(f'<w:ind w:left="{side}" w:right="{side}" w:firstLine="0"/>')
    else:
        ppr.append(f'<w:ind w:firstLine="{round(fmt.first_line_cm * 567)}"/>')
    ppr.append(f'<w:jc w:val="{fmt.align}"/>')
    mark = _rpr(fmt)  # the paragraph mark's size: an empty paragraph is as tall as its text would be
    return f"<w:p><w:pPr>{''.join(ppr)}{mark}</w:pPr>{runs}</w:p>"


def _table_start(widths: list[int], *, indent: int, borders: bool) -> str:
    edge = '<w:{0} w:val="single" w:sz="5" w:space="0" w:color="000000"/>' if borders else '<w:{0} w:val="nil"/>'
    border_xml = "".join(edge.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    margin = 40 if borders else 0  # 2 pt of padding in a list's cells (pdf.css: 2–2.5 pt), none in layout tables
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblInd w:w="{indent}" w:type="dxa"/>'
        f'<w:tblBorders>{border_xml}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="{margin // 2}" w:type="dxa"/><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:bottom w:w="{margin // 2}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" '
        f'w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
    )


def _cell_xml(width: int, content: str, *, span: int = 1, middle: bool = False) -> str:
    tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        tcpr += f'<w:gridSpan w:val="{span}"/>'
    if middle:
        tcpr += '<w:vAlign w:val="center"/>'
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{content or '<w:p/>'}</w:tc>"


# --- The package ---------------------------------------------------------------------------------------------------


def _set_fonts(style) -> None:
    style.font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)


def _page_number_field(paragraph) -> None:
    """A PAGE field in ``paragraph`` (the page's number, counted by Word)."""
    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple {W_NS} w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:t>2</w:t></w:r>'
            "</w:fldSimple>"
        )
    )


def _footer_line(footer, text: str, *, size: float, bold: bool = False, italic: bool = False) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.first_line_indent = 0
    run = paragraph.add_run(text)
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic


@dataclass(frozen=True)
class Properties:
    """The Word file's core properties and the small line at its foot."""

    title: str = ""
    subject: str = ""
    comments: str = ""
    footer_note: str = ""


def render_html(html: str, properties: Properties = Properties()) -> bytes:
    """The .docx bytes of one printed form's HTML."""
    writer = Writer(html)
    body_parts = writer.run()
    document = docx.Document()
    normal = document.styles["Normal"]
    _set_fonts(normal)
    normal.font.size = Pt(14)
    section = document.sections[0]
    width, height = (Mm(PAGE_LONG_MM), Mm(PAGE_SHORT_MM)) if writer.landscape else (Mm(PAGE_SHORT_MM), Mm(PAGE_LONG_MM))
    section.orientation = WD_ORIENT.LANDSCAPE if writer.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance, section.footer_distance = Mm(8), Mm(8)
    # Page numbers from page 2, centred at the top (forms.md §1): the first page has its own, empty header.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(number)
    note = writer.draft_footer or properties.footer_note
    if note:
        for footer in (section.footer, section.first_page_footer):
            if writer.draft_footer:
                _footer_line(footer, note, size=10, bold=True)
            else:
                _footer_line(footer, note, size=9, italic=True)
    # The body goes in as text, parsed once with the whole part: moving a long table's elements into the tree one by
    # one makes lxml reconcile namespaces node by node (a second for a 300-row list).
    body = document.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    xml = etree.tostring(document.element, encoding="unicode")
    at = xml.index("<w:sectPr")
    document.part._element = parse_xml(xml[:at] + "".join(body_parts) + xml[at:])
    # python-docx's blank template carries a thumbnail of an empty page: a file browser would show it as the preview.
    package_rels = document.part.package.rels
    for key, rel in list(package_rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            package_rels.pop(key)
    core = document.core_properties
    core.title, core.subject, core.comments = properties.title, properties.subject, properties.comments
    core.author = core.last_modified_by = ""
    core.keywords = "Dân vận khéo"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_template(template: str, context: dict, properties: Properties = Properties()) -> bytes:
    """The .docx bytes of a printed form's template rendered with ``context`` (the PDF's template and context)."""
    return render_html(render_to_string(template, context), properties)


def unknown_markup(template: str, context: dict) -> set[str]:
    """Tags and classes of the rendered template that the writer has no rule for (empty: nothing is dropped)."""
    writer = Writer(render_to_string(template, context))
    writer.run()
    return writer.unknown
