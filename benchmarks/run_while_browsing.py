"""Other pages' latency while a district-wide matching run solves.

Serves the site from a subprocess (Werkzeug's threaded server), logs in as the district
official of the demo, measures the p50 / p95 / max of a set of pages with nobody running,
then starts a district-wide run (the official's "start matching" form) and measures the same
pages while the run solves, until the run's row says it finished. Jobs go through the jobs
interface as configured: with ``--jobs rq`` an ``rq worker`` process solves the run (REDIS_URL
must be set), with ``--jobs thread`` a thread of the web process does.

    DATABASE_URL=postgresql://…/gongzhi_bench flask --app marketplace.app seed-demo --scale district
    DATABASE_URL=… GONGZHI_SECRET_KEY=… GONGZHI_PERSONAL_DATA_KEY=… [REDIS_URL=…] \\
        python benchmarks/run_while_browsing.py --accounts instance/demo-accounts.json \\
        [--jobs rq|thread] [--time-limit 60] [--clients 4]

Prints one JSON object: the baseline and during-run figures per page and overall, and the
run's own timings (time limit, solve wall time, whole job, state).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/orgs", "/shifts", "/matching-rules", "/care/runs"]
SERVER = """
import sys
from werkzeug.serving import make_server
from marketplace.app import create_app
make_server("127.0.0.1", int(sys.argv[1]), create_app(), threaded=True).serve_forever()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str, float]:
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                body = response.read().decode("utf-8", "replace")
                return response.status, body, time.perf_counter() - started
        except urllib.error.HTTPError as error:
            return error.code, "", time.perf_counter() - started

    def post(self, path: str, data: dict) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path,
                                         data=urllib.parse.urlencode(data).encode())
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.geturl()

    def csrf(self, path: str) -> str:
        _status, body, _s = self.get(path)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', body)
        if not found:
            raise SystemExit(f"no CSRF token on {path}")
        return found.group(1)

    def login(self, phone: str, password: str) -> None:
        token = self.csrf("/login")
        self.post("/login", {"csrf_token": token, "phone": phone, "password": password})


def official_account(path: str) -> tuple[str, str]:
    accounts = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = accounts if isinstance(accounts, list) else accounts.get("accounts", accounts)
    if isinstance(rows, dict):
        rows = [dict(value, key=key) for key, value in rows.items()]
    for row in rows:
        text = json.dumps(row, ensure_ascii=False)
        if "official" in text and "district" in text:
            return row["phone"], row["password"]
    raise SystemExit(f"no district official in {path}")


def summary(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(samples), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1)}


def browse(base: str, phone: str, password: str, stop: threading.Event, out: dict,
           rounds: int | None = None) -> None:
    browser = Browser(base)
    browser.login(phone, password)
    done = 0
    while not stop.is_set() and (rounds is None or done < rounds):
        for page in PAGES:
            status, _body, seconds = browser.get(page)
            out.setdefault(page, []).append(seconds)
            if status >= 500:
                out.setdefault("errors", []).append(page)
        done += 1


def measure(base, phone, password, clients, stop=None, rounds=None) -> dict:
    results = [{} for _ in range(clients)]
    stop = stop or threading.Event()
    threads = [threading.Thread(target=browse, args=(base, phone, password, stop, results[i],
                                                     rounds)) for i in range(clients)]
    for thread in threads:
        thread.start()
    return {"threads": threads, "results": results, "stop": stop}


def collect(handle) -> dict:
    for thread in handle["threads"]:
        thread.join()
    pages: dict[str, list[float]] = {}
    errors = 0
    for result in handle["results"]:
        errors += len(result.pop("errors", []))
        for page, samples in result.items():
            pages.setdefault(page, []).extend(samples)
    every = [s for samples in pages.values() for s in samples]
    return {"all": summary(every), "errors_5xx": errors,
            "pages": {page: summary(samples) for page, samples in pages.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", required=True, help="the demo's accounts file")
    parser.add_argument("--jobs", choices=("rq", "thread"), default="rq")
    parser.add_argument("--time-limit", type=int, default=60)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--baseline-rounds", type=int, default=10)
    args = parser.parse_args()
    env = dict(os.environ)
    if args.jobs == "thread":
        env.pop("REDIS_URL", None)
    elif not env.get("REDIS_URL"):
        raise SystemExit("--jobs rq needs REDIS_URL")
    env["GONGZHI_JOBS_QUEUE"] = f"gongzhi-bench-{os.getpid()}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/matching-rules", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        phone, password = official_account(args.accounts)
        baseline = collect(measure(base, phone, password, args.clients,
                                   rounds=args.baseline_rounds))

        if args.jobs == "rq":
            rq = Path(sys.executable).with_name("rq")
            worker = subprocess.Popen([str(rq), "worker", "--burst", "--url", env["REDIS_URL"],
                                       env["GONGZHI_JOBS_QUEUE"]], env=env, cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        official = Browser(base)
        official.login(phone, password)
        _status, body, _s = official.get("/care/runs")
        scope = re.search(r'<option[^>]*value="(district:\d+)"', body)
        if not scope:
            raise SystemExit("the official's start form offers no district")
        token = official.csrf("/care/runs")
        started = time.perf_counter()
        _status, location = official.post("/care/runs", {
            "csrf_token": token, "scope": scope.group(1), "time_limit_s": args.time_limit})
        start_s = time.perf_counter() - started
        run_path = urllib.parse.urlparse(location).path
        stop = threading.Event()
        during = measure(base, phone, password, args.clients, stop=stop)
        status = {}
        while True:
            code, text, _s = official.get(run_path + "/status")
            status = json.loads(text) if code == 200 else {}
            if status.get("finished"):
                break
            time.sleep(1)
        stop.set()
        during = collect(during)
        _code, problem, _s = official.get(run_path + "/problem.json")
        problem_data = json.loads(problem) if problem else {}
        report = {
            "jobs": args.jobs, "clients": args.clients, "start_request_s": round(start_s, 3),
            "run": {**status, "whole_job_s": round(time.perf_counter() - started, 1),
                    "volunteers": len(problem_data.get("volunteers", [])),
                    "requests": len(problem_data.get("requests", []))},
            "baseline": baseline, "during_run": during,
        }
        print(json.dumps(report, ensure_ascii=False, indent=1))
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(30)
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
