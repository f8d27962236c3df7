"""The signing edge: PKCS#12 identities kept sealed at rest, PAdES signatures made with pyHanko, and the checks of
a PDF signed outside the portal.

Like ``registry.pdf`` this package imports no domain module (no model, no rule): ``registry.documents`` hands it the
issued bytes and the unit's sealed identity, ``registry.verification`` an uploaded file, the issued bytes and the
trusted roots. Every refusal is a ``SigningError`` with a Vietnamese message and a ``code``.
"""


class SigningError(ValueError):
    """A refusal to sign or to accept a signed file; ``message`` is Vietnamese and shown as is."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code
