# Sourced by the bench scripts: starts the built Herald on a fresh data directory and stops it, and deletes that
# directory and any path added to cleanup_paths, when the script exits.
# start_herald <http-port> <log> [NAME=value ...]: the extra arguments are environment variables for Herald;
# HERALD_JAVA_OPTS gives its JVM options (default -Xmx512m); APPDIR another build's quarkus-app directory, to compare
# builds side by side (default target/quarkus-app). Sets $herald (its pid) and $data (its data directory).
# Every bench instance gets the same throw-away admin API key: the tests' key, which the Java benchmark clients send.
key="hk_testadmn_TestAdminKeyNotASecret0123456789"
cleanup_paths=()
engine_pids=() # engines a bench script started (Kafka, ElasticMQ), stopped with Herald

start_herald() {
  local port="$1" log="$2"
  shift 2
  data="$(mktemp -d)"
  env HERALD_API_KEY="$key" HERALD_DATA_DIR="$data" QUARKUS_HTTP_PORT="$port" "$@" \
    java ${HERALD_JAVA_OPTS:--Xmx512m} -jar ${APPDIR:-target/quarkus-app}/quarkus-run.jar > "$log" 2>&1 &
  herald=$!
  trap 'status=$?; kill $herald ${engine_pids[@]+"${engine_pids[@]}"} 2>/dev/null; wait $herald 2>/dev/null || true; rm -rf "$data" "${cleanup_paths[@]}"; exit $status' EXIT
  for _ in $(seq 1 90); do
    curl -fs "http://localhost:$port/q/health/ready" > /dev/null && return 0
    kill -0 $herald 2>/dev/null || break
    sleep 1
  done
  echo "Herald did not become ready; see $log"
  exit 1
}
