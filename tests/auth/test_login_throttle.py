"""Failed logins are throttled per account from any address, and more loosely per address;
every attempt is counted before the password is checked."""

from __future__ import annotations

import os
import threading
import uuid

import pytest

from marketplace.extensions import db, limiter

PASSWORD = "correct horse 1"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def attempt(client, phone="13800138000", password="wrong password 0", addr="10.0.0.1", lang="en"):
    return client.post(
        "/auth/login",
        data={"phone": phone, "password": password},
        headers={"Accept-Language": lang},
        environ_base={"REMOTE_ADDR": addr},
    )


def test_the_eleventh_wrong_password_within_a_minute_gets_429(app, client, make_user):
    make_user(phone="13800138000")
    assert app.config["LOGIN_ATTEMPTS_PER_MINUTE"] == 10
    for _ in range(10):
        assert attempt(client).status_code == 200
    blocked = attempt(client)
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    # Even the right password waits now: guessing must not learn anything during the block.
    assert attempt(client, password=PASSWORD).status_code == 429


def test_the_429_page_is_in_chinese_for_chinese_browsers(client, make_user):
    make_user(phone="13800138000")
    for _ in range(10):
        attempt(client)
    blocked = attempt(client, lang="zh-CN,zh;q=0.9,en;q=0.8")
    assert blocked.status_code == 429
    assert "尝试次数过多" in blocked.get_data(as_text=True)


def test_successful_logins_and_other_phones_do_not_count(app, make_user):
    make_user(phone="13800138000")
    for _ in range(12):
        client = app.test_client()
        assert attempt(client, password=PASSWORD).status_code == 302
    client = app.test_client()
    for _ in range(10):
        attempt(client)
    # Another number from the same address still gets its own ten tries.
    assert attempt(client, phone="13900139000").status_code == 200


def test_one_address_trying_many_numbers_is_stopped(client):
    for n in range(50):
        assert attempt(client, phone=f"1380000{n:04d}").status_code == 200
    assert attempt(client, phone="13900009999").status_code == 429


def test_spellings_of_one_number_share_the_limit(client, make_user):
    make_user(phone="13800138000")
    spellings = ["13800138000", "+86 138 0013 8000", "１３８００１３８０００", "0086-13800138000"]
    for n in range(10):
        attempt(client, phone=spellings[n % len(spellings)])
    assert attempt(client, phone="86 138-0013-8000").status_code == 429


def test_throttling_never_logs_the_phone(client, caplog):
    caplog.set_level("DEBUG")
    for _ in range(11):
        attempt(client, phone="13912345678")
    logged = "\n".join(
        f"{record.getMessage()} {getattr(record, 'fields', '')}" for record in caplog.records
    )
    assert "ratelimit" in logged
    assert "13912345678" not in logged


def test_guessing_the_current_password_on_the_change_form_is_throttled(
    app, client, make_user, login_as
):
    login_as(client, make_user())
    data = {"current_password": "a guess", "new_password": "a new long secret",
            "confirm": "a new long secret"}
    for _ in range(10):
        assert client.post("/auth/password", data=data).status_code == 200
    assert client.post("/auth/password", data=data).status_code == 429
    # Another account is not affected.
    other = app.test_client()
    login_as(other, make_user())
    assert other.post("/auth/password", data=data).status_code == 200


def test_behind_a_trusted_proxy_clients_are_told_apart_by_forwarded_address(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    limiter.reset()
    client = app.test_client()

    def through_proxy(client_addr, phone):
        return client.post(
            "/auth/login",
            data={"phone": phone, "password": "wrong password 0"},
            headers={"X-Forwarded-For": client_addr},
            environ_base={"REMOTE_ADDR": "10.0.0.254"},  # the proxy itself
        )

    for n in range(50):  # the per-address brake: many numbers from one client
        assert through_proxy("203.0.113.7", f"1380000{n:04d}").status_code != 429
    assert through_proxy("203.0.113.7", "13900009999").status_code == 429
    # Another phone user behind the same proxy is not locked out by the first one.
    assert through_proxy("198.51.100.9", "13900009999").status_code != 429


def test_a_second_address_gets_no_more_guesses_for_one_account(make_user, app):
    make_user(phone="13800138000")
    for n in range(10):
        assert attempt(app.test_client(), addr=f"10.0.{n % 2}.1").status_code == 200
    for addr in ("10.0.0.1", "10.0.9.9", "203.0.113.5"):
        assert attempt(app.test_client(), addr=addr).status_code == 429
        assert attempt(app.test_client(), addr=addr, password=PASSWORD).status_code == 429


def _count_password_checks(monkeypatch) -> list[int]:
    """Patch the password check to count how many attempts were really evaluated."""
    from marketplace.auth import services

    checks = []
    lock = threading.Lock()
    real = services.verify_password

    def counting(password_hash, password):
        with lock:
            checks.append(1)
        return real(password_hash, password)

    monkeypatch.setattr(services, "verify_password", counting)
    return checks


def _in_parallel(app, count: int, send) -> list[int]:
    """Run ``send(client, n)`` from ``count`` threads released at once; the status codes."""
    barrier = threading.Barrier(count)
    statuses = [0] * count

    def run(n):
        client = app.test_client()
        barrier.wait()
        statuses[n] = send(client, n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def _thirty_parallel_guesses(app, monkeypatch) -> None:
    from marketplace.auth.models import User
    from marketplace.auth.passwords import hash_password

    with app.app_context():
        db.session.add(User(phone="13800138000", display_name="王芳",
                            password_hash=hash_password(PASSWORD)))
        db.session.commit()
    checks = _count_password_checks(monkeypatch)
    addresses = ("10.0.0.1", "192.0.2.77")
    statuses = _in_parallel(
        app, 30,
        lambda client, n: attempt(client, addr=addresses[n % 2]).status_code,
    )
    assert len(checks) <= 10
    assert statuses.count(200) == len(checks)
    assert statuses.count(429) == 30 - len(checks) >= 20


def test_thirty_parallel_wrong_passwords_from_two_addresses_evaluate_at_most_ten(
    app, monkeypatch
):
    _thirty_parallel_guesses(app, monkeypatch)


@pytest.fixture
def redis_app(make_app):
    """The app with its limiter on Redis, as in production when REDIS_URL is set; keys of
    this test only (a fresh prefix), removed afterwards."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis unreachable at {REDIS_URL} in CI: {exc}")
        pytest.skip(f"Redis unreachable: {exc}")
    prefix = f"test-{uuid.uuid4().hex}"
    app = make_app(REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    assert type(limiter.storage).__name__ == "RedisStorage"
    yield app
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


def test_parallel_guesses_are_braked_on_redis_too(redis_app, monkeypatch):
    _thirty_parallel_guesses(redis_app, monkeypatch)


def test_parallel_guesses_of_the_current_password_evaluate_at_most_ten(
    app, make_user, login_as, monkeypatch
):
    user_id = make_user()
    checks = _count_password_checks(monkeypatch)
    data = {"current_password": "a guess", "new_password": "a new long secret",
            "confirm": "a new long secret"}

    def send(client, n):
        login_as(client, user_id)
        return client.post("/auth/password", data=data,
                           environ_base={"REMOTE_ADDR": f"10.0.0.{n % 2 + 1}"}).status_code

    statuses = _in_parallel(app, 30, send)
    assert len(checks) <= 10
    assert statuses.count(429) >= 20


def test_limiter_keys_never_hold_the_phone(app, client):
    for _ in range(11):
        attempt(client, phone="13912345678")
    keys = list(limiter.storage.storage)
    assert any("login" in key for key in keys)
    assert not any("13912345678" in key for key in keys)
