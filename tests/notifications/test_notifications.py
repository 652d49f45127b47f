"""Notifications: the centre and its badge, idempotent notify, withdrawal, and `notify due`
sending each message once however often or concurrently it runs."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import func, select

from marketplace.auth.models import Role
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.notifications.delivery import deliver_due
from marketplace.notifications.models import Notification, OutboxMessage, OutboxState
from marketplace.notifications.senders import (
    OutboxOnlySender,
    Sender,
    SendError,
    SmsSender,
    sender_from_config,
)
from marketplace.notifications.services import cancel_due, notify

SHIFT = {"title": "重阳节敬老活动", "starts_at": "2025-10-09T01:00:00", "place": "百花社区活动室"}


class RecordingSender(Sender):
    name = "sms"

    def __init__(self, fail_times: int = 0):
        self.sent: list = []
        self.fail_times = fail_times
        self.lock = threading.Lock()

    def send(self, message) -> None:
        with self.lock:
            if self.fail_times:
                self.fail_times -= 1
                raise SendError("gateway answered 503")
            self.sent.append(message)


@pytest.fixture
def volunteer_id(make_user):
    return make_user(phone="13800138000", roles=[Role.VOLUNTEER])


def _notify(app, *args, **kwargs) -> int:
    with app.app_context():
        notification = notify(*args, **kwargs)
        db.session.commit()
        return notification.id


def test_centre_shows_the_sentence_in_chinese_and_the_home_page_counts_unread(
    app, client, login_as, volunteer_id
):
    _notify(app, volunteer_id, "signup.confirmed", SHIFT, url="/me/profile")
    _notify(app, volunteer_id, "hours.verified",
            {"organization": "乐龄社会工作服务社", "minutes": 150, "service_date": "2025-10-09"})
    login_as(client, volunteer_id)
    home = client.get("/", headers={"Accept-Language": "zh-CN"}).text
    assert "通知" in home and '<span class="badge">2</span>' in home
    page = client.get("/notifications", headers={"Accept-Language": "zh-CN"}).text
    assert "报名成功：重阳节敬老活动，2025-10-09 09:00（北京时间）。" in page
    assert "乐龄社会工作服务社 已核实您 2025-10-09 的志愿服务时长 2.5 小时。" in page


def test_english_reader_gets_english(app, client, login_as, volunteer_id):
    _notify(app, volunteer_id, "shift.reminder", SHIFT)
    login_as(client, volunteer_id)
    page = client.get("/notifications", headers={"Accept-Language": "en"}).text
    assert "Reminder: 重阳节敬老活动 starts 2025-10-09 09:00 Beijing time, 百花社区活动室." in page


def test_opening_marks_read_and_follows_the_link_marking_all_clears_the_badge(
    app, client, login_as, volunteer_id
):
    first = _notify(app, volunteer_id, "signup.confirmed", SHIFT, url="/me/profile")
    _notify(app, volunteer_id, "signup.promoted", SHIFT)
    login_as(client, volunteer_id)
    response = client.post(f"/notifications/{first}/open")
    assert response.status_code == 302 and response.headers["Location"] == "/me/profile"
    assert '<span class="badge">1</span>' in client.get("/").text
    client.post("/notifications/read")
    assert 'class="badge"' not in client.get("/").text


def test_a_link_outside_the_site_is_not_kept(app, volunteer_id):
    with app.app_context():
        assert notify(volunteer_id, "signup.confirmed", url="https://evil.example/").url is None
        assert notify(volunteer_id, "signup.confirmed", url="//evil.example/").url is None


def test_someone_elses_notification_and_a_huge_id_answer_404(
    app, client, login_as, make_user, volunteer_id
):
    theirs = _notify(app, volunteer_id, "signup.confirmed", SHIFT)
    intruder = make_user(roles=[Role.VOLUNTEER])
    login_as(client, intruder)
    assert client.post(f"/notifications/{theirs}/open").status_code == 404
    assert client.post("/notifications/99999999999999999999/open").status_code == 404
    assert client.get("/notifications?page=99999999999999999999").status_code == 200
    with app.app_context():
        assert db.session.get(Notification, theirs).read_at is None


def test_the_centre_runs_a_bounded_number_of_queries(
    app, client, login_as, volunteer_id, count_queries
):
    login_as(client, volunteer_id)
    for _ in range(3):
        _notify(app, volunteer_id, "signup.confirmed", SHIFT)
    few = count_queries(client, "/notifications")
    home_with_few = count_queries(client, "/")
    for _ in range(15):
        _notify(app, volunteer_id, "signup.confirmed", SHIFT)
    assert count_queries(client, "/notifications") == few
    assert count_queries(client, "/") == home_with_few  # the badge is one count, however many


def test_dedupe_key_makes_notify_idempotent(app, volunteer_id):
    with app.app_context():
        first = notify(volunteer_id, "signup.confirmed", SHIFT, dedupe_key="signup:7:confirmed")
        again = notify(volunteer_id, "signup.confirmed", SHIFT, dedupe_key="signup:7:confirmed")
        db.session.commit()
        assert first.id == again.id
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_a_future_reminder_is_hidden_until_due_and_withdrawn_by_prefix(
    app, client, login_as, volunteer_id
):
    later = utcnow() + timedelta(days=2)
    _notify(app, volunteer_id, "shift.reminder", SHIFT, due_at=later,
            dedupe_key="reminder:signup:7:a")
    _notify(app, volunteer_id, "shift.reminder", SHIFT, due_at=later + timedelta(hours=1),
            dedupe_key="reminder:signup:7:b")
    _notify(app, volunteer_id, "shift.reminder", SHIFT, due_at=later,
            dedupe_key="reminder:signup:70:a")
    login_as(client, volunteer_id)
    assert "重阳节" not in client.get("/notifications").text
    with app.app_context():
        assert cancel_due("reminder:signup:7:") == 2
        db.session.commit()
        report = deliver_due(RecordingSender(), now=later + timedelta(hours=2))
        assert report.sent == 1  # only signup 70's reminder is left


def test_cancel_due_treats_like_wildcards_literally(app, volunteer_id):
    later = utcnow() + timedelta(days=1)
    _notify(app, volunteer_id, "shift.reminder", due_at=later, dedupe_key="reminder:1_2")
    _notify(app, volunteer_id, "shift.reminder", due_at=later, dedupe_key="reminder:1x2")
    with app.app_context():
        assert cancel_due("reminder:1_") == 1
        assert cancel_due("%") == 0


def test_a_withdrawn_key_notified_again_is_scheduled_again(app, volunteer_id):
    later = utcnow() + timedelta(days=1)
    _notify(app, volunteer_id, "shift.reminder", due_at=later, dedupe_key="reminder:9")
    with app.app_context():
        cancel_due("reminder:9")
        db.session.commit()
    _notify(app, volunteer_id, "shift.reminder", due_at=later, dedupe_key="reminder:9")
    with app.app_context():
        report = deliver_due(RecordingSender(), now=later)
        assert report.sent == 1


def test_notify_due_twice_sends_each_message_once(app, runner, volunteer_id):
    _notify(app, volunteer_id, "signup.confirmed", SHIFT)
    _notify(app, volunteer_id, "shift.reminder", SHIFT, due_at=utcnow() + timedelta(days=1))
    sender = RecordingSender()
    with app.app_context():
        assert deliver_due(sender).sent == 1
        assert deliver_due(sender).sent == 0
    assert len(sender.sent) == 1
    assert sender.sent[0].phone == "13800138000"
    assert sender.sent[0].text.startswith("报名成功：重阳节敬老活动")
    result = runner.invoke(args=["notify", "due"])
    assert result.exit_code == 0 and "sent 0" in result.output


def test_default_sender_keeps_messages_in_the_outbox(app, runner, volunteer_id):
    _notify(app, volunteer_id, "signup.confirmed", SHIFT)
    result = runner.invoke(args=["notify", "due"])
    assert "sent 1" in result.output
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage)).one()
        assert (message.state, message.channel) == (OutboxState.SENT, "outbox")
        assert isinstance(sender_from_config(app.config), OutboxOnlySender)


def test_concurrent_runs_never_send_one_message_twice(app, volunteer_id):
    for _ in range(30):
        _notify(app, volunteer_id, "signup.confirmed", SHIFT)
    sender = RecordingSender()
    errors = []

    def run():
        try:
            with app.app_context():
                deliver_due(sender)
        except Exception as exc:  # any failure fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(sender.sent) == 30


def test_failed_sends_are_retried_then_given_up(app, volunteer_id):
    _notify(app, volunteer_id, "signup.confirmed", SHIFT)
    sender = RecordingSender(fail_times=5)
    with app.app_context():
        now = utcnow()
        assert deliver_due(sender, now=now).retried == 1
        assert deliver_due(sender, now=now).sent == 0  # waits before retrying
        deliver_due(sender, now=now + timedelta(hours=1))
        report = deliver_due(sender, now=now + timedelta(hours=2))
        assert report.failed == 1
        message = db.session.scalars(select(OutboxMessage)).one()
        assert message.state == OutboxState.FAILED and "503" in message.error


def test_sms_adapter_posts_to_the_gateway_with_its_token(app, volunteer_id, caplog):
    received = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Authorization"], json.loads(body)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        _notify(app, volunteer_id, "signup.confirmed", SHIFT)
        sender = SmsSender(f"http://127.0.0.1:{server.server_port}/send", "token-from-env")
        with app.app_context():
            assert deliver_due(sender).sent == 1
    finally:
        server.shutdown()
    assert received[0][0] == "Bearer token-from-env"
    assert received[0][1]["to"] == "13800138000"
    assert "13800138000" not in caplog.text


def test_sms_adapter_needs_its_settings():
    with pytest.raises(ValueError, match="NOTIFY_SMS_URL"):
        sender_from_config({"NOTIFY_SENDER": "sms"})
    with pytest.raises(ValueError, match="NOTIFY_SENDER"):
        sender_from_config({"NOTIFY_SENDER": "pigeon"})


def test_a_message_left_sending_by_a_dead_run_is_reported_not_resent(app, runner, volunteer_id):
    _notify(app, volunteer_id, "signup.confirmed", SHIFT)
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage)).one()
        message.state, message.claimed_at = OutboxState.SENDING, utcnow() - timedelta(hours=1)
        db.session.commit()
        sender = RecordingSender()
        report = deliver_due(sender)
        assert (report.sent, report.stuck, sender.sent) == (0, 1, [])
    result = runner.invoke(args=["notify", "due"])
    assert "stopped mid-send" in result.output
