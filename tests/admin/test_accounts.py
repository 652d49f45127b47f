"""The platform admin's accounts list: access, masked phones, role scopes, search, pages."""

from __future__ import annotations

import re

import pytest

from marketplace.auth.models import Role

PHONES = ("13700000001", "13712340001", "13712340002", "13712340003")


def test_platform_admin_sees_accounts_with_roles_and_scopes(client, login_as, people):
    login_as(client, people["admin"])
    page = client.get("/admin/accounts").get_data(as_text=True)
    assert "社工阿依古丽" in page
    assert "社工 · 胜利路乐龄社" in page  # social worker of the organization
    assert "政府工作人员 · 胜利路街道" in page  # street official
    assert "政府工作人员 · 独山子区" in page  # district official
    assert "平台管理员" in page


@pytest.mark.parametrize("who", ["district_official", "volunteer", "worker_a"])
def test_other_roles_get_not_found(client, login_as, people, who):
    login_as(client, people[who])
    assert client.get("/admin/accounts").status_code == 404


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/admin/accounts")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("search", [None, "13712340001", "+86 137 1234 0001", "社工"])
def test_phones_never_appear_in_full(client, login_as, people, trail, search):
    login_as(client, people["admin"])
    if search is None:
        pages = [client.get("/admin/accounts"), client.get("/audit")]
    else:
        pages = [client.post("/admin/accounts", data={"q": search}, follow_redirects=True),
                 client.get("/admin/accounts", query_string={"q": search})]  # typed by hand
    for response in pages:
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        for phone in PHONES:
            assert phone not in page
        assert "137****0001" in page or "13" not in (search or "")


def names(client, q, method="post"):
    if method == "post":
        response = client.post("/admin/accounts", data={"q": q}, follow_redirects=True)
    else:
        response = client.get("/admin/accounts", query_string={"q": q})
    return set(re.findall(r"社工\w+", response.get_data(as_text=True))) - {"社工"}


def test_search_by_display_name_or_exact_phone_in_any_spelling(client, login_as, people):
    login_as(client, people["admin"])
    assert names(client, "阿依古丽") == {"社工阿依古丽"}
    assert names(client, "社工") == {"社工阿依古丽", "社工王明"}
    assert names(client, "社工", method="get") == {"社工阿依古丽", "社工王明"}
    assert names(client, "13712340002") == {"社工王明"}
    assert names(client, "+86 137-1234-0002") == {"社工王明"}
    assert names(client, "１３７１２３４０００２") == {"社工王明"}  # full-width digits
    assert names(client, "1371234") == set()  # part of a phone matches nothing
    assert names(client, "%") == set()  # no wildcard


def test_a_name_search_gets_an_address_a_phone_search_does_not(client, login_as, people):
    login_as(client, people["admin"])
    by_name = client.post("/admin/accounts", data={"q": "王明"})
    assert by_name.status_code == 302
    assert by_name.headers["Location"] == "/admin/accounts?q=%E7%8E%8B%E6%98%8E"
    by_phone = client.post("/admin/accounts", data={"q": "13712340002"})
    assert by_phone.status_code == 200
    assert "按手机号 137****0002 搜索" in by_phone.get_data(as_text=True)


def test_accounts_come_in_pages(client, login_as, make_user, people):
    for i in range(30):
        make_user(display_name=f"志愿者{i:02d}号")
    login_as(client, people["admin"])
    first = client.get("/admin/accounts").get_data(as_text=True)
    second = client.get("/admin/accounts?page=2").get_data(as_text=True)
    assert first.count('<li class="card">') == 25
    assert second.count('<li class="card">') == 37 - 25
    assert "志愿者29号" in first and "志愿者29号" not in second  # newest first
    filtered = client.get("/admin/accounts?q=志愿者").get_data(as_text=True)
    assert filtered.count('<li class="card">') == 25
    links = re.findall(r'href="(/admin/accounts\?[^"]*)"', filtered)
    assert any("page=2" in link and "q=" in link for link in links)
    assert client.get("/admin/accounts?q=志愿者&page=2").get_data(as_text=True).count(
        '<li class="card">'
    ) == 5


def test_query_count_does_not_grow_with_accounts(
    client, login_as, make_user, people, places, count_queries
):
    login_as(client, people["admin"])

    def add(n):
        for _ in range(n):
            make_user(roles=[Role.VOLUNTEER,
                             (Role.SOCIAL_WORKER, {"organization_id": places["org_b"]}),
                             (Role.OFFICIAL, {"street_id": places["street_a"]})])

    add(5)
    few = count_queries(client, "/admin/accounts")
    add(35)
    many = count_queries(client, "/admin/accounts")
    assert few == many <= 8  # session, user, page count, page, grants or names
