"""The small demo has a year of hours with star levels spread as in a real district, work in
the demo social worker's queue, and a demo volunteer who can get a certificate."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.hours.models import HoursEntry, HoursKind, HoursState
from marketplace.hours.services import counted_entries, star_level


def test_small_demo_spreads_star_levels_and_fills_the_queue(app, runner, client):
    result = runner.invoke(args=["seed-demo", "--scale", "small"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        minutes = dict(db.session.execute(
            select(HoursEntry.volunteer_id, func.sum(HoursEntry.minutes))
            .where(counted_entries(), HoursEntry.kind == HoursKind.VOLUNTEER)
            .group_by(HoursEntry.volunteer_id)
        ).all())
        levels = [star_level(int(m)) for m in minutes.values()]
        assert len(levels) > 500
        assert levels.count(0) / len(levels) > 0.7  # most under 100 h
        assert 1 <= levels.count(5) <= 15  # a few five-star volunteers
        assert all(levels.count(level) for level in range(1, 6))
        days = db.session.execute(
            select(func.min(HoursEntry.service_date), func.max(HoursEntry.service_date))
        ).one()
        assert (days[1] - days[0]).days >= 300  # a year of service
        states = dict(db.session.execute(
            select(HoursEntry.state, func.count()).group_by(HoursEntry.state)).all())
        assert states[HoursState.PENDING] and states[HoursState.REJECTED]

    with open(app.config["DEMO_ACCOUNTS_FILE"], encoding="utf-8") as handle:
        accounts = {a["role"]: a for a in json.load(handle)}
    for role in ("social_worker", "volunteer"):
        client.post("/auth/logout")
        client.post("/auth/login", data={"phone": accounts[role]["phone"],
                                         "password": accounts[role]["password"]})
        if role == "social_worker":
            queue = client.get("/hours/queue", headers={"Accept-Language": "zh-CN"}).text
            assert queue.count('class="entry"') >= 8
        else:
            mine = client.get("/me/hours", headers={"Accept-Language": "zh-CN"}).text
            assert "1 星级志愿者" in mine and "开具证明" in mine
