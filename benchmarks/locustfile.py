"""Volunteers browsing, searching shifts and signing up, for the load benchmark.

Run by ``benchmarks/load.py``, which writes the file named by ``GONGZHI_LOAD_PLAN``: the
volunteers' session cookies (one per simulated user, logged in beforehand), the shifts they
sign up for (a few seats each, so they compete for them), and the filter values to search
with. Every request is named by
its page, not its URL, so the figures come per page.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from urllib.parse import urlsplit

from locust import HttpUser, between, task

with open(os.environ["GONGZHI_LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_accounts = itertools.cycle(PLAN["accounts"])
_accounts_lock = threading.Lock()


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


class Volunteer(HttpUser):
    # Reading a page takes a moment: 50 such users make some 25 requests a second.
    wait_time = between(1, 3)

    def on_start(self) -> None:
        # Logged in by load.py before the run: the session cookie of one volunteer each.
        with _accounts_lock:
            account = next(_accounts)
        host = urlsplit(self.host).hostname
        for name, value in account["cookies"].items():
            # The server's later Set-Cookie (the CSRF secret) must replace this one, not sit
            # beside it: same name, domain and path.
            self.client.cookies.set(name, value, domain=host, path="/")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(4)
    def browse_shifts(self) -> None:
        self.client.get("/shifts", name="/shifts")

    @task(3)
    def search_shifts(self) -> None:
        search = random.choice(("domain", "skill", "language", "community", "date"))
        value = random.choice(PLAN["filters"][search])
        self.client.get("/shifts", params={search: value}, name="/shifts?filter")

    @task(3)
    def shift_page(self) -> None:
        self.client.get(f"/shifts/{random.choice(PLAN['browse_shifts'])}", name="/shifts/<id>")

    @task(1)
    def sign_up(self) -> None:
        shift_id = random.choice(PLAN["hot_shifts"])
        page = self.client.get(f"/shifts/{shift_id}", name="/shifts/<id>")
        if f'action="/shifts/{shift_id}/sign-up"' not in page.text:
            return  # signed up already, or a rule stands in the way: no button to tap
        with self.client.post(f"/shifts/{shift_id}/sign-up", name="/shifts/<id>/sign-up",
                              data={"csrf_token": csrf_token(page.text)},
                              allow_redirects=False,
                              catch_response=True) as answer:
            # Confirmed, waitlisted or refused by a rule checked at the tap (the seat gone, a
            # time clash): each comes back to the shift page with its message.
            if answer.status_code != 302 or not answer.headers.get(
                    "Location", "").endswith(f"/shifts/{shift_id}"):
                answer.failure(f"sign-up answered {answer.status_code}")

    @task(1)
    def my_sign_ups(self) -> None:
        self.client.get("/me/sign-ups", name="/me/sign-ups")
