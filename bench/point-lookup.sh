#!/usr/bin/env bash
# Point-lookup benchmark: MariaDB directly over Connector/J versus the gateway over pgjdbc and over Avatica
# (prepared statements and literal statements), in one run against one embedded MariaDB.
# Prints a Markdown table per round (see docs/benchmarks.md). Not a test.
#
#   bench/point-lookup.sh [--iterations 20000] [--warmup 5000] [--threads 8]
#                         [--clients 1,8] [--paths part,part] [--driver-properties name=value,...] [--rounds 2]
#                         [--gateway-configs 'yaml;yaml'] [--slices 10]
#   bench/point-lookup.sh --help      (prints this, without building)
#
# --iterations/--warmup: timed and warm-up calls per path and client count, shared by the clients;
# --clients: the client counts to run (default: 1, then --threads); --paths: run only the paths whose
# names contain one of these parts (the direct path always runs); --driver-properties: two more paths
# through a gateway whose source connections carry these Connector/J properties; --rounds: how many times the
# whole set of paths runs (one table each); --gateway-configs: two more paths (prepared setInt, Redash-annotated
# literal) through a gateway without policies per YAML snippet, for A/B runs of settings in one JVM, e.g.
# --gateway-configs 'protocol: {io_transport: nio};protocol: {io_transport: epoll}'.
# --slices: each path runs beside the direct path in this many short slices each, alternating
# direct, path, path, direct, ... (default 10), and its ratios are against the direct path's calls in
# those slices (throughput: calls over the slices' time, a slice's time being its calls at the sum of its
# clients' own rates, so waking the clients and waiting for the last one do not count); the table also shows the slice pairs' ratios (median, min-max), the noise between
# neighbouring slices. Before the first round a warm-up pass runs every path (with --warmup calls beside
# the direct path), so no timed path pays the JIT for code the others knocked out of its compiled form;
# each round starts with the next path (the order rotates) and the slice pattern starts with the direct
# path in odd rounds, with the other path in even ones. Each path's start time goes to stderr, to find its
# part of a profile (BENCH_JAVA_OPTS=-XX:StartFlightRecording=...), with its slice pairs' ratios.
#
# Builds through the reactor (test-compile, never install) and runs from the integration tests'
# class path. MVN_ARGS adds Maven options (e.g. MVN_ARGS="-o -Dmaven.repo.local=..."); MVN replaces
# the Maven command (default ./mvnw); BENCH_BUILD=0 skips the build; BENCH_JAVA_OPTS sets the
# benchmark JVM's options. The gateways' source pools run with the production default of no HikariCP
# leak detection (the tests' gateways log a connection held over 20 s); BENCH_LEAK_DETECTION_MS=20000
# measures with it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
for argument in "$@"; do
  if [ "$argument" = "--help" ] || [ "$argument" = "-h" ]; then
    # the usage is this script's header: no build, no JVM
    sed -n '2,/^set -euo pipefail/{/^set -euo pipefail/d;s/^# \{0,1\}//;p;}' "${BASH_SOURCE[0]}"
    exit 0
  fi
done
classpath_file="$root/integration-tests/target/bench.classpath"

if [ "${BENCH_BUILD:-1}" != "0" ] || [ ! -f "$classpath_file" ]; then
  echo "Building the integration tests through the reactor (skipping tests)..." >&2
  ${MVN:-./mvnw} -B -q ${MVN_ARGS:-} -pl integration-tests -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$classpath_file" >&2
fi

echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1)" >&2
cd integration-tests
pool_opts=()
if [[ -n "${BENCH_LEAK_DETECTION_MS:-}" ]]; then
  pool_opts=("-Dsekisho.it.pool={leak_detection_ms: ${BENCH_LEAK_DETECTION_MS}}")
fi
exec java -Xmx1g "${pool_opts[@]}" ${BENCH_JAVA_OPTS:-} \
  -cp "target/test-classes:$(cat "$classpath_file")" \
  dev.sekisho.it.bench.PointLookupBenchmark "$@"
