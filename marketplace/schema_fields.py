"""marshmallow fields shared by the API and the own-data download."""

from __future__ import annotations

from datetime import UTC

from marshmallow import fields


class UtcDateTime(fields.DateTime):
    """Times are stored as naive UTC; they leave as ISO 8601 with their offset, so no reader
    takes them for Beijing time."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
