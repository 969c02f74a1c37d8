#!/usr/bin/env bash
# Planning time of a 4-table join with and without policies, uncached and from the plan cache,
# in one run (dev.sekisho.planner.policy.TestingPolicyLatency, planner test sources). Not a test.
#
#   bench/policy-planning.sh
#
# Builds through the reactor (test-compile, never install) and runs from the planner's test class
# path. MVN_ARGS adds Maven options (e.g. MVN_ARGS="-o -Dmaven.repo.local=..."); MVN replaces the
# Maven command (default ./mvnw); BENCH_BUILD=0 skips the build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
classpath_file="$root/planner/target/bench.classpath"

if [ "${BENCH_BUILD:-1}" != "0" ] || [ ! -f "$classpath_file" ]; then
  echo "Building the planner through the reactor (skipping tests)..." >&2
  ${MVN:-./mvnw} -B -q ${MVN_ARGS:-} -pl planner -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$classpath_file" >&2
fi

echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1)" >&2
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} \
  -cp "planner/target/test-classes:planner/target/classes:$(cat "$classpath_file")" \
  dev.sekisho.planner.policy.TestingPolicyLatency "$@"
