"""Protected storage of ID numbers.

A database dump must not reveal them, yet a second registration with the same number must be
found. So each number is stored twice: Fernet-encrypted (readable with the key, for the person
themself and audited reveals) and as a keyed HMAC-SHA256 digest with a unique constraint. The
key comes from ``PERSONAL_DATA_KEY``; when that is empty it is derived from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


def _hkdf(material: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)


@lru_cache(maxsize=8)
def _keys(personal_data_key: str, secret_key: str) -> tuple[Fernet, bytes]:
    if personal_data_key:
        fernet_key = personal_data_key.encode()
        material = base64.urlsafe_b64decode(fernet_key)
    else:
        material = _hkdf(secret_key.encode(), b"gongzhi personal data key")
        fernet_key = base64.urlsafe_b64encode(material)
    # A separate key for digests: knowing one never gives the other.
    return Fernet(fernet_key), _hkdf(material, b"gongzhi id number digest")


def keys_for(personal_data_key: str, secret_key: str) -> tuple[Fernet, bytes]:
    """The encryption and digest keys a configuration gives (``personal_data_key`` empty: the
    ones derived from ``secret_key``); a malformed key raises ``ValueError``."""
    return _keys(personal_data_key, secret_key)


def _current_keys() -> tuple[Fernet, bytes]:
    config = current_app.config
    return _keys(config.get("PERSONAL_DATA_KEY") or "", str(config["SECRET_KEY"]))


def digest_with(digest_key: bytes, value: str) -> str:
    return hmac.new(digest_key, value.encode(), hashlib.sha256).hexdigest()


def encrypt(value: str) -> str:
    return _current_keys()[0].encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    return _current_keys()[0].decrypt(token.encode("ascii")).decode()


def digest(value: str) -> str:
    """Keyed digest for finding duplicates; equal values give equal digests."""
    return digest_with(_current_keys()[1], value)
