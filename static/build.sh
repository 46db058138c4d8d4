#!/usr/bin/env bash
# Rebuilds dist/ from GOV.UK Frontend and src/. dist/ is committed, so
# `go run .` needs no npm; run this after changing src/ or package.json, then
# commit dist/ and package-lock.json.
#
#   dist/app.css               src/app.scss compiled (compressed, no source map)
#   dist/govuk-frontend.min.js GOV.UK Frontend's ES module bundle
#   dist/app.js                src/app.js, which imports it and calls initAll
#   dist/images/               our favicon, plus any image the CSS names
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund

govuk=node_modules/govuk-frontend/dist/govuk
rm -rf dist
mkdir -p dist/images

npx --no-install sass --no-source-map --style=compressed --quiet-deps \
  --load-path=node_modules src/app.scss dist/app.css
cp "$govuk/govuk-frontend.min.js" dist/govuk-frontend.min.js
cp src/app.js dist/app.js
# Our own icon: GOV.UK Frontend's favicons are the crown, which is only for
# GOV.UK services.
cp src/images/* dist/images/

# Every url() in the stylesheet must be served: copy what GOV.UK Frontend
# ships under that name, and stop if anything is still missing.
missing=0
for u in $(grep -o 'url([^)]*)' dist/app.css | sed -E 's/^url\("?//; s/"?\)$//' | sort -u); do
  case "$u" in
    data:*) continue ;;
    /assets/*) name=${u#/assets/} ;;
    *) echo "build.sh: app.css refers to $u, outside /assets/" >&2; missing=1; continue ;;
  esac
  if [ ! -f "dist/$name" ]; then
    if [ -f "$govuk/assets/$name" ]; then
      mkdir -p "dist/$(dirname "$name")"
      cp "$govuk/assets/$name" "dist/$name"
    else
      echo "build.sh: app.css refers to $u, which nothing provides" >&2
      missing=1
    fi
  fi
done
[ "$missing" = 0 ]

if grep -q 'GDS Transport' dist/app.css; then
  echo "build.sh: app.css uses GDS Transport, which is only for GOV.UK services" >&2
  exit 1
fi

ls -l dist dist/images
