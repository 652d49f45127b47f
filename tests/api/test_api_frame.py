"""The API's frame: per-token rate limits, 405 with Allow, bounded pages, and the site's own
error pages staying HTML."""

from __future__ import annotations

import re


def test_the_rate_limit_counts_per_token(make_app, make_user, make_token):
    from marketplace.auth.models import Role

    limited = make_app(API_RATE_LIMIT="3/minute")
    busy, calm = limited.test_client(), limited.test_client()
    for client in (busy, calm):
        token = make_token(make_user(roles=[Role.VOLUNTEER]))
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    assert [busy.get("/api/v1/me/sign-ups").status_code for _ in range(3)] == [200] * 3
    refused = busy.get("/api/v1/me/sign-ups")
    assert refused.status_code == 429
    assert refused.json["code"] == 429 and refused.json["message"]
    assert "Retry-After" in refused.headers
    assert calm.get("/api/v1/me/sign-ups").status_code == 200


def test_405_names_the_allowed_methods_and_the_site_stays_html(app, api_client):
    client = api_client(None)
    answer = client.delete("/api/v1/organizations")
    assert answer.status_code == 405
    assert set(answer.headers["Allow"].split(", ")) >= {"GET"}
    assert answer.json["code"] == 405
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.content_type.startswith("text/html")
    assert client.get("/api/v1/no-such-thing").json["code"] == 404


def test_pages_are_bounded_and_clamped(app, api_client):
    client = api_client(None)
    assert client.get("/api/v1/organizations?per_page=0").status_code == 422
    assert client.get("/api/v1/organizations?per_page=101").status_code == 422
    far = client.get("/api/v1/organizations?page=99999&per_page=100")
    assert far.status_code == 200 and far.json["items"] == []
    assert client.get(f"/api/v1/organizations?page={'9' * 20}").status_code == 422


def test_the_document_and_its_page_are_served_from_the_site(app):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").json
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/api/v1/me/sign-ups" in document["paths"]
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.content_type.startswith("text/html")
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "/static/js/api-docs.js" in html
    assert "<script>" not in html  # the CSP allows no inline script
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources)  # nothing from a CDN
