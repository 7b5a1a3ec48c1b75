#!/usr/bin/env bash
# All of Herald's benchmarks in one run against one embedded-mode Herald: ingest (wrk), end-to-end webhook latency,
# one subscription's maximum delivery rate, fan-out to 50 webhook subscriptions, resident memory at rest and at peak.
# Writes the figures with the machine and commit to bench/results/<date>-<commit>.md.
# Usage: bench/run.sh          (needs wrk for the ingest part: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
data="$(mktemp -d)"
# An admin API key for this throw-away instance (the one the Java benchmark clients send, as the tests do).
key="hk_testadmn_TestAdminKeyNotASecret0123456789"
port=18080
api="http://localhost:$port/api/v1"
out="$(mktemp)"
HERALD_API_KEY="$key" HERALD_DATA_DIR="$data" QUARKUS_HTTP_PORT=$port HERALD_BROKER_EMBEDDED_PORT=15673 HERALD_DELIVERY_ALLOWED_HOSTS=127.0.0.1 \
  java -Xmx512m -jar target/quarkus-app/quarkus-run.jar > target/bench-herald.log 2>&1 &
herald=$!
trap 'kill $herald $sampler 2>/dev/null; wait $herald 2>/dev/null; rm -rf "$data"' EXIT
sampler=""
for _ in $(seq 1 60); do curl -fs "http://localhost:$port/q/health/ready" > /dev/null && break; sleep 1; done
rss() { echo $(( $(awk '/VmRSS/ {print $2}' /proc/$herald/status) / 1024 )); }
sleep 5
echo "memory: resident at rest: $(rss) MiB" | tee -a "$out"
( peak=0; while kill -0 $herald 2>/dev/null; do r=$(rss); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" > target/bench-peak-rss; sleep 1; done ) &
sampler=$!

if command -v wrk > /dev/null; then
  fixture() {
    python3 -c 'import re,sys; src=open("src/test/java/io/herald/testing/OrderFixtures.java").read(); print(" ".join(re.search(sys.argv[1] + r" = \"\"\"(.*?)\"\"\";", src, re.S).group(1).split()))' "$1"
  }
  topic="bench.order.placed"
  curl -fs -H "X-API-Key: $key" -XPOST -H 'Content-Type: application/json' "$api/topics" -d "{\"name\": \"$topic\"}" > /dev/null
  curl -fs -H "X-API-Key: $key" -XPOST -H 'Content-Type: application/json' "$api/topics/$topic/schemas" -d "{\"schema\": $(fixture SCHEMA)}" > /dev/null
  queue_subscription="$(curl -fs -H "X-API-Key: $key" -XPOST -H 'Content-Type: application/json' "$api/subscriptions" \
    -d "{\"topic\": \"$topic\", \"kind\": \"queue\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  script="$(mktemp)"
  printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["X-API-Key"] = "%s"\nwrk.body = [[%s]]\n' "$key" "$(fixture EVENT)" > "$script"
  wrk -t2 -c64 -d30s -s "$script" "$api/topics/$topic/events" > /dev/null
  wrk -t2 -c64 -d20s --latency -s "$script" "$api/topics/$topic/events" > target/bench-wrk.txt
  echo "ingest: schema-validated ~1.3 KB events, 1 queue subscription, wrk 64 connections: $(awk '/Requests\/sec/ {print $2}' target/bench-wrk.txt) events/s;" \
       "p50 $(awk '$1=="50%" {print $2}' target/bench-wrk.txt), p99 $(awk '$1=="99%" {print $2}' target/bench-wrk.txt)" | tee -a "$out"
  # The ingest run leaves a relay backlog of hundreds of thousands of deliveries; drop it so it does not load the
  # delivery measurements that follow.
  curl -fs -H "X-API-Key: $key" -XDELETE "$api/subscriptions/$queue_subscription?force=true" > /dev/null
else
  echo "ingest: skipped (wrk is not installed)" | tee -a "$out"
fi

java -cp "target/test-classes:$(cat target/bench-classpath.txt)" io.herald.delivery.DeliveryBenchmark \
  "http://localhost:$port" 300 15 5000 50 200 | grep -E "^(end to end|max delivery|fan-out)" | tee -a "$out"
echo "memory: resident peak: $(cat target/bench-peak-rss) MiB" | tee -a "$out"

mkdir -p bench/results
result="bench/results/$(date -u +%Y-%m-%d)-$(git rev-parse --short HEAD).md"
{
  echo "# Benchmark $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1). Herald embedded mode, -Xmx512m;"
  echo "load generator, webhook sink, PostgreSQL and Artemis on the same machine."
  echo
  sed 's/^/- /' "$out"
} > "$result"
echo "written: $result"
