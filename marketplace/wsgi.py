"""The WSGI entry point for gunicorn (``deploy/gunicorn.conf.py``): the app built from the
environment (``DATABASE_URL``, ``REDIS_URL``, ``GONGZHI_*``)."""

from marketplace.app import create_app

app = create_app()
