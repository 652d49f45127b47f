"""Re-encrypting personal data under a new ``PERSONAL_DATA_KEY``.

Every mapped column named ``<name>_encrypted`` holds a Fernet token; a ``<name>_digest``
column on the same table holds the keyed digest of the same value (ID numbers, found again on
a second registration). Both are rewritten from the decrypted value, so no domain needs to be
named here. A value the old key cannot read but the new one can was rotated before: a second
run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select, update

from marketplace.extensions import db
from marketplace.privacy.crypto import digest_with

SUFFIX = "_encrypted"


@dataclass(frozen=True)
class EncryptedColumn:
    model: type
    name: str
    digest_name: str | None

    @property
    def label(self) -> str:
        return f"{self.model.__tablename__}.{self.name}"


def encrypted_columns() -> list[EncryptedColumn]:
    found = []
    for mapper in db.Model.registry.mappers:
        names = set(mapper.columns.keys())
        for name in sorted(names):
            if name.endswith(SUFFIX):
                digest_name = name[: -len(SUFFIX)] + "_digest"
                found.append(EncryptedColumn(mapper.class_, name,
                                             digest_name if digest_name in names else None))
    return sorted(found, key=lambda column: column.label)


class UnreadableValue(Exception):
    """A stored value neither key opens: the old key given is not the one in use."""


def rotate(old: tuple[Fernet, bytes], new: tuple[Fernet, bytes]) -> dict[str, int]:
    """Rewrite every encrypted value (and its digest) from the old keys to the new; returns
    how many values each column had rewritten. The caller commits once."""
    (old_fernet, _old_digest_key), (new_fernet, new_digest_key) = old, new
    rewritten: dict[str, int] = {}
    for column in encrypted_columns():
        model = column.model
        key = model.__mapper__.primary_key[0]
        attribute = getattr(model, column.name)
        rows = db.session.execute(select(key, attribute).where(attribute.is_not(None))).all()
        count = 0
        for row_id, token in rows:
            try:
                value = old_fernet.decrypt(token.encode("ascii")).decode()
            except InvalidToken:
                try:
                    new_fernet.decrypt(token.encode("ascii"))
                except InvalidToken:
                    raise UnreadableValue(f"{column.label} id {row_id}") from None
                continue  # already under the new key
            values = {column.name: new_fernet.encrypt(value.encode()).decode("ascii")}
            if column.digest_name:
                values[column.digest_name] = digest_with(new_digest_key, value)
            db.session.execute(update(model).where(key == row_id).values(values)
                               .execution_options(synchronize_session=False))
            count += 1
        rewritten[column.label] = count
    return rewritten
