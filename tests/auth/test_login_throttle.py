"""Failed logins are throttled per address and phone, and more loosely per address."""

from __future__ import annotations

PASSWORD = "correct horse 1"


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
    # The same number from another address too.
    assert attempt(client, addr="10.0.0.2").status_code == 200


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


def test_behind_a_trusted_proxy_clients_are_told_apart_by_forwarded_address(app_config):
    from marketplace.app import create_app
    from marketplace.extensions import db, limiter

    app = create_app({**app_config, "TRUSTED_PROXIES": 1})
    with app.app_context():
        db.create_all()
    limiter.reset()
    client = app.test_client()

    def through_proxy(client_addr):
        return client.post(
            "/auth/login",
            data={"phone": "13800138000", "password": "wrong password 0"},
            headers={"X-Forwarded-For": client_addr},
            environ_base={"REMOTE_ADDR": "10.0.0.254"},  # the proxy itself
        )

    for _ in range(10):
        assert through_proxy("203.0.113.7").status_code != 429
    assert through_proxy("203.0.113.7").status_code == 429
    # Another phone user behind the same proxy is not locked out by the first one.
    assert through_proxy("198.51.100.9").status_code != 429
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
