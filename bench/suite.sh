#!/usr/bin/env bash
# The benchmark suite of issue 13 (docs/benchmarks.md): every case through the gateway beside the
# same query run directly over Connector/J against the same embedded MariaDB in the same run, with
# the ratios; deterministic data (1M customers, 5M orders, 10M events by default). Not a test, not
# part of verify. Prints a Markdown table on stdout; progress on stderr.
#
#   bench/suite.sh [--customers N] [--orders N] [--stream-rows N] [--iterations N]
#                  [--heavy-iterations N] [--cold-shapes N] [--warmup N] [--threads N]
#                  [--stream-rounds N] [--stream-warmup-rows N] [--stream-warmup-runs N]
#                  [--stream-only [--stream-read-ahead-ab]]
#
# --stream-only runs only the stream (e.g. with small --customers/--orders while profiling it);
# --stream-rounds repeats it. Each stream row shows the CPU per row (JVM + MariaDB) of both paths.
# Before the first round, the first --stream-warmup-rows rows (default 1,000,000; 0: none) are streamed,
# untimed, directly and through each gateway, in --stream-warmup-runs statements (default 5), so round 1
# does not time one path's JIT warm-up, nor the JIT meeting a statement's start and end for the first times;
# through the gateways all but the last in batches of 100 rows, so that the code run once per batch is
# compiled too (the timed reads fetch 10,000 rows a batch, and so does the last warm-up read).
# --stream-read-ahead-ab also streams each round through a gateway with protocol.read_ahead_bytes: 0 (reading ahead off),
# beside the default gateway, which reads ahead.
#
# Builds through the reactor (test-compile, never install) and runs the benchmark from the
# integration tests' class path. MVN_ARGS adds Maven options (e.g. MVN_ARGS="-o
# -Dmaven.repo.local=..."); MVN replaces the Maven command (default ./mvnw); BENCH_BUILD=0 skips the
# build; BENCH_JAVA_OPTS sets the JVM's options (default -Xmx1g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
classpath_file="$root/integration-tests/target/bench.classpath"

if [ "${BENCH_BUILD:-1}" != "0" ] || [ ! -f "$classpath_file" ]; then
  echo "Building the integration tests through the reactor (skipping tests)..." >&2
  ${MVN:-./mvnw} -B -q ${MVN_ARGS:-} -pl integration-tests -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$classpath_file" >&2
fi
echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" >&2
cd integration-tests
exec java ${BENCH_JAVA_OPTS:--Xmx1g} -cp "target/test-classes:$(cat "$classpath_file")" dev.sekisho.it.bench.SuiteBenchmark "$@"
