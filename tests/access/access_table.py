"""The access table's helpers: the roles, the seeded sentinels, the world's objects filling
a URL rule, the status class of an answer, and the table itself (expectations.csv)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from fixtures.builders import make_id_number
from fixtures.care import SENTINEL_NOTE, SENTINEL_PHONE

EXPECTATIONS = Path(__file__).with_name("expectations.csv")
ROLES = ("anonymous", "volunteer", "sw_a", "admin_a", "sw_b", "admin_b", "street_official_1",
         "district_official_1", "district_official_2", "platform_admin")

# Seeded once; never to be shown in full to anyone but the people they belong to.
SENTINEL_ID_NUMBER = make_id_number("19710203", 515)
SENTINEL_VOLUNTEER_PHONE = "13577889900"
SENTINEL_HOUSEHOLD_PHONE = SENTINEL_PHONE  # the household form's first person
SENTINEL_HEALTH_NOTE = SENTINEL_NOTE

API_PREFIX = "/api/"

# Arguments that are not object ids: one value each stands for the whole rule.
FIXED_ARGUMENTS = {"fmt": "csv", "kind": "contracts", "filename": "css/site.css",
                   "action": "approve", "flag": "on", "index": 0}


@dataclass
class AccessWorld:
    users: dict[str, int | None]
    ids: dict[str, int | str]
    clients: dict = field(default_factory=dict)  # logged in on the site (cookie session)
    api_clients: dict = field(default_factory=dict)  # presenting a personal access token

    def url(self, rule) -> str:
        """``rule`` filled with the world's objects; an endpoint's own ids win over the
        argument's name (two routes call different objects ``member_id``)."""
        values = {}
        for argument in rule.arguments:
            key = f"{rule.endpoint}:{argument}"
            if key in self.ids:
                values[argument] = self.ids[key]
            elif argument in self.ids:
                values[argument] = self.ids[argument]
            else:
                values[argument] = FIXED_ARGUMENTS[argument]
        return rule.build(values, append_unknown=False)[1]


    def probe(self, method: str, rule, role: str):
        """``role``'s answer to ``rule`` with an empty form (or, on the API, an empty JSON
        object), as a browser on the site or a script with a token on the API."""
        url = self.url(rule)
        if rule.rule.startswith(API_PREFIX):
            body = {"json": {}} if method != "GET" else {}
            return self.api_clients[role].open(url, method=method, **body)
        return self.clients[role].open(url, method=method, data={})


def status_class(response) -> str:
    if response.status_code in (301, 302, 303):
        location = response.headers.get("Location", "")
        return "302-login" if location.startswith("/auth/login") else "302"
    return str(response.status_code)


def row_key(method: str, rule) -> str:
    return f"{method} {rule.rule}"


def probed_methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def probe_order(app) -> list[tuple[str, object]]:
    """(method, rule) in the order the table is probed: every GET first, so that no POST of
    the walk changes what a page shows; logging out last, as it ends the session."""
    pairs = [(method, rule) for rule in app.url_map.iter_rules() for method in probed_methods(rule)]
    return sorted(pairs, key=lambda pair: (pair[0] != "GET", pair[1].endpoint == "auth.logout",
                                           pair[1].rule))


def read_expectations() -> dict[str, dict[str, str]]:
    with EXPECTATIONS.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = {}
    for row in rows:
        key = f"{row['method']} {row['rule']}"
        assert key not in table, f"{key} has two rows"
        table[key] = {role: row[role] for role in ROLES}
    return table
