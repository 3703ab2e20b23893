#!/usr/bin/env bash
# The embedded store's connections: H2's pool behind a semaphore (c2cf40c) against HikariCP (the
# working tree), alternating; store reads forced with parley.room.recent-size=0; HEAD's ParleyBench.
set -uo pipefail
ulimit -n "$(ulimit -Hn)"
BENCH=/work/main/bench/ParleyBench.java
run() {
  tree=$1; label=$2; port=18192
  . /work/main/bench/env.sh
  export PARLEY_ROOM_RECENT_SIZE=0
  (cd "$tree" && exec ./mvnw -B -o cargo:run -Dparley.port=$port -Dparley.jvmargs="-XX:+UseG1GC -Xmx4g") > /tmp/cmp3-$label.log 2>&1 &
  m=$!
  for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$port/api/health/ready" > /dev/null && break; sleep 1; done
  pid="$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)"
  echo "=== $label ($tree) pid $pid"
  java -XX:+UseSerialGC -Xmx2g $BENCH --url "http://127.0.0.1:$port/" --pid "$pid" --scenarios connect,storm,posts --subs 1000 --msgs 100 --posters 50 --posts 20000,20000 > /dev/null 2>&1
  java -XX:+UseSerialGC -Xmx2g $BENCH --url "http://127.0.0.1:$port/" --pid "$pid" --scenarios storm,posts --subs 1000,5000 --posters 50 --posts 20000,20000 2>&1 | grep -E "^(storm|posts)"
  kill "$pid" 2>/dev/null; kill $m 2>/dev/null; wait $m 2>/dev/null
  while ss -ltnH "sport = :$port" | grep -q .; do sleep 0.5; done
  rm -rf "$PARLEY_DATA_DIR"
}
date
run /tmp/turn turn-1
run /tmp/hik hikari-1
run /tmp/turn turn-2
run /tmp/hik hikari-2
date
