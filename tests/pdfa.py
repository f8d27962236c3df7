"""A test-side checker of the PDF/A-3b requirements that can be read from the file's objects (ISO 19005-3, level B).

No full validator installs here: veraPDF is a Java application distributed outside the package registries this
machine reaches (a Java runtime is present, the veraPDF jars are not), no Python package validates PDF/A, and qpdf
checks only the file's structure. So this reads the PDF with pyHanko's reader (already a dependency) and checks
what ISO 19005-3 asks of the objects; it does not check what only a renderer or a font parser can (glyph widths
against the embedded font, the colour of every operator, the XMP schema in full). ``problems`` returns every breach
found, in Vietnamese-free plain words for the test's message; an empty list means none of these checks failed.

Checked (clause of ISO 19005-3 in brackets):
- the header: ``%PDF-1.n`` and a comment of four bytes above 127 on the second line [6.1.2];
- no encryption, a file identifier in the trailer [6.1.3];
- every stream: no external file (``/F``), no LZW filter [6.1.7];
- the catalogue's XMP metadata (compressed is allowed from PDF/A-2 on, as WeasyPrint writes it): a stream saying
  ``pdfaid:part`` 3, ``pdfaid:conformance`` B [6.6.2, 6.6.4]; the info dictionary's
  ``/Producer`` equal to the XMP's ``pdf:Producer`` [6.6.2.3];
- an output intent ``/GTS_PDFA1`` with an ICC profile stream of 1, 3 or 4 components [6.2.3];
- every font drawn (pages, form XObjects, annotation appearances, recursively) embedded: ``/FontFile``,
  ``/FontFile2`` or ``/FontFile3`` in its descriptor (a Type 3 font draws itself) [6.2.11.4];
- no JavaScript, launch, import or reset action anywhere: catalogue, pages, annotations, the name tree [6.5, 6.6.1];
- annotations: the Print flag set, Hidden, Invisible, NoView clear; an appearance stream unless the box is empty
  [6.3.2, 6.3.3]; no ``/NeedAppearances`` true in the AcroForm [6.4.1];
- images: no ``/Alternates``, no ``/Interpolate`` true [6.2.8];
- embedded files: each file specification has ``/AFRelationship``, ``/UF``, an ``/EF`` stream with a MIME type
  (``/Subtype``) and a modification date in ``/Params``, and is listed in the catalogue's ``/AF`` [6.8].
"""

import io
import re

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/ResetForm", "/Sound", "/Movie", "/Hide"}
ANNOTATION_PRINT, ANNOTATION_HIDDEN, ANNOTATION_INVISIBLE, ANNOTATION_NOVIEW = 4, 2, 1, 32


def _get(obj):
    return obj.get_object() if isinstance(obj, generic.IndirectObject) else obj


def _ref(obj):
    """An indirect object's number (what two references to one object share)."""
    return obj.idnum if isinstance(obj, generic.IndirectObject) else id(obj)


def _xmp_value(xmp: str, name: str) -> str | None:
    found = re.search(rf"<{name}>([^<]*)</{name}>|{name}=\"([^\"]*)\"", xmp)
    return None if found is None else (found.group(1) or found.group(2))


class _Checker:
    def __init__(self, data: bytes):
        self.data = data
        self.reader = PdfFileReader(io.BytesIO(data), strict=False)
        self.found: list[str] = []
        self.seen: set[int] = set()

    def problem(self, text: str) -> None:
        self.found.append(text)

    # --- the file -------------------------------------------------------------------------------------------------

    def header(self) -> None:
        first, _, rest = self.data.partition(b"\n")
        if not re.fullmatch(rb"%PDF-1\.[0-7]\r?", first):
            self.problem(f"header is {first[:12]!r}")
        second = rest.split(b"\n", 1)[0]
        if not (second.startswith(b"%") and len([b for b in second[1:5] if b > 127]) == 4):
            self.problem("no binary comment on the second line")

    def trailer(self) -> None:
        trailer = self.reader.trailer
        if "/Encrypt" in trailer:
            self.problem("encrypted")
        if "/ID" not in trailer:
            self.problem("no file identifier (/ID) in the trailer")

    def metadata(self) -> None:
        root = self.reader.root
        stream = _get(root.get("/Metadata"))
        if not isinstance(stream, generic.StreamObject):
            self.problem("no XMP metadata stream in the catalogue")
            return
        xmp = stream.data.decode("utf-8", "replace")
        if _xmp_value(xmp, "pdfaid:part") != "3":
            self.problem(f"pdfaid:part is {_xmp_value(xmp, 'pdfaid:part')!r}, not 3")
        if _xmp_value(xmp, "pdfaid:conformance") != "B":
            self.problem(f"pdfaid:conformance is {_xmp_value(xmp, 'pdfaid:conformance')!r}, not B")
        trailer = self.reader.trailer
        info = _get(trailer["/Info"]) if "/Info" in trailer else None
        if info is not None and "/Producer" in info and str(info["/Producer"]) != _xmp_value(xmp, "pdf:Producer"):
            self.problem("the info dictionary's /Producer differs from the XMP's pdf:Producer")

    def output_intent(self) -> None:
        intents = _get(self.reader.root.get("/OutputIntents")) or []
        pdfa = [_get(i) for i in intents if _get(i).get("/S") == "/GTS_PDFA1"]
        if not pdfa:
            self.problem("no /GTS_PDFA1 output intent")
            return
        profile = _get(pdfa[0].get("/DestOutputProfile"))
        if not isinstance(profile, generic.StreamObject) or int(profile.get("/N", 0)) not in (1, 3, 4):
            self.problem("the output intent has no ICC profile stream")
        elif profile.data[36:40] != b"acsp":
            self.problem("the output intent's profile is not an ICC profile")

    def catalogue(self) -> None:
        root = self.reader.root
        self.action(root.get("/OpenAction"), "the catalogue's /OpenAction")
        if "/AA" in root:
            self.problem("additional actions (/AA) in the catalogue")
        names = _get(root.get("/Names"))
        if names is not None and "/JavaScript" in names:
            self.problem("a JavaScript name tree")
        form = _get(root.get("/AcroForm"))
        if form is not None and form.get("/NeedAppearances") is True:
            self.problem("/NeedAppearances true in the AcroForm")

    def action(self, action, where: str) -> None:
        action = _get(action)
        while isinstance(action, generic.DictionaryObject):
            if action.get("/S") in FORBIDDEN_ACTIONS:
                self.problem(f"a {action['/S']} action in {where}")
            action = _get(action.get("/Next"))

    # --- pages and what they draw ---------------------------------------------------------------------------------

    def pages(self) -> None:
        def walk(node):
            node = _get(node)
            if "/Kids" in node:
                for kid in node["/Kids"]:
                    walk(kid)
                return
            number = len(self.seen_pages) + 1
            self.seen_pages.append(node)
            if "/AA" in node:
                self.problem(f"additional actions (/AA) on page {number}")
            self.resources(node.get("/Resources"), f"page {number}")
            for annotation in _get(node.get("/Annots")) or []:
                self.annotation(_get(annotation), number)

        self.seen_pages: list = []
        walk(self.reader.root["/Pages"])

    def annotation(self, annotation, page: int) -> None:
        subtype = annotation.get("/Subtype")
        flags = int(annotation.get("/F", 0))
        if subtype != "/Popup":
            if not flags & ANNOTATION_PRINT:
                self.problem(f"a {subtype} annotation on page {page} without the Print flag")
            if flags & (ANNOTATION_HIDDEN | ANNOTATION_INVISIBLE | ANNOTATION_NOVIEW):
                self.problem(f"a hidden {subtype} annotation on page {page}")
        self.action(annotation.get("/A"), f"a {subtype} annotation on page {page}")
        if "/AA" in annotation:
            self.problem(f"additional actions (/AA) on a {subtype} annotation on page {page}")
        x1, y1, x2, y2 = (float(v) for v in annotation.get("/Rect", [0, 0, 0, 0]))
        empty = x1 == x2 or y1 == y2
        appearance = _get(annotation.get("/AP"))
        if appearance is None:
            if not empty and subtype not in ("/Popup", "/Link"):
                self.problem(f"a {subtype} annotation on page {page} without an appearance stream")
            return
        for state in ("/N", "/R", "/D"):
            stream = _get(appearance.get(state))
            if isinstance(stream, generic.StreamObject):
                self.stream(stream, f"an annotation's appearance on page {page}")
                self.resources(stream.get("/Resources"), f"an annotation's appearance on page {page}")

    def resources(self, resources, where: str) -> None:
        resources = _get(resources)
        if not isinstance(resources, generic.DictionaryObject):
            return
        key = id(resources)
        if key in self.seen:
            return
        self.seen.add(key)
        for font in (_get(resources.get("/Font")) or {}).values():
            self.font(_get(font), where)
        for xobject in (_get(resources.get("/XObject")) or {}).values():
            xobject = _get(xobject)
            self.stream(xobject, where)
            if xobject.get("/Subtype") == "/Image":
                if "/Alternates" in xobject:
                    self.problem(f"an image with /Alternates in {where}")
                if xobject.get("/Interpolate") is True:
                    self.problem(f"an image with /Interpolate true in {where}")
            elif xobject.get("/Subtype") == "/Form":
                self.resources(xobject.get("/Resources"), where)
        for pattern in (_get(resources.get("/Pattern")) or {}).values():
            pattern = _get(pattern)
            if isinstance(pattern, generic.StreamObject):
                self.resources(pattern.get("/Resources"), where)

    def font(self, font, where: str) -> None:
        subtype = font.get("/Subtype")
        name = str(font.get("/BaseFont", "?"))
        if subtype == "/Type3":
            self.resources(font.get("/Resources"), where)
            return
        descendant = font
        if subtype == "/Type0":
            descendant = _get(font["/DescendantFonts"][0])
        descriptor = _get(descendant.get("/FontDescriptor"))
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            self.problem(f"font {name} in {where} is not embedded")

    def stream(self, stream, where: str) -> None:
        if not isinstance(stream, generic.StreamObject):
            return
        if "/F" in stream:
            self.problem(f"an external stream in {where}")
        filters = stream.get("/Filter")
        filters = [filters] if not isinstance(filters, list) else filters
        if "/LZWDecode" in [str(f) for f in filters if f is not None]:
            self.problem(f"an LZW-compressed stream in {where}")

    # --- embedded files -------------------------------------------------------------------------------------------

    def attachments(self) -> list[str]:
        """Check every embedded file; return their names."""
        names = _get(self.reader.root.get("/Names"))
        tree = _get(names.get("/EmbeddedFiles")) if names is not None else None
        if tree is None:
            return []
        flat = list(_get(tree.get("/Names")) or [])
        associated = {_ref(f) for f in (_get(self.reader.root.get("/AF")) or [])}
        result = []
        for name, raw in zip(flat[::2], flat[1::2], strict=True):
            spec = _get(raw)
            name = str(name)
            result.append(name)
            if spec.get("/AFRelationship") not in ("/Source", "/Data", "/Alternative", "/Supplement", "/Unspecified"):
                self.problem(f"the embedded file {name} has no valid /AFRelationship")
            if "/UF" not in spec:
                self.problem(f"the embedded file {name} has no /UF name")
            embedded = _get((_get(spec.get("/EF")) or {}).get("/F"))
            if not isinstance(embedded, generic.StreamObject):
                self.problem(f"the embedded file {name} has no /EF stream")
                continue
            if "/Subtype" not in embedded:
                self.problem(f"the embedded file {name} has no MIME type (/Subtype)")
            if "/ModDate" not in (_get(embedded.get("/Params")) or {}):
                self.problem(f"the embedded file {name} has no /ModDate in /Params")
            if _ref(raw) not in associated:
                self.problem(f"the embedded file {name} is not in the catalogue's /AF")
        return result

    def run(self) -> list[str]:
        self.header()
        self.trailer()
        self.metadata()
        self.output_intent()
        self.catalogue()
        self.pages()
        self.attachments()
        return self.found


def problems(data: bytes) -> list[str]:
    """Every PDF/A-3b breach this checker finds in ``data``; empty when it finds none."""
    return _Checker(data).run()


def attachments(data: bytes) -> list[str]:
    """The names of the embedded files of ``data``."""
    return _Checker(data).attachments()


def mime_type(data: bytes, name: str) -> str:
    """The MIME type (``/Subtype`` of the embedded stream) of the embedded file ``name``, e.g. ``application/json``."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    flat = list(_get(_get(_get(reader.root["/Names"])["/EmbeddedFiles"])["/Names"]))
    spec = _get(flat[flat.index(name) + 1])
    return str(_get(_get(spec["/EF"])["/F"])["/Subtype"])[1:].replace("#2F", "/")
