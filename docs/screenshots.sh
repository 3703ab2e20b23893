#!/usr/bin/env bash
# Makes the README's screenshots again: runs AccessibilityIT (the page in light and dark, desktop
# and phone widths, English and Chinese, checked by axe-core) on Tomcat 10.1 in headless Chromium,
# then copies four of its screenshots into docs/screenshots/. Needs what the tests need (see
# .ci/run) and, for Chinese to show as Chinese, a CJK font (Debian: fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."
fc-list :lang=zh family 2> /dev/null | grep -q . \
  || echo "warning: no Chinese font (apt-get install fonts-noto-cjk): the zh-CN screenshot shows boxes" >&2
[ -d node_modules/axe-core ] || npm ci --no-audit --no-fund
./mvnw -q package -DskipTests
./mvnw -q dependency:unpack@unpack-servers failsafe:integration-test@tomcat10 failsafe:verify@tomcat10 \
  -Dit.test=AccessibilityIT
mkdir -p docs/screenshots
cp target/screenshots/a11y-light-1280-en.png docs/screenshots/desktop-light.png
cp target/screenshots/a11y-dark-1280-en.png docs/screenshots/desktop-dark.png
cp target/screenshots/a11y-light-390-en.png docs/screenshots/phone.png
cp target/screenshots/a11y-light-1280-zh-CN.png docs/screenshots/desktop-zh-CN.png
echo "docs/screenshots/ made again"
