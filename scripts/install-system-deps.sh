#!/bin/sh
# Installs Debian chromium and fonts-wqy-microhei for the browser tests when they are missing
# and we are root; otherwise says what is missing (the browser tests then skip, or fail in CI).
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$missing fonts-wqy-microhei"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "missing:$missing (install them as root for the browser tests)" >&2
fi
