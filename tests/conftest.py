"""Shared fixtures. Every test that uses ``app`` (and so the database) runs on SQLite and on
PostgreSQL. PostgreSQL comes from ``TEST_POSTGRES_URL`` (default: the local server's ``test``
database); each pytest process works in a database of its own, created here and dropped after.
When ``CI`` is set and PostgreSQL is unreachable the run fails instead of skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fixtures.builders import FACTORY_PASSWORD
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from marketplace.app import create_app
from marketplace.extensions import db, limiter
from marketplace.i18n import compile_catalogs

# The factories (make_org, make_volunteer, make_official, make_team …) on one geography.
pytest_plugins = ["fixtures.factories", "fixtures.care", "fixtures.run_world"]

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ENGINES = ("sqlite", "postgresql")


def pytest_configure(config):
    # Under pytest-xdist the controller compiles before it starts its workers, so two
    # workers never write one .mo file at once.
    if not hasattr(config, "workerinput"):
        compile_catalogs()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL database for this pytest process."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # any connection failure means "unreachable"
        admin.dispose()
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL unreachable at {POSTGRES_ADMIN_URL} in CI: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    name = f"gongzhi_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def base_test_config(database_uri: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "PERSONAL_DATA_KEY": "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDE=",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": False,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8192,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    }


@pytest.fixture(params=ENGINES)
def db_engine(request) -> str:
    """The engine name of the current run: "sqlite" or "postgresql"."""
    return request.param


@pytest.fixture(scope="session")
def sqlite_schema_file(tmp_path_factory) -> Path:
    """An SQLite file holding the empty schema, copied for each test: building the schema
    takes half a second, copying the file a millisecond."""
    path = tmp_path_factory.mktemp("schema") / "empty.sqlite3"
    app = create_app(base_test_config(f"sqlite:///{path}"))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return path


@pytest.fixture
def app_config(db_engine, tmp_path, request) -> dict:
    """Override to change configuration before the app is built."""
    if db_engine == "sqlite":
        database = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_schema_file"), database)
        uri = f"sqlite:///{database}"
    else:
        uri = request.getfixturevalue("postgres_url")
    # seed-demo writes its accounts file: never the developer's instance/ folder.
    return {**base_test_config(uri), "DEMO_ACCOUNTS_FILE": str(tmp_path / "demo-accounts.json")}


# Above this many rows a PostgreSQL table is truncated rather than deleted from: deleting checks
# every foreign key row by row, against children full of dead rows (10 s after a seeded demo).
TRUNCATE_FROM_ROWS = 500


def _rows_up_to(conn, tables, limit: int) -> dict[str, int]:
    """Each table's row count, counted no further than ``limit``, in one statement."""
    return dict(conn.execute(text(" UNION ALL ".join(
        f"SELECT '{t.name}', (SELECT count(*) FROM (SELECT 1 FROM \"{t.name}\" LIMIT {limit})"
        " AS first_rows)" for t in tables))).all())


def empty_every_table(fresh_schema: bool = False) -> None:
    """Leave the app's database as a newly built schema is: every table empty, every id counter
    back at its start. The schema is built again only when a test changed it (a migration
    test drops it) or asks for it, since building it took most of a short test's time."""
    with db.engine.begin() as conn:
        whole = set(db.metadata.tables) <= set(inspect(conn).get_table_names())
    if fresh_schema or not whole:
        db.drop_all()
        db.create_all()
        return
    tables = list(reversed(db.metadata.sorted_tables))  # rows that point at others first
    with db.engine.begin() as conn:
        rows = _rows_up_to(conn, tables, TRUNCATE_FROM_ROWS)
        many = [f'"{t.name}"' for t in tables if rows[t.name] >= TRUNCATE_FROM_ROWS]
        if many and conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(many)} CASCADE"))
            rows = _rows_up_to(conn, tables, 1)  # CASCADE emptied their children too
        for table in tables:
            if rows[table.name]:
                conn.execute(table.delete())
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'"))
        elif inspect(conn).has_table("sqlite_sequence"):
            conn.execute(text("DELETE FROM sqlite_sequence"))


@pytest.fixture
def make_app(app_config, request):
    """Factory: an app built with ``overrides`` on top of the test configuration, on an empty
    database. A test marked ``fresh_schema`` gets its tables built anew, with no statistics
    left by earlier tests."""
    made = []
    fresh_schema = request.node.get_closest_marker("fresh_schema") is not None

    def factory(**overrides):
        app = create_app({**app_config, **overrides})
        with app.app_context():
            empty_every_table(fresh_schema)
        made.append(app)
        return app

    yield factory
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """A fresh app and an empty database for every test."""
    app = make_app()
    limiter.reset()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def live_server(app):
    """The app served on a free localhost port in a thread, for the browser tests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def make_user(app):
    """Factory: ``make_user(phone="13800000001", roles=[(Role.OFFICIAL, {"district_id": 1})])``.

    ``roles`` items are a ``Role`` or ``(Role, scope_kwargs)``; the password is
    ``FACTORY_PASSWORD`` ("correct horse 1").
    """
    from marketplace.auth.models import RoleGrant, User
    from marketplace.auth.passwords import hash_password

    counter = iter(range(10_000))

    def factory(phone=None, roles=(), password=FACTORY_PASSWORD, display_name="测试用户"):
        with app.app_context():
            user = User(
                phone=phone or f"139{next(counter):08d}",
                display_name=display_name,
                password_hash=hash_password(password),
            )
            for item in roles:
                role, scope = item if isinstance(item, tuple) else (item, {})
                user.grants.append(RoleGrant(role=role, **scope))
            db.session.add(user)
            db.session.commit()
            return user.id

    return factory


@pytest.fixture
def login_as(app):
    """Log a test client in as a user id without going through the login form."""
    from marketplace.auth.models import UserSession

    def do_login(client, user_id: int) -> str:
        token = uuid.uuid4().hex
        with app.app_context():
            db.session.add(UserSession(token=token, user_id=user_id))
            db.session.commit()
        with client.session_transaction() as sess:
            sess["_user_id"] = str(user_id)
            sess["_fresh"] = True
            sess["sid"] = token
        return token

    return do_login



@pytest.fixture
def count_queries(app):
    """``count_queries(client, url)``: statements the database runs while serving ``url``."""

    def run(client, url: str) -> int:
        statements = []

        def count(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    return run


@pytest.fixture
def clock_at(monkeypatch):
    """``clock_at(moment)``: the whole application reads ``moment`` (naive UTC) as now, and its
    Beijing day as today; column defaults too, since they call ``clock.utcnow``."""
    from marketplace import clock

    def set_to(moment: datetime) -> None:
        class Stopped(datetime):
            @classmethod
            def now(cls, tz=None):
                return moment.replace(tzinfo=UTC).astimezone(tz) if tz else moment

        monkeypatch.setattr(clock, "datetime", Stopped)

    return set_to


@pytest.fixture
def beijing_small_hours(clock_at) -> datetime:
    """Sets the clock to the last 01:00 in Beijing (returned, as naive UTC): Beijing's day has
    begun while UTC's is still the day before."""
    from marketplace.clock import BEIJING

    now = datetime.now(BEIJING)
    moment = now.replace(hour=1, minute=0, second=0, microsecond=0)
    if moment > now:
        moment -= timedelta(days=1)
    moment = moment.astimezone(UTC).replace(tzinfo=None)
    clock_at(moment)
    return moment


# Playwright against Debian chromium, one browser for the whole run: the sync API cannot
# nest a second Playwright instance inside the first one's event loop. Without chromium the
# browser tests skip, except under CI where a missing browser fails the run instead.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 640}

# Everything a finger taps; each must be at least 44 px tall.
TAP_TARGETS = (
    "button, .button, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
    "select, textarea, .site-nav a, label.choice, .page-link"
)

LAYOUT_PROBE = """(selector) => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden";
  };
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el)) continue;
    const height = el.getBoundingClientRect().height;
    if (height < 44) small.push(`${el.tagName.toLowerCase()}.${el.className}: ${height}px`);
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    fontSize: parseFloat(getComputedStyle(document.body).fontSize),
    smallTargets: small,
    buttons: document.querySelectorAll("button, .button").length,
  };
}"""


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing (make test installs Debian chromium as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Hosts a page may reach: the test's own server. Anything else (a CDN, a tile server, a
# font host) is refused and fails the test, so nothing a user does leaves the site.
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SCREENSHOTS = Path(os.environ.get("GONGZHI_TEST_ARTIFACTS", "test-artifacts")) / "screens"


class PageWatch:
    """What went wrong in a page beyond the test's own assertions: console errors, uncaught
    exceptions and requests to other hosts."""

    def __init__(self, context):
        self.problems: list[str] = []
        context.route("**/*", self._only_local)

    def _only_local(self, route):
        url = urlsplit(route.request.url)
        if url.scheme in {"data", "blob"} or url.hostname in LOCAL_HOSTS:
            route.continue_()
            return
        self.problems.append(f"request left the site: {route.request.url}")
        route.abort()

    def watch(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("response", self._response)

    def _console(self, message):
        # Chromium also logs every 4xx/5xx as a console error; a page answering 404 on
        # purpose (a refused certificate) is the test's business, so statuses are judged in
        # _response, where a page's own document is told apart from what it loads.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error on {message.location.get('url')}: {message.text}")

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def open_phone(browser, request):
    """``open_phone()`` opens a 360×640 touch screen that prefers Chinese, like most of the
    district's phones, in a context of its own (a second person in the same test). The test
    fails on any console error, uncaught script error or request to another host in any of
    them; each screen is kept under test-artifacts/screens/ when the test fails."""
    opened: list[tuple[object, PageWatch]] = []
    shutil.rmtree(_screens_folder(request.node), ignore_errors=True)

    def open_one(locale: str = "zh-CN"):
        context = browser.new_context(
            viewport=PHONE, locale=locale, has_touch=True, is_mobile=True, device_scale_factor=2
        )
        context.set_default_timeout(15_000)
        watch = PageWatch(context)
        context.on("page", watch.watch)
        page = context.new_page()
        opened.append((page, watch))
        return page

    yield open_one
    call = getattr(request.node, "report_call", None)
    problems = []
    for number, (page, watch) in enumerate(opened):
        if call is not None and call.failed:
            _save_screen(page, request.node, f"failed-{number}")
        page.context.close()
        problems.extend(watch.problems)
    assert not problems, "\n".join(problems)


@pytest.fixture
def phone_page(open_phone):
    """The test's first phone screen (see ``open_phone``)."""
    return open_phone()


def _screens_folder(node) -> Path:
    return SCREENSHOTS / re.sub(r"[^\w.-]+", "_", node.nodeid)


def _save_screen(page, node, name: str) -> Path:
    folder = _screens_folder(node)
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w-]+", "_", name)
    path = folder / f"{len(list(folder.iterdir())):02d}-{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


@pytest.fixture
def shot(phone_page, request):
    """``shot(name)`` keeps a screenshot of the phone page as a test artifact and checks that
    the page does not scroll sideways."""

    def take(name: str) -> Path:
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{phone_page.url}: {width}px wide"
        return _save_screen(phone_page, request.node, name)

    return take


@pytest.fixture
def check_phone_layout(request):
    """Asserts the rules of a phone page: no sideways scroll, 16 px text, 44 px tap targets;
    keeps a screenshot of each page it checks under test-artifacts/screens/."""

    def check(page) -> dict:
        _save_screen(page, request.node, urlsplit(page.url).path.strip("/") or "home")
        probe = page.evaluate(LAYOUT_PROBE, TAP_TARGETS)
        assert probe["scrollWidth"] <= PHONE["width"], f"{page.url}: {probe['scrollWidth']}px wide"
        assert probe["fontSize"] >= 16, f"{page.url}: body text {probe['fontSize']}px"
        assert not probe["smallTargets"], f"{page.url}: too small to tap: {probe['smallTargets']}"
        return probe

    return check
