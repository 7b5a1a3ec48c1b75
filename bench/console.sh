#!/usr/bin/env bash
# Console response times with a large event store: starts Herald in embedded mode on a fresh data directory, fills
# the store with N events (default one million, spread over the last 7 days, two topics, each routed to a queue
# subscription, so deliveries hold N rows too) and an hour of dashboard figures, then signs in and times the
# dashboard and the events pages with curl (server time to the last byte). Prints p50/p95/max per page.
# Usage: bench/console.sh [events] [requests-per-page]
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-1000000}"
requests="${2:-30}"
command -v psql > /dev/null || { echo "bench/console.sh needs psql (Debian: postgresql-client)"; exit 1; }
mvn -B -q -DskipTests clean package
source bench/herald.sh
port=18081
start_herald $port target/bench-console-herald.log \
  HERALD_BROKER_EMBEDDED_PORT=15674 HERALD_ADMIN_PASSWORD=bench-admin-password
jar="$(mktemp)"
cleanup_paths+=("$jar")
api="http://localhost:$port/api/v1"
for topic in bench.orders bench.payments; do
  curl -fs -H "X-API-Key: $key" -XPOST -H 'Content-Type: application/json' "$api/topics" -d "{\"name\": \"$topic\"}" > /dev/null
  curl -fs -H "X-API-Key: $key" -XPOST -H 'Content-Type: application/json' "$api/subscriptions" -d "{\"name\": \"$topic-queue\", \"topic\": \"$topic\", \"kind\": \"queue\"}" > /dev/null
done
orders_sub="$(curl -fs -H "X-API-Key: $key" "$api/subscriptions" | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin)["items"] if s["topic"]=="bench.orders"][0])')"
payments_sub="$(curl -fs -H "X-API-Key: $key" "$api/subscriptions" | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin)["items"] if s["topic"]=="bench.payments"][0])')"

pgport="$(sed -n 4p "$data/postgres/postmaster.pid")"
sql() { psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pgport" -U postgres -d postgres "$@"; }
echo "console: storing $events events (and as many deliveries) ..."
start=$(date +%s)
sql <<SQL
insert into events (id, topic, ce_id, source, type, subject, time, data_content_type, data, schema_version, accepted_at)
select 'evt_bench' || lpad(i::text, 12, '0'),
       case when i % 4 = 0 then 'bench.payments' else 'bench.orders' end,
       'ce-' || i, '/bench/shop',
       case when i % 4 = 0 then 'payment.processed' when i % 3 = 0 then 'order.cancelled' else 'order.placed' end,
       'customer-' || (i % 5000),
       now() - (($events - i) * interval '7 days' / $events),
       'application/json',
       '{"orderId": "ord_' || i || '", "amount": ' || (i % 997) || ', "note": "<b>bench</b>"}',
       null,
       now() - (($events - i) * interval '7 days' / $events)
from generate_series(1, $events) as i;
insert into deliveries (id, event_id, event_accepted_at, subscription_id, state, created_at, queued_at)
select 'dlv_' || substr(e.id, 5), e.id, e.accepted_at,
       case when e.topic = 'bench.orders' then '$orders_sub' else '$payments_sub' end, 'QUEUED', e.accepted_at, e.accepted_at
from events e where e.id like 'evt_bench%';
insert into flow_minutes (minute, instance_id, topic, accepted)
select date_trunc('minute', now()) - m * interval '1 minute', 'bench', t, 1000 + m from generate_series(0, 59) m,
       unnest(array['bench.orders', 'bench.payments']) t;
vacuum analyze events;
vacuum analyze deliveries;
SQL
echo "console: stored in $(( $(date +%s) - start )) s; $(sql -tA -c 'select count(*) from events') events in the store"

curl -s -o /dev/null -c "$jar" -b "$jar" "http://localhost:$port/console/login"
curl -s -o /dev/null -c "$jar" -b "$jar" -d 'j_username=admin&j_password=bench-admin-password' "http://localhost:$port/console/j_security_check"
cursor="$(curl -fs -b "$jar" "http://localhost:$port/console/events" | grep -o 'after=[A-Za-z0-9_=-]*' | head -1)"
middle_id="evt_bench$(printf '%012d' $(( events / 2 )))"
midweek="$(date -u -d '-3 days' +%Y-%m-%dT%H:%M)"
pages=(
  "/console"
  "/console/dashboard/live"
  "/console/events"
  "/console/events?$cursor"
  "/console/events?topic=bench.orders"
  "/console/events?topic=bench.orders&type=order.cancelled"
  "/console/events?topic=bench.orders&subject=customer-42"
  "/console/events?type=payment.processed"
  "/console/events?subject=customer-42"
  "/console/events?type=no.such.type"
  "/console/events?to=$midweek"
  "/console/events/$middle_id"
  "/console/topics"
  "/console/subscriptions"
)
printf '%-62s %8s %8s %8s\n' "page ($events events in the store)" "p50 ms" "p95 ms" "max ms"
for page in "${pages[@]}"; do
  status="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "http://localhost:$port$page")"
  [ "$status" = 200 ] || { echo "$page answered $status"; exit 1; }
  for _ in 1 2 3; do curl -s -o /dev/null -b "$jar" "http://localhost:$port$page"; done
  for _ in $(seq 1 "$requests"); do
    curl -s -o /dev/null -w '%{time_total}\n' -b "$jar" "http://localhost:$port$page"
  done | sort -n | awk -v page="$page" '{ t[NR] = $1 * 1000 } END {
    printf "%-62s %8.1f %8.1f %8.1f\n", page, t[int(NR * 0.5 + 0.5)], t[int(NR * 0.95 + 0.5)], t[NR] }'
done
