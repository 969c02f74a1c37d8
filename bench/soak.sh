#!/usr/bin/env bash
# The soak (docs/reliability.md): CONNECTIONS clients for SECONDS against the demo shop in an
# embedded MariaDB, each looping over point lookups, scans, catalog queries, cancels,
# disconnects mid-stream and failed logins. Reports statements, errors, heap after GC per
# interval, leaked sessions and source connections, and file descriptors; fails when anything
# leaked or failed unexpectedly. Not part of verify, which runs a 30-second version (TestSoak).
#
#   bench/soak.sh [CONNECTIONS] [SECONDS]      default: 200 connections, 600 seconds
#
# MVN_ARGS adds Maven options (e.g. MVN_ARGS="-o -Dmaven.repo.local=..."). The report is written
# to integration-tests/target/soak-report.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
connections="${1:-200}"
seconds="${2:-600}"
log="$root/integration-tests/target/soak.log"
mkdir -p "$root/integration-tests/target"
echo "Soak: $connections connections for $seconds s (log: ${log#$root/})" >&2
status=0
./mvnw -B ${MVN_ARGS:-} -pl integration-tests -am verify -Dtest=TestSoak -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.connections="$connections" -Dsoak.seconds="$seconds" > "$log" 2>&1 || status=$?
if [ -f integration-tests/target/soak-report.md ]; then
  cat integration-tests/target/soak-report.md
else
  echo "no report: see $log" >&2
fi
exit "$status"
