#!/usr/bin/env bash
# (Re)starts Parley fresh for the shared harness: stops the one this script started last, then
# starts ./mvnw cargo:run with bench/run.sh's settings (per-client limits raised, a new data
# folder, G1 with -Xmx4g) on PORT (8080) and returns once it is ready. Used by
# bench/parley-fresh.args (`#!restart "$PARLEY_HOME/bench/restart.sh"`); `bench/restart.sh stop`
# only stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8080}"
pidfile=target/bench-restart.pid
if [ -f "$pidfile" ]; then
  kill "$(cat "$pidfile")" 2> /dev/null || true
  while ss -ltnH "sport = :$PORT" | grep -q .; do sleep 0.2; done
  rm -f "$pidfile"
fi
[ "${1:-}" = stop ] && exit 0
. bench/env.sh
mkdir -p target
ulimit -n "$(ulimit -Hn)"
nohup ./mvnw -B -q cargo:run -Dparley.port="$PORT" -Dparley.jvmargs="-XX:+UseG1GC -Xmx4g ${SERVER_JVM_ARGS:-}" \
  > target/bench-restart.log 2>&1 &
echo $! > "$pidfile"
for _ in $(seq 1 180); do
  curl -sf "http://127.0.0.1:$PORT/api/health/ready" > /dev/null && exit 0
  sleep 1
done
echo "Parley did not start; see target/bench-restart.log" >&2
exit 1
