"""The cheapest team for one request, found exactly by a small dynamic programme.

Members are described by the mask of requirement bits they cover. A team is
``size`` distinct members whose masks together cover ``full_mask``. Since a team
never needs more than ``size`` members of the same mask, keeping only the
``size`` cheapest per mask loses nothing, which keeps the programme tiny.
"""

from __future__ import annotations

from collections.abc import Sequence


def cheapest_team(size: int, full_mask: int, masks: Sequence[int], costs: Sequence[float],
                  allowed: Sequence[int] | None = None) -> tuple[float, list[int]] | None:
    """Return (cost, chosen positions) of the cheapest covering team, or None."""
    positions = range(len(masks)) if allowed is None else allowed
    if size == 1:
        best = None
        for j in positions:
            if masks[j] & full_mask == full_mask and (best is None or costs[j] < costs[best]):
                best = j
        return None if best is None else (costs[best], [best])
    by_mask: dict[int, list[int]] = {}
    for j in positions:
        by_mask.setdefault(masks[j] & full_mask, []).append(j)
    items = []
    for group in by_mask.values():
        group.sort(key=lambda j: costs[j])
        items.extend(group[:size])
    if len(items) < size:
        return None
    # states: (members chosen, bits covered) -> (cost, positions)
    states: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {(0, 0): (0.0, ())}
    for j in items:
        mask = masks[j] & full_mask
        cost = costs[j]
        for (count, covered), (total, chosen) in list(states.items()):
            if count == size:
                continue
            key = (count + 1, covered | mask)
            value = total + cost
            old = states.get(key)
            if old is None or value < old[0]:
                states[key] = (value, (*chosen, j))
    found = states.get((size, full_mask))
    return None if found is None else (found[0], list(found[1]))
