#!/usr/bin/env bash
# Parley's benchmark in one command: builds the WAR, starts the server the README's way
# (./mvnw cargo:run, on a free data folder, with the per-client limits raised: every benchmark
# client comes from 127.0.0.1), runs bench/ParleyBench.java against it, prints the figures and
# stops the server. Options after the command go to ParleyBench, e.g.
#   bench/run.sh --subs 1000,5000 --msgs 200 --rate 10 --idle 10000 --posters 50 --posts 40000,40000,40000,40000,40000
# (--posts: one round of posts per number, each measured; the first ones warm the JIT up)
#   bench/run.sh --scenarios idle,posts   (any of connect, storm, fanout, latency, stalled, idle, posts;
#   --storm-rate sets the posts per second during a storm, 20 by default)
# SERVER_CPUS=0 pins the server (taskset) and GEN_CPUS=1 the generator; PORT picks the port;
# SERVER_JVM_ARGS adds JVM options to the server (e.g. -XX:StartFlightRecording=filename=target/bench.jfr).
# KEEP=1 leaves the server running afterwards, warmed up, e.g. for ../shared/bench/run.sh; it
# prints how to stop it.
# HTTP2=1 serves HTTP/2 too (h2c: the connector of docs/deploying.md with its UpgradeProtocol, on the Tomcat
# 10.1 that ./mvnw verify fetches, started directly instead of by cargo) and the benchmark's
# streams speak it (--http2: many streams per connection); e.g.
#   HTTP2=1 bench/run.sh --scenarios fanout,idle
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8080}"
ulimit -n "$(ulimit -Hn)"

. bench/env.sh
mkdir -p target
log=target/bench-server.log

./mvnw -B -q package -DskipTests
extra=()
if [ "${HTTP2:-}" = 1 ]; then
  # The Tomcat of the integration tests, with the connector of docs/deploying.md and HTTP/2 (no TLS port).
  ./mvnw -B -q dependency:unpack@unpack-servers
  home="$(ls -d target/servers/apache-tomcat-10.1.*)"
  base="$(mktemp -d)"
  mkdir -p "$base"/{conf,logs,temp,work,webapps}
  cp "$home"/conf/{web.xml,catalina.properties,logging.properties,context.xml} "$base/conf/"
  cat > "$base/conf/server.xml" <<XML
<Server port="-1" shutdown="SHUTDOWN"><Service name="Catalina">
  <Connector port="$PORT" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="10000" maxConnections="20000"
             acceptCount="4096" socket.txBufSize="65536" socket.appReadBufSize="1024" socket.appWriteBufSize="4096">
    <UpgradeProtocol className="org.apache.coyote.http2.Http2Protocol" writeTimeout="10000"/>
  </Connector>
  <Engine name="Catalina" defaultHost="localhost"><Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false"/></Engine>
</Service></Server>
XML
  cp target/parley-tomcat.war "$base/webapps/ROOT.war"
  ${SERVER_CPUS:+taskset -c "$SERVER_CPUS"} java -XX:+UseG1GC -Xmx4g ${SERVER_JVM_ARGS:-} -Dcatalina.home="$home" -Dcatalina.base="$base" \
    -cp "$home/bin/bootstrap.jar:$home/bin/tomcat-juli.jar" org.apache.catalina.startup.Bootstrap start > "$log" 2>&1 &
  extra=(--http2 true)
else
  ${SERVER_CPUS:+taskset -c "$SERVER_CPUS"} ./mvnw -B cargo:run -Dparley.port="$PORT" -Dparley.jvmargs="-XX:+UseG1GC -Xmx4g ${SERVER_JVM_ARGS:-}" > "$log" 2>&1 &
fi
maven=$!
stop() {
  kill "$maven" 2> /dev/null || true
  wait "$maven" 2> /dev/null || true
  rm -rf "$PARLEY_DATA_DIR"
}
if [ "${KEEP:-}" = 1 ]; then
  trap 'echo "Parley is still running on port $PORT; stop it with: kill $maven; rm -rf $PARLEY_DATA_DIR"' EXIT
else
  trap stop EXIT
fi

for _ in $(seq 1 180); do
  curl -sf "http://127.0.0.1:$PORT/api/health/ready" > /dev/null && break
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/api/health/ready" > /dev/null || { echo "the server did not start; see $log" >&2; exit 1; }
pid="$(ss -ltnpH "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)"

${GEN_CPUS:+taskset -c "$GEN_CPUS"} java -XX:+UseSerialGC -Xmx2g bench/ParleyBench.java \
  --url "http://127.0.0.1:$PORT/" --pid "$pid" --data-dir "$PARLEY_DATA_DIR" "${extra[@]}" "$@"
