def test_home_page_serves_with_request_id_and_security_headers(client, db_engine):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["X-Request-ID"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"



def test_every_page_links_to_the_directory_and_the_privacy_notice(client):
    for path in ("/", "/auth/login", "/orgs"):
        page = client.get(path, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
        assert 'href="/orgs"' in page and "社会组织" in page
        assert 'href="/privacy"' in page and "隐私声明" in page
