#!/usr/bin/env bash
# Prints schema validations per second (one thread) for a ~1 KB event against a ~40-property schema.
# Usage: bench/schema-validation.sh [warmup-seconds] [measure-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -XX:ActiveProcessorCount=1 -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.herald.schema.SchemaValidationBenchmark "$@"
