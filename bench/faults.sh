#!/usr/bin/env bash
# Faults, accounted (issue 29): three Herald instances in external mode behind HAProxy, on this machine's PostgreSQL
# and RabbitMQ, a webhook sink and an AMQP queue consumer, and a steady open-loop publisher (300 events/s, unique ids,
# every answer recorded). While it publishes, faults are injected one after another; after each, the accounting
# against the publisher's record (io.herald.bench.faults.FaultRun). Any accepted event missing fails the run.
# Writes bench/results/<date>-<commit>-faults.md. Needs root (it restarts this machine's PostgreSQL and RabbitMQ).
# Usage: bench/faults.sh [rate=300] [faults=1,3,...]   (README, "Faults")
set -euo pipefail
cd "$(dirname "$0")/.."
command -v haproxy > /dev/null || { apt-get update -q > /dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy > /dev/null; }
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test

psql -h 127.0.0.1 -U postgres -d postgres -q -c "drop database if exists herald_faults with (force)" -c "create database herald_faults"
rabbitmqctl -q delete_vhost herald_faults > /dev/null 2>&1 || true
rabbitmqctl -q add_vhost herald_faults
rabbitmqctl -q set_permissions -p herald_faults guest '.*' '.*' '.*'

ports=(18181 18182 18183)
lb_port=18180
work="$(mktemp -d)"
trap 'kill $(cat "$work/haproxy.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
# Health-checked on readiness, so an instance stopping or cut off from its database or broker gets no new requests;
# a request whose connection failed is sent to another instance (the ingest API deduplicates by CloudEvents id).
cat > "$work/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 2
    option redispatch
    retry-on conn-failure
frontend herald
    bind 127.0.0.1:$lb_port
    default_backend herald
backend herald
    balance roundrobin
    option httpchk GET /q/health/ready
    default-server inter 1s fall 2 rise 2 init-addr none
    server h1 127.0.0.1:${ports[0]} check
    server h2 127.0.0.1:${ports[1]} check
    server h3 127.0.0.1:${ports[2]} check
CFG
haproxy -f "$work/haproxy.cfg" -D -p "$work/haproxy.pid"

table="$work/table.md"
status=0
java -Xmx1g -cp "target/test-classes:$(cat target/bench-classpath.txt)" io.herald.bench.faults.FaultRun \
  "lb=http://127.0.0.1:$lb_port" "ports=$(IFS=,; echo "${ports[*]}")" jar=target/quarkus-app/quarkus-run.jar \
  "db=jdbc:postgresql://127.0.0.1:5432/herald_faults?user=postgres" brokerHost=127.0.0.1 brokerPort=5672 \
  brokerUser=guest brokerPassword=guest vhost=herald_faults sinkPort=18190 linkPort=18191 "pgVersion=$(ls /etc/postgresql | head -1)" \
  "out=$table" "$@" || status=$?

mkdir -p bench/results
result="bench/results/$(date -u +%Y-%m-%d)-$(git rev-parse --short HEAD)-faults.md"
n=2
while [ -e "$result" ]; do result="${result%-faults*.md}-faults-$n.md"; n=$((n + 1)); done
{
  echo "# Fault run $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with uncommitted changes)')"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB."
  echo "Three Herald instances (-Xmx256m) behind HAProxy $(haproxy -v | head -1 | awk '{print $3}'), PostgreSQL $(psql -h 127.0.0.1 -U postgres -tAc 'show server_version' | cut -d' ' -f1),"
  echo "RabbitMQ $(rabbitmqctl -q version) (quorum queues, AMQP 0-9-1), all on this machine. Command: \`bench/faults.sh $*\`."
  echo "Each fault: 10 s of publishing, the fault, 15 s more, then up to 300 s for delivery to settle. Subscriptions: a"
  echo "healthy webhook, a webhook whose receiver the receiver faults break, a queue read by an AMQP 0-9-1 consumer."
  echo
  [ -f "$table" ] && cat "$table" || echo "(the run failed before its table; see target/it-faults-herald-*.log)"
} > "$result"
echo "written: $result"
exit $status
