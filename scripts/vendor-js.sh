#!/bin/sh
# Refreshes the browser libraries served from static/vendor/ (the site loads nothing from a CDN).
# The versions here are the ones committed; change them, run this, and commit the result.
set -eu
LEAFLET=1.9.4
ECHARTS=6.1.0
SWAGGER_UI=5.35.0
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "leaflet@$LEAFLET" "echarts@$ECHARTS" "swagger-ui-dist@$SWAGGER_UI" >/dev/null
mkdir leaflet echarts swagger-ui
tar xzf "leaflet-$LEAFLET.tgz" -C leaflet
tar xzf "echarts-$ECHARTS.tgz" -C echarts
tar xzf "swagger-ui-dist-$SWAGGER_UI.tgz" -C swagger-ui
rm -rf "$here/static/vendor/leaflet" "$here/static/vendor/echarts" "$here/static/vendor/swagger-ui"
mkdir -p "$here/static/vendor/leaflet" "$here/static/vendor/echarts" "$here/static/vendor/swagger-ui"
cp -r leaflet/package/dist/leaflet.js leaflet/package/dist/leaflet.css leaflet/package/dist/images \
    leaflet/package/LICENSE "$here/static/vendor/leaflet/"
cp echarts/package/dist/echarts.min.js echarts/package/LICENSE echarts/package/NOTICE \
    "$here/static/vendor/echarts/"
# The API documentation page (templates/api/docs.html, started by static/js/api-docs.js).
cp swagger-ui/package/swagger-ui-bundle.js swagger-ui/package/swagger-ui.css \
    swagger-ui/package/LICENSE "$here/static/vendor/swagger-ui/"
printf 'leaflet %s\necharts %s\nswagger-ui-dist %s\n' "$LEAFLET" "$ECHARTS" "$SWAGGER_UI" > "$here/static/vendor/VERSIONS"
