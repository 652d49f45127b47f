"""No page or JSON answer shows a seeded full phone, ID number or health note to anyone who
should not see it: every GET route, filled with the world's objects, fetched as every role
(on the site logged in, on the API with the role's personal access token).
Masked forms are fine (and expected where staff need to know whom they deal with)."""

from __future__ import annotations

from access_table import (
    ROLES,
    SENTINEL_HEALTH_NOTE,
    SENTINEL_HOUSEHOLD_PHONE,
    SENTINEL_ID_NUMBER,
    SENTINEL_VOLUNTEER_PHONE,
    probe_order,
)

from marketplace.privacy.masking import mask_phone

HOUSEHOLD_SENTINELS = (SENTINEL_HOUSEHOLD_PHONE, SENTINEL_HEALTH_NOTE)
VOLUNTEER_SENTINELS = (SENTINEL_VOLUNTEER_PHONE, SENTINEL_ID_NUMBER)


def forbidden_for(role: str) -> tuple[str, ...]:
    """The volunteer may see their own phone and ID number; the household's values are
    shown in full only through an audited reveal (a POST), never on a page."""
    if role == "volunteer":
        return HOUSEHOLD_SENTINELS
    return HOUSEHOLD_SENTINELS + VOLUNTEER_SENTINELS


def test_no_response_shows_a_sentinel_to_a_role_that_should_not_see_it(app, access_world):
    rules = [rule for method, rule in probe_order(app) if method == "GET"]
    leaks, fetched, ok_pages = [], 0, 0
    masked_seen = set()
    for role in ROLES:
        for rule in rules:
            url = access_world.url(rule)
            response = access_world.probe("GET", rule, role)
            fetched += 1
            ok_pages += response.status_code == 200
            body = response.get_data()  # bytes: some routes answer PDF, CSV or images
            leaks += [(role, url, value) for value in forbidden_for(role)
                      if value.encode() in body]
            for value in (SENTINEL_VOLUNTEER_PHONE, SENTINEL_HOUSEHOLD_PHONE):
                if mask_phone(value).encode() in body:
                    masked_seen.add((role, value))
    assert leaks == []
    assert fetched == len(rules) * len(ROLES) and ok_pages > len(rules)
    # Not vacuous: the values are in the world, and staff see them masked.
    assert ("sw_a", SENTINEL_VOLUNTEER_PHONE) in masked_seen
    assert ("sw_a", SENTINEL_HOUSEHOLD_PHONE) in masked_seen
