"""The "open shifts near me" query on the district demo: 19,617 volunteers, a year of shifts.

Seeds the district demo into a fresh database (a temporary SQLite file, or the PostgreSQL
database of ``--database-url``), then runs the browse page's query from the home points of
randomly drawn volunteers: the radius probes, the first page of 20 open shifts nearest home
and its count, as the page runs them; reports p50 / p95 / max of each and of the whole. The
target is p95 < 100 ms for the whole query.

    python benchmarks/shift_search.py --samples 500
    python benchmarks/shift_search.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sqlalchemy import func, select, text

from marketplace.app import create_app
from marketplace.demo.commands import seed
from marketplace.extensions import db
from marketplace.projects.models import Shift, ShiftState, SignUp
from marketplace.projects.search import ShiftFilters, open_shifts_query, with_radius
from marketplace.volunteers.models import VolunteerProfile

PAGE = 20


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _summary(name: str, values: list[float]) -> str:
    return (f"{name:<22} p50 {statistics.median(values):6.1f} ms   "
            f"p95 {_percentile(values, 0.95):6.1f} ms   max {max(values):6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true",
                        help="measure a database this script seeded before, without reseeding")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="gongzhi-bench-")
    url = args.database_url or f"sqlite:///{os.path.join(workdir, 'district.sqlite3')}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark",
                      "PERSONAL_DATA_KEY": "YmVuY2htYXJrLWtleS1iZW5jaG1hcmsta2V5LWJlbmM=",
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8192,
                      "DEMO_ACCOUNTS_FILE": os.path.join(workdir, "accounts.json")})
    with app.app_context():
        started = time.perf_counter()
        if not args.reuse:
            db.drop_all()
            db.create_all()
            seed("district")
            db.session.commit()
            db.session.execute(text("ANALYZE"))  # fresh statistics, as a live database has
            db.session.commit()
            print(f"database: {url}")
        seeded = time.perf_counter() - started
        shifts = db.session.scalar(select(func.count(Shift.id)))
        open_now = db.session.scalar(select(func.count(Shift.id)).where(
            Shift.state == ShiftState.SCHEDULED))
        sign_ups = db.session.scalar(select(func.count(SignUp.id)))
        homes = db.session.execute(
            select(VolunteerProfile.lat, VolunteerProfile.lon)
            .where(VolunteerProfile.lat.is_not(None))
        ).all()
        volunteers = len(homes)
        rng = random.Random(args.seed)
        sample = [rng.choice(homes) for _ in range(args.samples)]
        radius_ms, page_ms, count_ms, found, radii = [], [], [], [], []
        for lat, lon in sample:
            home = (lat, lon)
            started = time.perf_counter()
            filters = with_radius(ShiftFilters(), home, PAGE)
            radius_ms.append((time.perf_counter() - started) * 1000)
            query = open_shifts_query(filters, home)
            started = time.perf_counter()
            rows = db.session.scalars(query.limit(PAGE)).all()
            page_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            found.append(db.session.scalar(
                select(func.count()).select_from(query.order_by(None).subquery())))
            count_ms.append((time.perf_counter() - started) * 1000)
            assert len(rows) == min(PAGE, found[-1])
            radii.append(filters.radius_km)
            db.session.expunge_all()
        whole = [a + b + c for a, b, c in zip(radius_ms, page_ms, count_ms, strict=True)]
        engine = db.engine.dialect.name
    print(f"engine {engine}; seeded in {seeded:.0f} s: {volunteers} volunteers, "
          f"{shifts} shifts ({open_now} open), {sign_ups} sign-ups")
    print(f"{args.samples} home points, first page of {PAGE}; median radius "
          f"{statistics.median(radii):g} km holding a median {statistics.median(found):.0f} "
          f"open shifts")
    print(_summary("radius probes", radius_ms))
    print(_summary("page (20 nearest)", page_ms))
    print(_summary("count", count_ms))
    print(_summary("whole query", whole))


if __name__ == "__main__":
    main()
