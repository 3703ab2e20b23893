#!/usr/bin/env bash
# The chat page in a long room: PageHistoryIT with 10,000 messages (or $1) on Tomcat 10.1, in
# headless Chromium. Prints how far the page scrolled, how many messages it held at most, its DOM
# nodes and JS heap at the live end, at the first message and back, and the script, style and
# layout time per page of history (Chromium's Performance metrics). Needs what the tests need.
set -euo pipefail
cd "$(dirname "$0")/.."
messages="${1:-10000}"
./mvnw -q package -DskipTests
./mvnw --batch-mode dependency:unpack@unpack-servers failsafe:integration-test@tomcat10 failsafe:verify@tomcat10 \
  -Dit.test=PageHistoryIT -Dparley.page-history.messages="$messages" \
  | grep '^PageHistoryIT:' || { echo "see target/failsafe-reports/tomcat10" >&2; exit 1; }
