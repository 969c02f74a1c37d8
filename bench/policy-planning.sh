#!/usr/bin/env bash
# Planning time of a 4-table join with and without policies, uncached and from the plan cache,
# in one run (dev.sekisho.planner.policy.TestingPolicyLatency, planner test sources). Not a test.
#
#   bench/policy-planning.sh
#
# Builds the planner first when its build is missing or older than the sources. MVN_ARGS adds
# Maven options (e.g. MVN_ARGS=-o for offline).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn_args=(-B -q ${MVN_ARGS:-})
marker="planner/target/test-classes/dev/sekisho/planner/policy/TestingPolicyLatency.class"
classpath_file="planner/target/bench.classpath"

if [ ! -f "$marker" ] || [ -n "$(find "$root"/policies/src "$root"/planner/src "$root/pom.xml" -newer "$marker" -print -quit 2>/dev/null)" ]; then
  echo "Building the planner (skipping tests)..." >&2
  ./mvnw "${mvn_args[@]}" -DskipTests -pl policies,planner install >&2
fi
if [ ! -f "$classpath_file" ] || [ "$root/planner/pom.xml" -nt "$classpath_file" ]; then
  ./mvnw "${mvn_args[@]}" -pl planner dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$root/$classpath_file" >&2
fi

echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1)" >&2
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} \
  -cp "planner/target/test-classes:planner/target/classes:$(cat "$classpath_file")" \
  dev.sekisho.planner.policy.TestingPolicyLatency "$@"
