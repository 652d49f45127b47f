from marketplace.config import _instance_secret, _normalise_database_url


def test_secret_key_is_random_per_install_and_survives_restarts(tmp_path):
    first = _instance_secret(tmp_path / "instance")
    assert len(first) >= 40
    assert _instance_secret(tmp_path / "instance") == first  # a restart keeps sessions valid
    assert _instance_secret(tmp_path / "other") != first  # another install has its own
    assert oct((tmp_path / "instance" / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_plain_postgres_urls_use_the_psycopg3_driver():
    assert _normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"
