#!/usr/bin/env bash
# Runs bench/PoolBench.java: the embedded store's connection gate (H2's pool behind a semaphore)
# against HikariCP, on H2 and HikariCP from the local Maven repository. Prints figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
h2="$(ls ~/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar)"
./mvnw -B -q dependency:get -Dartifact=com.zaxxer:HikariCP:7.1.0 > /dev/null
./mvnw -B -q dependency:get -Dartifact=org.slf4j:slf4j-nop:2.0.17 > /dev/null || true
hikari=~/.m2/repository/com/zaxxer/HikariCP/7.1.0/HikariCP-7.1.0.jar
slf4j="$(ls ~/.m2/repository/org/slf4j/slf4j-api/2.0.*/slf4j-api-2.0.*.jar | sort -V | tail -1)"
nop="$(ls ~/.m2/repository/org/slf4j/slf4j-nop/2.0.*/slf4j-nop-2.0.*.jar 2>/dev/null | sort -V | tail -1 || true)"
java -Xmx1g -cp "$h2:$hikari:$slf4j${nop:+:$nop}" bench/PoolBench.java "$@"
