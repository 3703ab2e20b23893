#!/usr/bin/env bash
# Fan-out of the commit before this session (90d9414) against HEAD, alternating, same bench (HEAD's).
set -uo pipefail
ulimit -n "$(ulimit -Hn)"
BENCH=/work/main/bench/ParleyBench.java
run() {
  tree=$1; label=$2; port=18191
  . /work/main/bench/env.sh
  (cd "$tree" && exec ./mvnw -B -o cargo:run -Dparley.port=$port -Dparley.jvmargs="-XX:+UseG1GC -Xmx4g") > /tmp/cmp-$label.log 2>&1 &
  m=$!
  for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$port/api/health/ready" > /dev/null && break; sleep 1; done
  pid="$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)"
  echo "=== $label ($tree) pid $pid"
  java -XX:+UseSerialGC -Xmx2g $BENCH --url "http://127.0.0.1:$port/" --pid "$pid" --scenarios fanout,posts --subs 1000 --msgs 200 --posters 50 --posts 20000 > /dev/null 2>&1
  java -XX:+UseSerialGC -Xmx2g $BENCH --url "http://127.0.0.1:$port/" --pid "$pid" --scenarios fanout --subs 1000,5000 --msgs 200 2>&1 | grep -E "^fan-out"
  kill "$pid" 2>/dev/null; kill $m 2>/dev/null; wait $m 2>/dev/null
  while ss -ltnH "sport = :$port" | grep -q .; do sleep 0.5; done
  rm -rf "$PARLEY_DATA_DIR"
}
date
run /tmp/prev prev-1
run /work/main after-1
run /tmp/prev prev-2
run /work/main after-2
date
