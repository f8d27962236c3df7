"""The signing edge: PKCS#12 identities kept sealed at rest, PAdES signatures made with pyHanko, and the checks of
a PDF signed outside the portal.

Like ``registry.pdf`` this package imports no domain module (no model, no rule): ``registry.documents`` hands it the
issued bytes and the unit's sealed identity, ``registry.verification`` an uploaded file, the issued bytes and the
trusted roots. Every refusal is a ``SigningError`` with a Vietnamese message and a ``code``.
"""

import warnings

from cryptography.utils import CryptographyDeprecationWarning

# pyHanko imports cryptography's DSA key class, which cryptography now flags as deprecated on import: the portal never
# uses DSA, and the warning would be printed by every command.
warnings.filterwarnings("ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning)


class SigningError(ValueError):
    """A refusal to sign or to accept a signed file; ``message`` is Vietnamese and shown as is."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code
