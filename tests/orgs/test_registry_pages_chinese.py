"""The registry's pages in Chinese show no English label."""

from __future__ import annotations


def test_chinese_pages_show_no_english_labels(client, make_org):
    org_id = make_org(status="approved", domains=["elder_care"], communities=[0])
    html = client.get(f"/orgs/{org_id}", headers={"Accept-Language": "zh-CN"}).text
    html += client.get("/orgs", headers={"Accept-Language": "zh-CN"}).text
    for english in ("Unified social credit code", "Service domains", "Open projects",
                    "Private non-enterprise unit", "Elder care", "Registered", "Search"):
        assert english not in html
