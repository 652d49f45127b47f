#!/bin/sh
# `make serve`: the site under gunicorn (deploy/gunicorn.conf.py) and the RQ workers that run
# matching runs, what-if questions and notifications, against DATABASE_URL and REDIS_URL.
# GONGZHI_RQ_WORKERS (default 1) workers: each solves one run at a time.
set -eu
: "${DATABASE_URL:?set DATABASE_URL, e.g. postgresql://gongzhi@127.0.0.1:5432/gongzhi}"
: "${REDIS_URL:?set REDIS_URL, e.g. redis://127.0.0.1:6379/0}"
BIN=${BIN:-.venv/bin}
QUEUE=${GONGZHI_JOBS_QUEUE:-gongzhi}
workers=""
i=0
while [ "$i" -lt "${GONGZHI_RQ_WORKERS:-1}" ]; do
    # The scheduler (one of the workers holds its lock) queues the repeating notify job.
    "$BIN/rq" worker --with-scheduler --url "$REDIS_URL" "$QUEUE" default &
    workers="$workers $!"
    i=$((i + 1))
done
trap 'kill $workers 2>/dev/null || true' EXIT INT TERM
"$BIN/gunicorn" -c deploy/gunicorn.conf.py
