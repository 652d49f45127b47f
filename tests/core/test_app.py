def test_home_page_serves_with_request_id_and_security_headers(client, db_engine):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["X-Request-ID"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"

