"""Load benchmark: the `make serve` set-up (gunicorn + an RQ worker) on PostgreSQL with the
district demo, driven by locust on loopback; then the sign-up invariants, checked in the
database. Not a test: figures go to docs/benchmarks.md.

    make bench-load BENCH_ARGS="--seed"          # first time: migrate and seed the database
    .venv/bin/python benchmarks/load.py [--users 50] [--duration 60] [--web-workers 2]

The database (default ``postgresql://postgres@127.0.0.1:5432/gongzhi_load``) must exist; with
``--seed`` it is migrated and given the district demo (some 7 minutes on the shared 2-core
machine). Nothing else is touched: the RQ queues and rate-limit keys live in a Redis database
of their own (``--redis-url``).
The keys come from ``GONGZHI_SECRET_KEY`` / ``GONGZHI_PERSONAL_DATA_KEY`` when set, else fixed
benchmark values: the ones the database was seeded with must be used again.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

BIN = Path(sys.executable).parent
SECRET_KEY = "load-benchmark-secret"
PERSONAL_DATA_KEY = "bG9hZC1iZW5jaG1hcmsta2V5LWxvYWQtYmVuY2htYXI="
HOT_SHIFTS = 24
# Sign-ups that hold a seat; waitlisted ones wait for one.
SEATED = ("confirmed", "attended", "no_show")


def environment(args) -> dict[str, str]:
    env = {**os.environ,
           "DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url,
           "GONGZHI_SECRET_KEY": os.environ.get("GONGZHI_SECRET_KEY", SECRET_KEY),
           "GONGZHI_PERSONAL_DATA_KEY": os.environ.get("GONGZHI_PERSONAL_DATA_KEY",
                                                       PERSONAL_DATA_KEY),
           "GONGZHI_JOBS_QUEUE": "gongzhi-load", "GONGZHI_RATELIMIT_KEY_PREFIX": "load",
           "GONGZHI_BIND": f"127.0.0.1:{args.port}",
           "GONGZHI_WEB_WORKERS": str(args.web_workers), "GONGZHI_RQ_WORKERS": "1",
           "GONGZHI_DEMO_ACCOUNTS_FILE": str(Path(args.out) / "demo-accounts.json"),
           "BIN": str(BIN)}
    return env


def flask(env, *command: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "marketplace.app", *command], env=env,
                   cwd=ROOT, check=True)


def app_for(env):
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "GONGZHI_SECRET_KEY",
                                           "GONGZHI_PERSONAL_DATA_KEY")})
    from marketplace.app import create_app

    return create_app({"REDIS_URL": None})


def make_plan(app, users: int, rng: random.Random) -> dict:
    """Who logs in, which shifts they browse and compete for, what they search."""
    from marketplace.auth.models import Role
    from marketplace.demo.commands import VOLUNTEER_PASSWORD
    from marketplace.extensions import db
    from marketplace.orgs.models import ServiceDomain
    from marketplace.volunteers.codes import LANGUAGES, SKILLS

    with app.app_context():
        phones = db.session.execute(text(
            "SELECT u.phone FROM users u JOIN volunteer_profiles p ON p.user_id = u.id "
            "JOIN role_grants g ON g.user_id = u.id AND g.role = :role "
            "WHERE p.birth_date < CURRENT_DATE - INTERVAL '19 years' "
            "AND p.hours_per_week >= 6 AND p.lat IS NOT NULL ORDER BY u.id"),
            {"role": Role.VOLUNTEER.value}).scalars().all()
        open_shifts = db.session.execute(text(
            "SELECT s.id, s.seats - s.seats_taken AS free FROM shifts s "
            "JOIN projects p ON p.id = s.project_id "
            "JOIN organizations o ON o.id = p.organization_id "
            "WHERE s.state = 'scheduled' AND p.state = 'published' AND o.status = 'approved' "
            "AND s.starts_at > now() + INTERVAL '2 days' "
            "AND s.starts_at < now() + INTERVAL '60 days' ORDER BY s.id")).all()
        # Hot shifts: no skill, age or insurance rule, one to four seats left.
        hot = db.session.execute(text(
            "SELECT s.id FROM shifts s JOIN projects p ON p.id = s.project_id "
            "JOIN organizations o ON o.id = p.organization_id "
            "WHERE s.state = 'scheduled' AND p.state = 'published' AND o.status = 'approved' "
            "AND s.starts_at > now() + INTERVAL '2 days' "
            "AND s.starts_at < now() + INTERVAL '60 days' "
            "AND s.seats - s.seats_taken BETWEEN 1 AND 4 AND s.min_age = 0 AND NOT s.risky "
            "AND CAST(s.skills AS TEXT) = '[]' ORDER BY s.id")).scalars().all()
        communities = db.session.execute(text("SELECT id FROM communities")).scalars().all()
    today = time.strftime("%Y-%m-%d")
    days = [(time.time() + 86400 * d) for d in range(1, 30)]
    return {
        "accounts": [{"phone": p, "password": VOLUNTEER_PASSWORD}
                     for p in rng.sample(phones, users)],
        "hot_shifts": sorted(rng.sample(hot, min(HOT_SHIFTS, len(hot)))),
        "browse_shifts": [row.id for row in rng.sample(open_shifts, min(500, len(open_shifts)))],
        "filters": {
            "domain": [d.value for d in ServiceDomain],
            "skill": list(SKILLS), "language": list(LANGUAGES),
            "community": communities,
            "date": [time.strftime("%Y-%m-%d", time.localtime(t)) for t in days] or [today],
        },
    }


def wait_until_serving(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the site did not answer at {url} within {seconds:.0f} s")


def log_in_all(base: str, accounts: list[dict]) -> list[float]:
    """Log every account in before the measured run (argon2id makes a login cost some 100 ms
    of CPU on purpose); each account keeps its session cookie. Returns the logins' times."""
    import http.cookiejar
    import re

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    times = []
    for account in accounts:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        with opener.open(f"{base}/auth/login", timeout=30) as page:
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                              page.read().decode()).group(1)
        form = urllib.parse.urlencode({"phone": account["phone"],
                                       "password": account["password"],
                                       "csrf_token": token}).encode()
        started = time.perf_counter()
        try:
            opener.open(f"{base}/auth/login", data=form, timeout=30)
        except urllib.error.HTTPError as answer:
            if answer.code != 302:
                raise SystemExit(f"a login answered {answer.code}") from None
        times.append((time.perf_counter() - started) * 1000)
        account["cookies"] = {cookie.name: cookie.value for cookie in jar}
    return times


def cpu_seconds(session_id: int) -> float:
    """User + system CPU of the processes of one session (gunicorn, its workers, RQ)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[3]) == session_id:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def uptime() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def last_sign_up(app) -> int:
    from marketplace.extensions import db

    with app.app_context():
        return db.session.execute(text("SELECT coalesce(max(id), 0) FROM sign_ups")).scalar()


def invariants(app, last_id: int) -> dict:
    from marketplace.extensions import db

    seated = ", ".join(f"'{s}'" for s in SEATED)
    with app.app_context():
        run = lambda sql, **p: db.session.execute(text(sql), p)  # noqa: E731
        return {
            "shifts with more seated sign-ups than seats": run(
                f"SELECT count(*) FROM (SELECT s.id FROM shifts s JOIN sign_ups u "
                f"ON u.shift_id = s.id AND u.state IN ({seated}) GROUP BY s.id, s.seats "
                f"HAVING count(*) > s.seats) t").scalar(),
            "scheduled shifts whose seat count differs from their confirmed sign-ups": run(
                "SELECT count(*) FROM shifts s WHERE s.state = 'scheduled' AND s.seats_taken "
                "<> (SELECT count(*) FROM sign_ups u WHERE u.shift_id = s.id "
                "AND u.state = 'confirmed')").scalar(),
            "duplicate live sign-ups (same shift and volunteer)": run(
                "SELECT count(*) FROM (SELECT shift_id, volunteer_id FROM sign_ups "
                "WHERE state <> 'cancelled' GROUP BY shift_id, volunteer_id "
                "HAVING count(*) > 1) t").scalar(),
            "shifts with a free seat and someone waiting": run(
                "SELECT count(*) FROM shifts s WHERE s.state = 'scheduled' "
                "AND s.seats_taken < s.seats AND EXISTS (SELECT 1 FROM sign_ups u "
                "WHERE u.shift_id = s.id AND u.state = 'waitlisted')").scalar(),
            # FIFO: nobody who signed up later got a seat directly while an earlier one waits.
            "waitlisted sign-ups overtaken by a later direct seat": run(
                "SELECT count(*) FROM sign_ups w WHERE w.state = 'waitlisted' AND EXISTS ("
                "SELECT 1 FROM sign_ups c WHERE c.shift_id = w.shift_id "
                "AND c.state = 'confirmed' AND c.promoted_at IS NULL AND c.id > w.id)").scalar(),
            "sign-ups made during the run (confirmed / waitlisted)": tuple(run(
                "SELECT count(*) FILTER (WHERE state = 'confirmed'), "
                "count(*) FILTER (WHERE state = 'waitlisted') FROM sign_ups "
                "WHERE id > :last", last=last_id).one()),
        }


def read_stats(prefix: str) -> list[dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        return list(csv.DictReader(stats))


def table(rows: list[dict]) -> str:
    lines = ["| page | requests | failures | p50 ms | p95 ms | p99 ms | max ms | req/s |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        lines.append(f"| `{name}` | {row['Request Count']} | {row['Failure Count']} | "
                     f"{row['50%']} | {row['95%']} | {row['99%']} | "
                     f"{float(row['Max Response Time']):.0f} | "
                     f"{float(row['Requests/s']):.1f} |")
    return "\n".join(lines)


def drive(args, env, plan: dict, prefix: str, app, serve_log) -> tuple[str, str, int, float]:
    """`make serve`'s processes, locust against them, then both stopped."""
    server = subprocess.Popen(["sh", "scripts/serve.sh"], cwd=ROOT, env=env, stdout=serve_log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{args.port}"
        wait_until_serving(f"{base}/")
        logins = log_in_all(base, plan["accounts"])
        Path(env["GONGZHI_LOAD_PLAN"]).write_text(json.dumps(plan))
        print(f"{len(logins)} logins one after another: p50 {statistics.median(logins):.0f} ms, "
              f"max {max(logins):.0f} ms")
        last_id = last_sign_up(app)
        load_before, cpu_before = uptime(), cpu_seconds(server.pid)
        # Statistics restart once every user is running: the figures are for a steady load.
        ramp_s = int(args.users / args.spawn_rate) + 2
        subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "benchmarks/locustfile.py"),
                        "--headless", "--users", str(args.users),
                        "--spawn-rate", str(args.spawn_rate),
                        "--run-time", f"{args.duration + ramp_s}s", "--reset-stats",
                        "--host", f"http://127.0.0.1:{args.port}", "--csv", prefix,
                        "--only-summary", "--stop-timeout", "10"],
                       env=env, cwd=ROOT, check=False)
        cpu = cpu_seconds(server.pid) - cpu_before
        return load_before, uptime(), last_id, cpu
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/gongzhi_load")
    # A Redis database of its own: its worker must not take other queues' jobs.
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--seed", action="store_true", help="migrate and seed the district demo")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", default=tempfile.mkdtemp(prefix="gongzhi-load-"))
    parser.add_argument("--random-seed", type=int, default=1)
    args = parser.parse_args()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    env = environment(args)
    if args.seed:
        flask(env, "db", "upgrade")
        started = time.perf_counter()
        flask(env, "seed-demo", "--scale", "district")
        print(f"seeded in {time.perf_counter() - started:.0f} s")
    app = app_for(env)
    plan = make_plan(app, args.users, random.Random(args.random_seed))
    plan_path = Path(args.out) / "plan.json"
    plan_path.write_text(json.dumps(plan))
    env["GONGZHI_LOAD_PLAN"] = str(plan_path)

    prefix = str(Path(args.out) / "locust")
    with open(Path(args.out) / "serve.log", "w") as serve_log:
        load_before, load_after, last_id, cpu = drive(args, env, plan, prefix, app, serve_log)
    rows = read_stats(prefix)
    print(f"\nload average before {load_before}, after {load_after}; "
          f"{args.users} users, {args.duration} s, {args.web_workers} gunicorn workers\n")
    print(table(rows))
    requests = sum(int(row["Request Count"]) for row in rows if row["Name"] == "Aggregated")
    print(f"\nthe web workers used {cpu:.1f} CPU s: {1000 * cpu / max(requests, 1):.0f} ms of "
          f"CPU a request (PostgreSQL's own not counted)")
    checks = invariants(app, last_id)
    print()
    for name, value in checks.items():
        print(f"- {name}: {value}")
    failures = sum(int(row["Failure Count"]) for row in rows if row["Name"] == "Aggregated")
    broken = [name for name, value in checks.items() if not name.startswith("sign-ups made")
              and value]
    print(f"\nlocust output and the server log: {args.out}")
    sys.exit(1 if failures or broken else 0)


if __name__ == "__main__":
    main()
