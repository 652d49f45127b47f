"""Home cards for the admin and officials."""

from __future__ import annotations


def test_platform_admin_home_offers_audit_log_and_accounts_with_counts(
    client, login_as, people, trail
):
    login_as(client, people["admin"])
    page = client.get("/").get_data(as_text=True)
    assert "暂时没有待办事项" not in page
    assert 'href="/audit"' in page and "审计日志" in page
    assert 'href="/admin/accounts"' in page and "账号" in page
    assert '<span class="badge">6</span>' in page  # the six audit records
    assert '<span class="badge">7</span>' in page  # the seven accounts


def test_official_home_offers_the_audit_log_only(client, login_as, people):
    login_as(client, people["district_official"])
    page = client.get("/").get_data(as_text=True)
    assert 'href="/audit"' in page
    assert 'href="/admin/accounts"' not in page


def test_volunteer_home_offers_neither(client, login_as, people):
    login_as(client, people["volunteer"])
    page = client.get("/").get_data(as_text=True)
    assert 'href="/audit"' not in page and 'href="/admin/accounts"' not in page
