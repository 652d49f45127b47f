from __future__ import annotations

import pytest
from cryptography.fernet import InvalidToken

from marketplace.app import create_app
from marketplace.privacy import crypto

NUMBER = "11010519491231002X"
KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDE="


def _app(secret: str, key: str = ""):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                       "SECRET_KEY": secret, "PERSONAL_DATA_KEY": key})


def test_round_trip_with_the_configured_key():
    with _app("s1", KEY).app_context():
        token = crypto.encrypt(NUMBER)
        assert NUMBER not in token and crypto.decrypt(token) == NUMBER
        # Encryption is randomised; the digest is not, so duplicates can be found.
        assert crypto.encrypt(NUMBER) != token
        assert crypto.digest(NUMBER) == crypto.digest(NUMBER) != crypto.digest(NUMBER[:-1] + "1")
        assert NUMBER not in crypto.digest(NUMBER)


def test_without_a_key_one_is_derived_from_the_secret_key():
    with _app("first secret").app_context():
        token, digest = crypto.encrypt(NUMBER), crypto.digest(NUMBER)
        assert crypto.decrypt(token) == NUMBER
    with _app("first secret").app_context():
        assert crypto.decrypt(token) == NUMBER and crypto.digest(NUMBER) == digest
    with _app("another secret").app_context():
        assert crypto.digest(NUMBER) != digest
        with pytest.raises(InvalidToken):
            crypto.decrypt(token)


def test_configured_and_derived_keys_give_different_digests():
    with _app("s", KEY).app_context():
        keyed = crypto.digest(NUMBER)
    with _app("s").app_context():
        assert crypto.digest(NUMBER) != keyed
