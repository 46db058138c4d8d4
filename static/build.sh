#!/usr/bin/env bash
# Rebuilds dist/ from GOV.UK Frontend and src/. The output is committed, so
# `go run .` needs no npm; run this after changing src/ or upgrading.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
rm -rf dist && mkdir -p dist/images
npx sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules src/app.scss dist/app.css
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js dist/govuk-frontend.min.js
cp src/app.js dist/app.js
# Only the images the stylesheet and pages use; no crown or GOV.UK branding.
for f in favicon.ico favicon.svg; do
  cp "node_modules/govuk-frontend/dist/govuk/assets/images/$f" dist/images/
done
grep -o 'url([^)]*)' dist/app.css | sort -u || true
