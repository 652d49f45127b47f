"""What the demo seeders share while they build one demo district."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

SCALES = ("small", "district")


@dataclass
class DemoAccount:
    role: str
    phone: str
    password: str


@dataclass
class DemoContext:
    scale: str
    rng: random.Random
    district: object | None = None  # marketplace.geo.models.District
    streets: list = field(default_factory=list)
    communities: list = field(default_factory=list)
    grids: list = field(default_factory=list)
    organizations: list = field(default_factory=list)
    volunteer_users: list = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    # One argon2 hash of the shared demo volunteer password, computed once: hashing
    # 19,617 passwords one by one would take many minutes.
    shared_password_hash: str = ""

    @property
    def is_full_district(self) -> bool:
        return self.scale == "district"
