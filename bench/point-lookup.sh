#!/usr/bin/env bash
# Point-lookup benchmark: MariaDB directly over Connector/J versus the gateway over pgjdbc and over Avatica
# (prepared statements and literal statements), in one run against one embedded MariaDB.
# Prints a Markdown table (see docs/benchmarks.md). Not a test.
#
#   bench/point-lookup.sh [--iterations 20000] [--warmup 5000] [--planned-iterations 5000] [--threads 8]
#
# Builds first when the build is missing or older than the sources. MVN_ARGS adds Maven options
# (e.g. MVN_ARGS=-o for offline); BENCH_JAVA_OPTS sets the benchmark JVM's options.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn_args=(-B -q ${MVN_ARGS:-})
marker="integration-tests/target/test-classes/dev/sekisho/it/bench/PointLookupBenchmark.class"
classpath_file="integration-tests/target/bench.classpath"

if [ ! -f "$marker" ] || [ -n "$(find "$root"/*/src "$root"/*/pom.xml "$root/pom.xml" -newer "$marker" -print -quit 2>/dev/null)" ]; then
  echo "Building Sekisho and the integration tests (skipping tests)..." >&2
  ./mvnw "${mvn_args[@]}" -DskipTests install >&2
fi
if [ ! -f "$classpath_file" ] || [ "$root/integration-tests/pom.xml" -nt "$classpath_file" ] || [ "$root/pom.xml" -nt "$classpath_file" ]; then
  ./mvnw "${mvn_args[@]}" -pl integration-tests dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$root/$classpath_file" >&2
fi

echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1)" >&2
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} \
  -cp "integration-tests/target/test-classes:$(cat "$classpath_file")" \
  dev.sekisho.it.bench.PointLookupBenchmark "$@"
