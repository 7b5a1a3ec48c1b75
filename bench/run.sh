#!/usr/bin/env bash
# All of Herald's benchmarks in one command, beside the machine's own ceilings measured in the same run: builds once,
# starts Herald (embedded mode; with --external against this machine's PostgreSQL and RabbitMQ), and runs
# io.herald.bench.BenchmarkSuite: an open-loop load generator with HdrHistogram latencies (coordinated omission
# corrected), a Vert.x webhook sink, raw AMQP sends, RabbitMQ's management publish API (--external only).
# Prints one table and writes it with the machine and commit to bench/results/<date>-<commit>[-external].md.
# Usage: bench/run.sh [--external | --rabbitmq] [phases=ingest,broker,e2e,fanout]   (default: all; also steady, backlog, destinations, ordered: see the README)
set -euo pipefail
cd "$(dirname "$0")/.."
# The JVM settings Herald runs with (HERALD_JAVA_OPTS overrides): the heap, Netty's direct buffers, and at most two
# glibc malloc arenas (by default glibc gives busy threads up to 8 per core, which the JVM's native memory tracking
# does not even see). The table's last row is the heap still in use after a full GC at the end: -Xmx192m leaves about
# three times that for garbage. G1 grows the heap to -Xmx under load, so -Xmx sets the peak (bench/results/; each file
# names its settings).
HERALD_JAVA_OPTS="${HERALD_JAVA_OPTS:--Xmx192m -XX:MaxDirectMemorySize=64m}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
external=false
embedded_database=false
# The external run's RabbitMQ settings (see the README): queue type and the protocol Herald speaks to it.
queue_type="${HERALD_BROKER_RABBITMQ_QUEUE_TYPE:-quorum}"
rabbitmq_protocol="${HERALD_BROKER_RABBITMQ_PROTOCOL:-amqp-0-9-1}"
phases="phases=all"
suite_extra=()
for arg in "$@"; do
  case "$arg" in
    --external) external=true ;;
    # The external RabbitMQ with the embedded PostgreSQL: the broker's share of an external run, apart from a database
    # configured differently from the embedded one (this machine's runs with autovacuum off).
    --rabbitmq) external=true; embedded_database=true ;;
    phases=*) phases="$arg" ;;
    *=*) suite_extra+=("$arg") ;; # the suite's other arguments, e.g. e2eRates=1000 (see the README)
  esac
done
# clean: a file deleted from src/ stays in target/classes otherwise (a removed migration was measured that way once).
mvn -B -q -DskipTests clean package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
source bench/herald.sh
port=18080
suite_args=("base=http://localhost:$port" "key=$key")
env_args=(HERALD_BENCH_ENDPOINTS=true HERALD_DELIVERY_ALLOWED_HOSTS=127.0.0.1)
if $external; then
  psql -h 127.0.0.1 -U postgres -d postgres -q -c "drop database if exists herald_bench with (force)" -c "create database herald_bench"
  rabbitmq-plugins enable rabbitmq_management rabbitmq_amqp1_0 > /dev/null
  rabbitmqctl -q delete_vhost herald_bench > /dev/null 2>&1 || true
  rabbitmqctl -q add_vhost herald_bench
  rabbitmqctl -q set_permissions -p herald_bench guest '.*' '.*' '.*'
  for _ in $(seq 1 30); do curl -fs -u guest:guest -o /dev/null http://127.0.0.1:15672/api/overview && break; sleep 1; done
  $embedded_database || env_args+=(HERALD_DB_URL="jdbc:postgresql://127.0.0.1:5432/herald_bench?user=postgres")
  env_args+=(HERALD_BROKER_HOST=127.0.0.1 HERALD_BROKER_PORT=5672 HERALD_BROKER_FLAVOUR=rabbitmq HERALD_BROKER_USER=guest HERALD_BROKER_PASSWORD=guest
    HERALD_BROKER_VIRTUAL_HOST=herald_bench HERALD_BROKER_RABBITMQ_QUEUE_TYPE="$queue_type"
    HERALD_BROKER_RABBITMQ_PROTOCOL="$rabbitmq_protocol")
  suite_args+=(amqpHost=127.0.0.1 amqpPort=5672 amqpUser=guest amqpPassword=guest amqpVhost=herald_bench
    "rabbitManagement=http://guest:guest@127.0.0.1:15672" "brokerPid=$(pgrep -o beam.smp || echo 0)")
  # A PostgreSQL that never vacuums slows delivery down as the run goes on (Herald warns of it at start): say so.
  database="PostgreSQL $(psql -h 127.0.0.1 -U postgres -tAc 'show server_version' | cut -d' ' -f1) with autovacuum $(psql -h 127.0.0.1 -U postgres -tAc 'show autovacuum')"
  $embedded_database && database="the embedded PostgreSQL 17"
  mode="external: $database, RabbitMQ $(rabbitmqctl -q version 2>/dev/null || echo '?') ($queue_type queues, Herald speaking $rabbitmq_protocol)"
else
  env_args+=(HERALD_BROKER_EMBEDDED_PORT=15673)
  suite_args+=(amqpHost=127.0.0.1 amqpPort=15673)
  mode="embedded: PostgreSQL 17 and Artemis $(ls ~/.m2/repository/org/apache/activemq/artemis-server 2>/dev/null | tail -1) in-process"
fi
if [[ "$phases" == *destinations* ]]; then
  # The destinations phase: the machine's NATS (JetStream) and Redis, and a Kafka and an ElasticMQ started here from
  # the jars .ci/run uses. Herald learns them from its settings, as an operator would give them.
  for engine in kafka elasticmq; do
    [ -d ".ci/engines/$engine/target/libs" ] || mvn -B -q -f ".ci/engines/$engine/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory=target/libs -DincludeScope=runtime
  done
  engines_dir="$(mktemp -d)"
  cleanup_paths+=("$engines_dir")
  printf '%s\n' process.roles=broker,controller node.id=1 controller.quorum.voters=1@127.0.0.1:19093 \
    listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093 advertised.listeners=PLAINTEXT://127.0.0.1:19092 \
    controller.listener.names=CONTROLLER listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT \
    "log.dirs=$engines_dir/kafka-data" offsets.topic.replication.factor=1 transaction.state.log.replication.factor=1 \
    transaction.state.log.min.isr=1 > "$engines_dir/kafka.properties"
  java -cp ".ci/engines/kafka/target/libs/*" kafka.tools.StorageTool format -t herald-bench-cluster-01 \
    -c "$engines_dir/kafka.properties" > /dev/null
  java -Xmx512m -cp ".ci/engines/kafka/target/libs/*" kafka.Kafka "$engines_dir/kafka.properties" \
    > target/bench-kafka.log 2>&1 &
  engine_pids+=($!)
  printf '%s\n' 'include classpath("application.conf")' \
    'node-address { protocol = http, host = "127.0.0.1", port = 19324, context-path = "" }' \
    'rest-sqs { enabled = true, bind-port = 19324, bind-hostname = "127.0.0.1", sqs-limits = strict }' \
    'rest-stats { enabled = false }' > "$engines_dir/elasticmq.conf"
  java -Xmx256m -Dconfig.file="$engines_dir/elasticmq.conf" -cp ".ci/engines/elasticmq/target/libs/*" \
    org.elasticmq.server.Main > target/bench-elasticmq.log 2>&1 &
  engine_pids+=($!)
  for engine_port in 19092 19324; do
    for _ in $(seq 1 60); do (exec 3<>"/dev/tcp/127.0.0.1/$engine_port") 2>/dev/null && break; sleep 1; done
  done
  env_args+=(HERALD_DESTINATIONS_NATS_DEFAULT_URL=nats://127.0.0.1:4222
    HERALD_DESTINATIONS_REDIS_DEFAULT_URL=redis://127.0.0.1:6379 HERALD_DESTINATIONS_KAFKA_DEFAULT_URL=127.0.0.1:19092
    HERALD_DESTINATIONS_SQS_DEFAULT_REGION=us-east-1 HERALD_DESTINATIONS_SQS_DEFAULT_ENDPOINT=http://127.0.0.1:19324
    HERALD_DESTINATIONS_SQS_DEFAULT_ACCESS_KEY_ID=bench HERALD_DESTINATIONS_SQS_DEFAULT_SECRET_ACCESS_KEY=bench)
fi
start_herald $port target/bench-herald.log "${env_args[@]}"
sleep 5 # at rest
table="$(mktemp)"
cleanup_paths+=("$table")
java -Xmx1g -cp "target/test-classes:$(cat target/bench-classpath.txt)" io.herald.bench.BenchmarkSuite \
  "${suite_args[@]}" "$phases" ${suite_extra[@]+"${suite_extra[@]}"} "pid=$herald" "out=$table"

mkdir -p bench/results
flag=""
$external && flag=" --external"
$embedded_database && flag=" --rabbitmq"
base="bench/results/$(date -u +%Y-%m-%d)-$(git rev-parse --short HEAD)$($external && echo -${flag#* --} || true)"
result="$base.md"
n=2
while [ -e "$result" ]; do result="$base-$n.md"; n=$((n + 1)); done # another run of the same commit, e.g. other settings
{
  echo "# Benchmark $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with uncommitted changes)')"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB,"
  echo "$(java -version 2>&1 | head -1). Herald with $HERALD_JAVA_OPTS and MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX, $mode. The load generator, the webhook sink and the"
  echo "database and broker share the machine with Herald. Command: \`bench/run.sh$flag$([ "$phases" = phases=all ] || echo " $phases")${suite_extra[@]+ ${suite_extra[*]}}\`."
  echo
  cat "$table"
} > "$result"
echo "written: $result"
