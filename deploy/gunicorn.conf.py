"""Gunicorn settings for the site: ``gunicorn -c deploy/gunicorn.conf.py`` (``make serve``).

Web nodes keep no state of their own (sessions, rate-limit counters and jobs live in
PostgreSQL and Redis), so more nodes or more workers behind the reverse proxy add capacity.
Every setting can be changed from the environment; docs/deploy.md lists them.
"""

import os

wsgi_app = "marketplace.wsgi:app"
bind = os.environ.get("GONGZHI_BIND", "127.0.0.1:8000").split(",")
# About two workers per core is the usual start. Each serves a few requests at once in
# threads, so one request's wait on PostgreSQL lets another use the core.
workers = int(os.environ.get("GONGZHI_WEB_WORKERS") or os.environ.get("WEB_CONCURRENCY") or 2)
worker_class = "gthread"
threads = int(os.environ.get("GONGZHI_WEB_THREADS", 4))
# A request still running after this long is killed and its worker replaced: the slowest
# page at district scale answers in well under a second, so this only catches a hang.
timeout = int(os.environ.get("GONGZHI_WEB_TIMEOUT", 30))
graceful_timeout = 30
# Longer than the reverse proxy's or a client's pause between requests on one connection:
# closing an idle connection as the client reuses it resets that request.
keepalive = 75
# A worker is replaced after about this many requests, bounding any slow growth in memory.
max_requests = 5000
max_requests_jitter = 500
# The app is built once in the master, so a broken configuration stops the start at once and
# workers fork with the code already imported.
preload_app = True
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# X-Forwarded-* are honoured by the app's ProxyFix, counted by GONGZHI_TRUSTED_PROXIES, and
# nowhere else: gunicorn itself trusts no forwarded header.
forwarded_allow_ips = ""
secure_scheme_headers = {}

# The access log carries no client address, path, query string, referrer or user agent:
# paths hold calendar-feed tokens and certificate codes, query strings search terms and
# phone numbers. The request id joins a line to the app's own log line, which names the
# endpoint.
accesslog = "-"
access_log_format = '%(t)s %(m)s %(s)s %(B)sB %(M)sms id=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("GONGZHI_LOG_LEVEL", "info")


def post_fork(server, worker):
    """Each worker opens its own database connections: sockets inherited from the master
    would be shared by several processes."""
    from marketplace.extensions import db

    app = server.app.callable  # None unless preloaded: then nothing was inherited
    if app is None:
        return
    with app.app_context():
        db.engine.dispose(close=False)
