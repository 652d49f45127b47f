"""The full-scale demo geography matches domain §6 and the models' derived relations hold."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from marketplace.demo.context import DemoContext
from marketplace.demo.geography import seed_geography
from marketplace.extensions import db
from marketplace.geo.models import Community, CommunityKind, Grid, Street, StreetKind


def test_district_scale_has_six_streets_a_township_61_communities_and_about_500_grids(app_ctx):
    ctx = DemoContext(scale="district", rng=random.Random(1))
    seed_geography(ctx)
    db.session.commit()

    streets = db.session.scalars(select(Street)).all()
    assert sorted(str(s.kind) for s in streets).count("street") == 6
    township = [s for s in streets if s.kind == StreetKind.TOWNSHIP]
    assert [s.name for s in township] == ["小拐乡"]
    assert {c.kind for c in township[0].communities} == {CommunityKind.VILLAGE}
    assert len(township[0].communities) == 3

    kinds = dict(
        db.session.execute(select(Community.kind, func.count()).group_by(Community.kind)).all()
    )
    assert kinds == {CommunityKind.URBAN: 58, CommunityKind.VILLAGE: 3}
    grid_count, households, smallest, largest = db.session.execute(
        select(
            func.count(),
            func.sum(Grid.household_count),
            func.min(Grid.household_count),
            func.max(Grid.household_count),
        )
    ).one()
    assert 460 <= grid_count <= 540
    assert smallest >= 150 and largest <= 300
    assert 90_000 <= households <= 115_000
    over_60 = db.session.scalar(select(func.sum(Community.residents_over_60)))
    assert 24_000 <= over_60 <= 31_000  # 27,608 in Karamay at the end of 2013

    community = db.session.scalars(select(Community)).first()
    assert community.district_id == ctx.district.id
    assert all(grid.community.street.district is ctx.district for grid in community.grids)
    # Unique names inside a street keep the address pickers unambiguous.
    for street in streets:
        names = [c.name for c in street.communities]
        assert len(names) == len(set(names))
