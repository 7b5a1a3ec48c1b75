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
mvn -B -q -DskipTests clean package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
source bench/herald.sh
port=18080
start_herald $port target/bench-herald.log HERALD_BROKER_EMBEDDED_PORT=15673 \
  HERALD_DELIVERY_ALLOWED_HOSTS=127.0.0.1
java -cp "target/test-classes:$(cat target/bench-classpath.txt)" io.herald.delivery.DeliveryBenchmark \
  "http://localhost:$port" "$rate" "$seconds" "$backlog"
echo "herald: resident memory after the run: $(( $(awk '/VmRSS/ {print $2}' /proc/$herald/status) / 1024 )) MiB"
