"""The district dashboard on the district demo: server time of the page and its JSON.

Seeds the district demo into a fresh database (a SQLite file, or the PostgreSQL database of
``--database-url``), logs in as the demo's district official and requests
``/tracking/dashboard`` and ``/tracking/dashboard/data.json`` through the WSGI app (no
network). The dashboards keep no cache: every request computes its figures, the year of
hours from the summary ``flask tracking refresh-summary`` rebuilds (the seeder builds it
once). "cold" is the first request of a freshly created app (new engine, empty statement
and template caches), ``--cold`` times; "warm" the following ``--samples`` requests.
Reports p50 / p95 / max of each. The target is < 500 ms for the page.

    python benchmarks/dashboard.py --samples 20 --cold 5
    python benchmarks/dashboard.py --database-url sqlite:////tmp/district.sqlite3 --reuse
    python benchmarks/dashboard.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sqlalchemy import func, select, text

from marketplace.app import create_app
from marketplace.auth.models import Role, RoleGrant, UserSession
from marketplace.demo.commands import seed
from marketplace.extensions import db
from marketplace.tracking.models import Contract

PAGES = ("/tracking/dashboard", "/tracking/dashboard/data.json")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _report(label: str, times: list[float]) -> None:
    print(f"  {label}: p50 {statistics.median(times):.0f} ms, "
          f"p95 {_percentile(times, 0.95):.0f} ms, max {max(times):.0f} ms "
          f"({len(times)} requests)", flush=True)


def _app(url: str, workdir: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark",
                       "PERSONAL_DATA_KEY": "YmVuY2htYXJrLWtleS1iZW5jaG1hcmsta2V5LWJlbmM=",
                       "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8192,
                       "DEMO_ACCOUNTS_FILE": os.path.join(workdir, "accounts.json"),
                       "WTF_CSRF_ENABLED": False})


def _client(app, official: int, token: str):
    client = app.test_client()
    with client.session_transaction() as session:
        session.update({"_user_id": str(official), "_fresh": True, "sid": token})
    return client


def _timed(client, page: str) -> float:
    started = time.perf_counter()
    response = client.get(page)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--cold", type=int, default=5, help="fresh apps timed per page")
    parser.add_argument("--reuse", action="store_true",
                        help="measure a database seeded before, without reseeding")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="gongzhi-bench-")
    url = args.database_url or f"sqlite:///{os.path.join(workdir, 'district.sqlite3')}"
    app = _app(url, workdir)
    with app.app_context():
        if not args.reuse:
            db.drop_all()
            db.create_all()
            seed("district")
            db.session.commit()
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        official = db.session.scalar(
            select(RoleGrant.user_id).where(RoleGrant.role == Role.OFFICIAL,
                                            RoleGrant.district_id.is_not(None)))
        token = uuid.uuid4().hex
        db.session.add(UserSession(token=token, user_id=official))
        db.session.commit()
        contracts = db.session.scalar(select(func.count(Contract.id)))
    print(f"database: {url}; contracts: {contracts}", flush=True)
    for page in PAGES:
        print(page, flush=True)
        _report("cold", [_timed(_client(_app(url, workdir), official, token), page)
                         for _ in range(args.cold)])
        client = _client(app, official, token)
        client.get(page)
        _report("warm", [_timed(client, page) for _ in range(args.samples)])


if __name__ == "__main__":
    main()
