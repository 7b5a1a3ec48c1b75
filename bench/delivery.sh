#!/usr/bin/env bash
# Webhook delivery benchmark: builds Herald, starts it in embedded mode on a fresh data directory (webhooks to
# 127.0.0.1 allowed for the local sink), then prints end-to-end latency (publish -> webhook received) at a steady
# rate and the maximum delivery rate of one subscription draining a backlog.
# Usage: bench/delivery.sh [events-per-second] [seconds] [backlog]
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-1000}"
seconds="${2:-20}"
backlog="${3:-20000}"
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
data="$(mktemp -d)"
# An admin API key for this throw-away instance (the one the Java benchmark clients send, as the tests do).
key="hk_testadmn_TestAdminKeyNotASecret0123456789"
port=18080
HERALD_API_KEY="$key" HERALD_DATA_DIR="$data" QUARKUS_HTTP_PORT=$port HERALD_BROKER_EMBEDDED_PORT=15673 HERALD_DELIVERY_ALLOWED_HOSTS=127.0.0.1 \
  java -Xmx512m -jar target/quarkus-app/quarkus-run.jar > target/bench-herald.log 2>&1 &
herald=$!
trap 'status=$?; kill $herald 2>/dev/null; wait $herald 2>/dev/null || true; rm -rf "$data"; exit $status' EXIT
for _ in $(seq 1 60); do
  curl -fs "http://localhost:$port/q/health/ready" > /dev/null && break
  sleep 1
done
curl -fs "http://localhost:$port/q/health/ready" > /dev/null || { echo "Herald did not become ready; see target/bench-herald.log"; exit 1; }
java -cp "target/test-classes:$(cat target/bench-classpath.txt)" io.herald.delivery.DeliveryBenchmark \
  "http://localhost:$port" "$rate" "$seconds" "$backlog"
echo "herald: resident memory after the run: $(( $(awk '/VmRSS/ {print $2}' /proc/$herald/status) / 1024 )) MiB"
