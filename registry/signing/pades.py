"""PAdES signatures of the issuing organisation, made on the server with pyHanko.

``sign`` adds one incremental revision to the issued PDF: a PAdES-B-B signature (``/ETSI.CAdES.detached``,
SHA-256), or PAdES-B-T when a timestamper (``timestamper_for(url)``) is given. ``Appearance`` places it visibly per
NĐ 30/2020 Phụ lục I: the signature image between the signer's title and name, the organisation's seal over about
the left third of it, and a line with the organisation and the signing time (ISO 8601, +07:00) in Liberation Serif,
embedded (subset) so the PDF/A file stays PDF/A. Without an appearance the signature is invisible (attachments,
lists without a signature block).
"""

import datetime
import functools
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from registry.signing.keys import Identity

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FONT = Path(__file__).resolve().parents[2] / "static" / "fonts" / "LiberationSerif-Regular.ttf"
# The image area of a visible stamp, in points (PDF user units): 60 × 28 mm, the signature space of the forms.
STAMP_WIDTH = 170
STAMP_HEIGHT = 79
IMAGE_PIXELS = (340, 130)  # 2 px a point (150 dpi printed), the text line below left out
STAMP_FONT_SIZE = 6  # points; also the leading of the text lines under the images
# Room kept for the signature container (CMS, the chain, a timestamp token): fixed, so that pyHanko does not sign
# twice to measure it.
RESERVED_BYTES = 16384


@dataclass(frozen=True)
class Appearance:
    """Where and how a visible signature is drawn: ``box`` (x1, y1, x2, y2) in points on page ``page`` (0-based),
    the unit's seal and signature images (PNG bytes, transparent), the text lines under them."""

    page: int
    box: tuple[float, float, float, float]
    lines: tuple[str, ...]
    seal_png: bytes = b""
    signature_png: bytes = b""


def iso_time(moment: datetime.datetime) -> str:
    """ "2026-12-06T15:04:05+07:00": ISO 8601 in Vietnam's time, as Phụ lục I asks."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def stamp_box(page: int, anchor: tuple[float, float, float, float]) -> tuple[int, tuple[float, float, float, float]]:
    """A stamp box of ``STAMP_WIDTH`` × ``STAMP_HEIGHT`` centred in ``anchor`` (x1, y1, x2, y2, points, PDF
    coordinates with y up): the signature space between the title and the name."""
    x1, y1, x2, y2 = anchor
    middle_x, middle_y = (x1 + x2) / 2, (y1 + y2) / 2
    return page, (
        round(middle_x - STAMP_WIDTH / 2),
        round(middle_y - STAMP_HEIGHT / 2),
        round(middle_x + STAMP_WIDTH / 2),
        round(middle_y + STAMP_HEIGHT / 2),
    )


@functools.lru_cache(maxsize=32)
def _composite(seal_png: bytes, signature_png: bytes) -> bytes:
    """The signature image with the seal over its left third (Phụ lục I), as one transparent PNG."""
    canvas = Image.new("RGBA", IMAGE_PIXELS, (255, 255, 255, 0))
    width, height = IMAGE_PIXELS
    signature_box = (0, 0, 0, 0)
    if signature_png:
        signature = Image.open(io.BytesIO(signature_png)).convert("RGBA")
        signature.thumbnail((int(width * 0.75), height))
        left = (width - signature.width) // 2
        top = (height - signature.height) // 2
        canvas.alpha_composite(signature, (left, top))
        signature_box = (left, top, signature.width, signature.height)
    if seal_png:
        seal = Image.open(io.BytesIO(seal_png)).convert("RGBA")
        seal.thumbnail((height, height))
        left, _, sig_width, _ = signature_box
        # The seal's right edge a third of the way into the signature image; centred when there is none.
        x = left + sig_width // 3 - seal.width if sig_width else (width - seal.width) // 2
        canvas.alpha_composite(seal, (max(x, 0), (height - seal.height) // 2))
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=False)
    return out.getvalue()


# Always in a stamp's font, whatever the unit's name: the time's digits and signs, the fixed words.
_ALWAYS = "0123456789-+:T ./()" + "Ký bởi: Thời gian ký CHỨNG THƯ THỬ NGHIỆM"


def stamp_font(text: str) -> str:
    """Liberation Serif cut down to the characters of ``text`` (and the digits of any time), written once per set
    of characters into the temporary directory: pyHanko parses and subsets the font at every signature, and on
    the whole font (~2,600 glyphs) that alone takes ~45 ms, on these few dozen glyphs ~2 ms."""
    return _stamp_font("".join(sorted(set(text) | set(_ALWAYS))))


@functools.lru_cache(maxsize=256)
def _stamp_font(characters: str) -> str:
    from fontTools import subset
    from fontTools.ttLib.scaleUpem import scale_upem

    key = digest(FONT.read_bytes() + characters.encode())[:24]
    target = Path(tempfile.gettempdir()) / f"danvan-stamp-font-{key}.ttf"
    if not target.exists():
        options = subset.Options()
        # Vietnamese letters are precomposed in the font: no shaping tables or hinting needed.
        options.layout_features = []
        options.hinting = False
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
        font = subset.load_font(str(FONT), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        # pyHanko writes the font's advance widths into /W as they are, but PDF reads them per 1000 units of the
        # em: Liberation Serif has 2048, and its letters would print twice as far apart.
        scale_upem(font, 1000)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        subset.save_font(font, str(partial), options)
        partial.replace(target)
    return str(target)


def text_height(lines: tuple[str, ...]) -> int:
    """Points taken by a stamp's text lines at the foot of its box: pyHanko sets them a leading (= the font size)
    apart, the first baseline one leading below the block's top, and the last line's descenders below the box's
    foot; one more leading keeps the accents of the first line clear of the images above (measured on a
    rendered stamp)."""
    return STAMP_FONT_SIZE * (len(lines) + 1) + 3


def _stamp_style(appearance: Appearance) -> TextStampStyle:
    background = None
    if appearance.seal_png or appearance.signature_png:
        image = Image.open(io.BytesIO(_composite(appearance.seal_png, appearance.signature_png)))
        background = PdfImage(image)
    return TextStampStyle(
        stamp_text="\n".join(appearance.lines),
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(stamp_font("".join(appearance.lines))), font_size=STAMP_FONT_SIZE
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(0, 0, 0, 0),
        ),
        background=background,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            # The images stop where the text lines begin: a seal drawn over "Ký bởi…" makes both unreadable.
            margins=layout.Margins(0, 0, 0, text_height(appearance.lines)),
        ),
        border_width=0,
    )


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's ``SimpleSigner`` with the key loaded once (``Identity.private_key``) for RSA PKCS#1 v1.5 and
    ECDSA; any other mechanism goes through pyHanko's own path."""

    def __init__(self, identity: Identity):
        super().__init__(
            signing_cert=identity.certificate,
            signing_key=identity.key,
            cert_registry=SimpleCertificateStore.from_certs([identity.certificate, *identity.chain]),
        )
        self._private_key = identity.private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._private_key, rsa.RSAPrivateKey):
            return self._private_key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa" and isinstance(self._private_key, ec.EllipticCurvePrivateKey):
            return self._private_key.sign(data, ec.ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


def timestamper_for(url: str) -> TimeStamper | None:
    """An RFC 3161 client of the timestamp authority at ``url`` (PAdES-B-T), or ``None`` for B-B."""
    if not url:
        return None
    from pyhanko.sign.timestamps.aiohttp_client import AIOHttpTimeStamper

    return AIOHttpTimeStamper(url, timeout=10)


class _TimedPdfSigner(signers.PdfSigner):
    """pyHanko's ``PdfSigner`` signing at a time the caller chose (the CMS signing-time attribute): the time the
    portal printed on the pages before signing (the stamp, an attachment's line) is then the signature's own.
    pyHanko takes the time when its signing session starts (``PdfSigningSession.system_time``)."""

    def __init__(self, *args, signed_at: datetime.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._signed_at = signed_at

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        if self._signed_at is not None:
            session.system_time = self._signed_at
        return session


class _MetadataKeepingWriter(IncrementalPdfFileWriter):
    """pyHanko's incremental writer without its metadata update.

    pyHanko replaces the XMP metadata with its own (compressed, ``pdf:Producer`` itself) while only appending
    itself to the info dictionary's producer: the two then disagree, and PDF/A wants them equal. The signature
    revision keeps WeasyPrint's PDF/A metadata untouched instead. ``_update_meta`` is pyHanko's own hook (not
    public API): a pyHanko that renames it signs as before, with its metadata.
    """

    def _update_meta(self):
        return None


def sign(
    pdf: bytes,
    identity: Identity,
    *,
    field_name: str,
    reason: str,
    location: str = "",
    appearance: Appearance | None = None,
    timestamper: TimeStamper | None = None,
    signed_at: datetime.datetime | None = None,
) -> bytes:
    """``pdf`` with the organisation's PAdES signature appended in a new revision; the original bytes are kept as
    the first bytes of the result. ``signed_at`` is the signing time the signature claims (now by default): the
    time already printed on the pages."""
    signer = _LoadedKeySigner(identity)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        name=identity.facts.subject,
    )
    if appearance is None:
        spec = fields.SigFieldSpec(sig_field_name=field_name)
        style = None
    else:
        spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=appearance.page, box=appearance.box)
        style = _stamp_style(appearance)
    writer = _MetadataKeepingWriter(io.BytesIO(pdf), strict=False)
    out = _TimedPdfSigner(
        meta, signer=signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec, signed_at=signed_at
    )
    return out.sign_pdf(writer, bytes_reserved=RESERVED_BYTES).getvalue()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
