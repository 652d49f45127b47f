#!/bin/sh
# Refreshes the browser libraries served from static/vendor/ (the site loads nothing from a CDN).
# The versions here are the ones committed; change them, run this, and commit the result.
set -eu
LEAFLET=1.9.4
ECHARTS=6.1.0
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "leaflet@$LEAFLET" "echarts@$ECHARTS" >/dev/null
mkdir leaflet echarts
tar xzf "leaflet-$LEAFLET.tgz" -C leaflet
tar xzf "echarts-$ECHARTS.tgz" -C echarts
rm -rf "$here/static/vendor/leaflet" "$here/static/vendor/echarts"
mkdir -p "$here/static/vendor/leaflet" "$here/static/vendor/echarts"
cp -r leaflet/package/dist/leaflet.js leaflet/package/dist/leaflet.css leaflet/package/dist/images \
    leaflet/package/LICENSE "$here/static/vendor/leaflet/"
cp echarts/package/dist/echarts.min.js echarts/package/LICENSE echarts/package/NOTICE \
    "$here/static/vendor/echarts/"
printf 'leaflet %s\necharts %s\n' "$LEAFLET" "$ECHARTS" > "$here/static/vendor/VERSIONS"
