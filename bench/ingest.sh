#!/usr/bin/env bash
# Ingest benchmark: builds Herald, starts it in embedded mode on a fresh data directory with a topic, its
# 40-property schema and one queue subscription, and drives it with wrk (closed loop): ~1.3 KB events, each
# schema-validated, stored, routed and relayed into the durable queue while the load runs.
# Prints accepted requests/s and latency percentiles. Needs wrk (Debian: apt-get install wrk).
# Usage: bench/ingest.sh [measure-seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
connections="${2:-64}"
command -v wrk > /dev/null || { echo "bench/ingest.sh needs wrk: apt-get install -y wrk"; exit 1; }
mvn -B -q -DskipTests clean package
source bench/herald.sh
port=18080
start_herald $port target/bench-herald.log HERALD_BROKER_EMBEDDED_PORT=15673

fixture() {  # a text block of OrderFixtures, on one line
  python3 -c 'import re,sys; src=open("src/test/java/io/herald/testing/OrderFixtures.java").read(); print(" ".join(re.search(sys.argv[1] + r" = \"\"\"(.*?)\"\"\";", src, re.S).group(1).split()))' "$1"
}
schema="$(fixture SCHEMA)"
event="$(fixture EVENT)"
topic="bench.order.placed"
api="http://localhost:$port/api/v1"
curl -fs -H "X-API-Key: $key" -XPOST -H 'Content-Type: application/json' "$api/topics" -d "{\"name\": \"$topic\"}" > /dev/null
curl -fs -H "X-API-Key: $key" -XPOST -H 'Content-Type: application/json' "$api/topics/$topic/schemas" -d "{\"schema\": $schema}" > /dev/null
curl -fs -H "X-API-Key: $key" -XPOST -H 'Content-Type: application/json' "$api/subscriptions" -d "{\"topic\": \"$topic\", \"kind\": \"queue\"}" > /dev/null
script="$(mktemp)"
cleanup_paths+=("$script")
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["X-API-Key"] = "%s"\nwrk.body = [[%s]]\n' "$key" "$event" > "$script"

echo "ingest: warming up (JIT) for 30 s ..."
wrk -t2 -c"$connections" -d30s -s "$script" "$api/topics/$topic/events" > /dev/null
echo "ingest: ${#event}-byte events, schema-validated, 1 queue subscription, $connections connections, ${seconds} s:"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$script" "$api/topics/$topic/events" | grep -E "Requests/sec|Non-2xx|^ +(50|75|90|99)%"
curl -fs "http://localhost:$port/q/metrics" | grep -E "^herald_(ingest_events_accepted|relay_deliveries_queued)_total"
echo "herald: resident memory after the run: $(( $(awk '/VmRSS/ {print $2}' /proc/$herald/status) / 1024 )) MiB"
