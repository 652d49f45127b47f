"""Fault drill on the `make serve` set-up (gunicorn + RQ worker) over the district demo: three
faults, each with what a user would notice checked. Not a test: it restarts the machine's
PostgreSQL (for some seconds) and kills processes. Outcomes go to docs/deploy.md.

    .venv/bin/python benchmarks/fault_drill.py [--database-url …] [--only redis|postgres|worker]

1. Redis unreachable (REDIS_URL at a closed port, so the shared Redis is left alone): pages
   answer, the runs page says runs are unavailable, starting one queues nothing.
2. PostgreSQL restarted while volunteers sign up and a social worker records hours: how long
   the site fails, how soon it answers again, and every sign-up and hours entry the site
   acknowledged is in the database afterwards. PostgreSQL is started again if the restart
   left it down.
3. The RQ worker solving a matching run killed with SIGKILL (work horse and its parent): the
   run ends `failed` once its heartbeat is stale and nothing of it is applied.

It needs the database seeded by `benchmarks/load.py --seed` (the demo's role accounts) and the
same keys in the environment.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ROOT, app_for, environment, wait_until_serving
from sqlalchemy import text

from marketplace.clock import local_today
from marketplace.demo.commands import ROLE_ACCOUNTS, VOLUNTEER_PASSWORD

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SOCIAL_WORKER = next((phone, password) for role, phone, password, _s in ROLE_ACCOUNTS
                     if role.value == "social_worker")
UNAVAILABLE = "Runs are unavailable right now"
# The site's default: a worker silent this long is dead. The snapshot of an organization's
# households at district scale takes some 20 s here, so a shorter one would fail live runs.
STALE_AFTER_S = 30


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log_in(base: str, phone: str, password: str) -> requests.Session:
    session = requests.Session()
    session.headers["Accept-Language"] = "en"
    token = CSRF.search(session.get(f"{base}/auth/login", timeout=30).text).group(1)
    answer = session.post(f"{base}/auth/login", allow_redirects=False, timeout=30,
                          data={"phone": phone, "password": password, "csrf_token": token})
    if answer.status_code != 302:
        raise SystemExit(f"login answered {answer.status_code}")
    return session


def post_form(session: requests.Session, page_url: str, url: str, data: dict):
    """The form's page, then the form sent; an error page instead of the form is returned."""
    page = session.get(page_url, timeout=10)
    found = CSRF.search(page.text)
    if found is None:
        return page
    return session.post(url, data={**data, "csrf_token": found.group(1)}, timeout=10)


class Served:
    """`scripts/serve.sh` in its own process group, stopped on exit."""

    def __init__(self, env: dict, log_path: Path):
        self.env = env
        self.log = open(log_path, "w")  # noqa: SIM115 -- closed in __exit__
        self.base = f"http://{env['GONGZHI_BIND']}"

    def __enter__(self):
        self.process = subprocess.Popen(["sh", "scripts/serve.sh"], cwd=ROOT, env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        wait_until_serving(f"{self.base}/")
        return self

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(30)
        self.log.close()


def scalar(app, sql: str, **params):
    from marketplace.extensions import db

    with app.app_context():
        value = db.session.execute(text(sql), params).scalar()
        db.session.remove()
        return value


# --- 1. Redis down -------------------------------------------------------------------------

def redis_down(env: dict, out: Path, app) -> dict:
    env = {**env, "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0", "GONGZHI_RQ_WORKERS": "0"}
    runs_before = scalar(app, "SELECT count(*) FROM matching_runs")
    with Served(env, out / "serve-redis-down.log") as site:
        anonymous = requests.Session()
        pages = {url: anonymous.get(site.base + url, timeout=30).status_code
                 for url in ("/", "/shifts", "/orgs", "/auth/login")}
        worker = log_in(site.base, *SOCIAL_WORKER)  # login throttling counts in memory
        runs_page = worker.get(f"{site.base}/care/runs", timeout=30).text
        org_id = scalar(app, "SELECT organization_id FROM role_grants g JOIN users u "
                             "ON u.id = g.user_id WHERE u.phone = :p", p=SOCIAL_WORKER[0])
        started = post_form(worker, f"{site.base}/auth/password", f"{site.base}/care/runs",
                            {"scope": f"organization:{org_id}", "time_limit_s": 5})
    return {
        "pages (status)": pages,
        "runs page says runs are unavailable": UNAVAILABLE in runs_page,
        "starting a run answers with the message": UNAVAILABLE in started.text,
        "runs queued": scalar(app, "SELECT count(*) FROM matching_runs") - runs_before,
    }


# --- 2. PostgreSQL restarted under load ----------------------------------------------------

class Load:
    """Volunteers signing up and a social worker recording hours, noting what was acknowledged."""

    def __init__(self, base: str, app, volunteers: int):
        self.base, self.app = base, app
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.sign_ups: list[tuple[int, int]] = []  # (shift id, volunteer profile id)
        self.hours: list[tuple[str, date, int]] = []  # (volunteer no, date, minutes)
        self.errors: list[tuple[float, str]] = []
        self.answers: list[tuple[float, bool]] = []  # (time, answered without a server error)
        rows = self._rows(
            "SELECT u.phone, p.id FROM users u JOIN volunteer_profiles p ON p.user_id = u.id "
            "WHERE p.birth_date < CURRENT_DATE - INTERVAL '19 years' AND p.hours_per_week >= 8 "
            "ORDER BY random() LIMIT :n", n=volunteers)
        self.volunteers = [(log_in(base, phone, VOLUNTEER_PASSWORD), profile_id)
                           for phone, profile_id in rows]
        self.shifts = [row[0] for row in self._rows(
            "SELECT s.id FROM shifts s JOIN projects p ON p.id = s.project_id "
            "JOIN organizations o ON o.id = p.organization_id WHERE s.state = 'scheduled' "
            "AND p.state = 'published' AND o.status = 'approved' AND s.min_age = 0 "
            "AND NOT s.risky AND CAST(s.skills AS TEXT) = '[]' "
            "AND s.starts_at > now() + INTERVAL '2 days' ORDER BY random() LIMIT 400")]
        self.volunteer_nos = [row[0] for row in self._rows(
            "SELECT volunteer_no FROM volunteer_profiles ORDER BY random() LIMIT 200")]
        self.org_id = scalar(app, "SELECT organization_id FROM role_grants g JOIN users u "
                                  "ON u.id = g.user_id WHERE u.phone = :p", p=SOCIAL_WORKER[0])
        self.social_worker = log_in(base, *SOCIAL_WORKER)

    def _rows(self, sql, **params):
        from marketplace.extensions import db

        with self.app.app_context():
            rows = db.session.execute(text(sql), params).all()
            db.session.remove()
            return rows

    def _note(self, ok: bool, what: str = "") -> None:
        with self.lock:
            self.answers.append((time.monotonic(), ok))
            if not ok:
                self.errors.append((time.monotonic(), what))

    def sign_up_loop(self, session: requests.Session, profile_id: int) -> None:
        rng = random.Random(profile_id)
        while not self.stop.is_set():
            shift_id = rng.choice(self.shifts)
            url = f"{self.base}/shifts/{shift_id}"
            try:
                answer = post_form(session, url, f"{url}/sign-up", {})
            except requests.RequestException as error:
                self._note(False, type(error).__name__)
            else:
                self._note(answer.status_code < 500, str(answer.status_code))
                if answer.status_code == 200 and ("You are signed up" in answer.text
                                                  or "you are on the waiting list" in answer.text):
                    with self.lock:
                        self.sign_ups.append((shift_id, profile_id))
            time.sleep(rng.uniform(0.2, 0.6))

    def hours_loop(self) -> None:
        ledger = f"{self.base}/orgs/{self.org_id}/hours"
        for attempt in range(100_000):
            if self.stop.is_set():
                return
            volunteer_no = self.volunteer_nos[attempt % len(self.volunteer_nos)]
            day = local_today() - timedelta(days=1 + attempt // 40)
            minutes = 15 * (1 + attempt % 40)
            try:
                answer = post_form(self.social_worker, ledger, ledger, {
                    "volunteer_no": volunteer_no, "service_date": day.isoformat(),
                    "hours": f"{minutes / 60:.2f}", "project_id": ""})
            except requests.RequestException as error:
                self._note(False, type(error).__name__)
            else:
                self._note(answer.status_code < 500, str(answer.status_code))
                if "Hours recorded" in answer.text:
                    with self.lock:
                        self.hours.append((volunteer_no, day, minutes))
            time.sleep(0.3)

    def start(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.sign_up_loop, args=pair, daemon=True)
                   for pair in self.volunteers]
        threads.append(threading.Thread(target=self.hours_loop, daemon=True))
        for thread in threads:
            thread.start()
        return threads


def postgres_up() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0


def restart_postgres() -> float:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    started = time.monotonic()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
                   check=False)
    return time.monotonic() - started


def postgres_restart(env: dict, out: Path, app, volunteers: int) -> dict:
    last_sign_up = scalar(app, "SELECT coalesce(max(id), 0) FROM sign_ups")
    with Served(env, out / "serve-postgres.log") as site:
        load = Load(site.base, app, volunteers)
        threads = load.start()
        time.sleep(10)
        restart_began = time.monotonic()
        try:
            restart_s = restart_postgres()
        finally:
            if not postgres_up():
                subprocess.run(["sh", str(ROOT / "scripts/ensure-services.sh")], check=False)
        time.sleep(15)
        load.stop.set()
        for thread in threads:
            thread.join(30)
    failed_after = [t - restart_began for t, _what in load.errors if t >= restart_began]
    recovered = [t - restart_began for t, ok in load.answers if ok and t >= restart_began
                 and (not failed_after or t - restart_began > max(failed_after))]
    lost_sign_ups = [pair for pair in load.sign_ups if not scalar(
        app, "SELECT count(*) FROM sign_ups WHERE shift_id = :s AND volunteer_id = :v "
             "AND state <> 'cancelled'", s=pair[0], v=pair[1])]
    lost_hours = [entry for entry in load.hours if not scalar(
        app, "SELECT count(*) FROM hours_entries h JOIN volunteer_profiles p "
             "ON p.id = h.volunteer_id WHERE p.volunteer_no = :n AND h.service_date = :d "
             "AND h.minutes = :m AND h.organization_id = :o",
        n=entry[0], d=entry[1], m=entry[2], o=load.org_id)]
    return {
        "pg_ctlcluster restart took s": round(restart_s, 1),
        "requests answered / failed": (sum(ok for _t, ok in load.answers), len(load.errors)),
        "failures (kind: count)": {kind: sum(1 for _t, k in load.errors if k == kind)
                                   for kind in {k for _t, k in load.errors}},
        "last failure, s after the restart began": round(max(failed_after), 1)
        if failed_after else None,
        "first good answer after that, s": round(min(recovered), 1) if recovered else None,
        "sign-ups acknowledged / in the database": (
            len(load.sign_ups), len(load.sign_ups) - len(lost_sign_ups)),
        "hours entries acknowledged / in the database": (
            len(load.hours), len(load.hours) - len(lost_hours)),
        "new sign-ups in the database": scalar(
            app, "SELECT count(*) FROM sign_ups WHERE id > :i", i=last_sign_up),
        "PostgreSQL up afterwards": postgres_up(),
    }


# --- 3. a worker killed mid-run --------------------------------------------------------------

def killed_worker(env: dict, out: Path, app) -> dict:
    env = {**env, "GONGZHI_CARE_RUN_STALE_AFTER_S": str(STALE_AFTER_S)}
    org_id = scalar(app, "SELECT organization_id FROM role_grants g JOIN users u "
                         "ON u.id = g.user_id WHERE u.phone = :p", p=SOCIAL_WORKER[0])
    states_sql = ("SELECT string_agg(r.state || ':' || r.n, ',' ORDER BY r.state) FROM ("
                  "SELECT c.state, count(*) AS n FROM care_requests c JOIN households h "
                  "ON h.id = c.household_id WHERE h.organization_id = :o GROUP BY c.state) r")
    requests_before = scalar(app, states_sql, o=org_id)
    with Served(env, out / "serve-worker.log") as site:
        worker = log_in(site.base, *SOCIAL_WORKER)
        post_form(worker, f"{site.base}/care/runs", f"{site.base}/care/runs",
                  {"scope": f"organization:{org_id}", "time_limit_s": 120})
        run_id = scalar(app, "SELECT max(id) FROM matching_runs")
        deadline = time.monotonic() + 300
        status = {}
        while time.monotonic() < deadline:
            status = worker.get(f"{site.base}/care/runs/{run_id}/status", timeout=10).json()
            if status["finished"]:
                raise SystemExit(f"run {run_id} ended before it could be killed: {status}")
            if status["state"] == "running" and status.get("phase") not in (None, "", "snapshot"):
                break
            time.sleep(1)
        phase_when_killed = status.get("phase")
        horse = int(scalar(app, "SELECT worker FROM matching_runs WHERE id = :i",
                           i=run_id).split(":")[1])
        parent = int(Path(f"/proc/{horse}/stat").read_text().rsplit(")", 1)[1].split()[1])
        os.kill(parent, signal.SIGKILL)
        os.kill(horse, signal.SIGKILL)
        killed_at = time.monotonic()
        while time.monotonic() < killed_at + STALE_AFTER_S + 60:
            status = worker.get(f"{site.base}/care/runs/{run_id}/status", timeout=10).json()
            if status["finished"]:
                break
            time.sleep(1)
        failed_after_s = time.monotonic() - killed_at
        page = worker.get(f"{site.base}/care/runs/{run_id}", timeout=30).text
    return {
        "phase when killed": phase_when_killed,
        "run state afterwards": status["state"], "error": status.get("error"),
        "seen failed after s": round(failed_after_s, 1),
        "proposals of the run": scalar(app, "SELECT count(*) FROM team_proposals "
                                            "WHERE run_id = :i", i=run_id),
        "care requests by state unchanged": scalar(app, states_sql, o=org_id) == requests_before,
        "run page offers to apply": f"/care/runs/{run_id}/apply" in page,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/gongzhi_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--volunteers", type=int, default=8)
    parser.add_argument("--only", choices=("redis", "postgres", "worker"))
    parser.add_argument("--out", default=tempfile.mkdtemp(prefix="gongzhi-faults-"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = environment(argparse.Namespace(**vars(args), users=0))
    app = app_for(env)
    drills = {"redis": lambda: redis_down(env, out, app),
              "postgres": lambda: postgres_restart(env, out, app, args.volunteers),
              "worker": lambda: killed_worker(env, out, app)}
    for name, drill in drills.items():
        if args.only in (None, name):
            print(f"== {name}", flush=True)
            print(json.dumps(drill(), indent=2, default=str, ensure_ascii=False), flush=True)
    print(f"server logs: {out}")


if __name__ == "__main__":
    main()
