"""The role × endpoint expectation table (expectations.csv) held cell by cell.

One row per method and URL rule, one column per role. A cell is the status class the role
gets for the rule filled with a real object of organization A in district 1 (street A) and
an empty form: 200, 302 (a redirect inside the site), 302-login (sent to log in), 400
(the form's errors), 404 (not there for this person), 405. Rules are probed GETs first, in
rule order, so the table also pins what a POST changes for the probes after it.
"""

from __future__ import annotations

from access_table import (
    ROLES,
    probe_order,
    probed_methods,
    read_expectations,
    row_key,
    status_class,
)

# Rules naming an object that anyone logged in may act on, whatever its organization:
# applying to join a team (the team page is public).
OPEN_TO_EVERYONE = {"POST /teams/<int:team_id>/apply"}
OUTSIDERS = ("sw_b", "admin_b", "district_official_2")


def test_every_route_has_exactly_one_row_and_every_row_a_route(app):
    table = read_expectations()
    routes = {row_key(method, rule) for rule in app.url_map.iter_rules()
              for method in probed_methods(rule)}
    assert sorted(routes - table.keys()) == [], "routes without a row: classify them"
    assert sorted(table.keys() - routes) == [], "rows of routes that no longer exist"


def test_objects_of_another_organization_or_district_are_not_found():
    """Outsiders are told nothing exists: 404, never 403 or the page, on every object URL
    that is not public."""
    for key, cells in read_expectations().items():
        assert "403" not in cells.values(), key
        names_an_object = "<int:" in key
        public = cells["anonymous"] == "200" or key in OPEN_TO_EVERYONE
        if names_an_object and not public:
            assert {role: cells[role] for role in OUTSIDERS} == dict.fromkeys(OUTSIDERS, "404"), key


def test_every_cell_of_the_table(app, access_world):
    table = read_expectations()
    mismatches = []
    probes = 0
    for method, rule in probe_order(app):
        url = access_world.url(rule)
        expected = table[row_key(method, rule)]
        for role in ROLES:
            response = access_world.probe(method, rule, role)
            probes += 1
            if status_class(response) != expected[role]:
                mismatches.append(f"{method} {url} as {role}: {status_class(response)}, "
                                  f"expected {expected[role]}")
    assert probes == len(table) * len(ROLES)
    assert mismatches == []
