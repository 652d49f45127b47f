"""The one small-numbers rule for officials' aggregates (domain §5): a count of persons
under five shows "<5", a rate whose denominator is under five shows "—"."""

from __future__ import annotations

SMALL = 5


def shown(numerator: int, denominator: int | None = None) -> str:
    """``shown(3)`` → "<5" (a count of persons); ``shown(4, 10)`` → "40.0%"; ``shown(1, 4)``
    → "—". Counts at or above five and rates with five or more in the denominator are exact."""
    if denominator is None:
        return "<5" if numerator < SMALL else str(numerator)
    if denominator < SMALL:
        return "—"
    return f"{100 * numerator / denominator:.1f}%"
