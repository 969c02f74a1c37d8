#!/usr/bin/env bash
# Fuzzes one target with Jazzer for a given time (docs/reliability.md). Not part of verify, where
# every target runs once over its committed inputs only.
#
#   bench/fuzz.sh TARGET SECONDS        e.g. bench/fuzz.sh FuzzPgWire.frames 600
#   bench/fuzz.sh --list                the targets
#
# Builds the gateway's tests once with Maven (skipping tests), then fuzzes in a plain JVM. What the
# fuzzer finds that fails a target (an exception other than the documented errors, an input that
# takes longer than 10 s) is written into the target's committed inputs
# (gateway/src/test/resources/.../FuzzXxxInputs/METHOD/crash-* or timeout-*): fix the code, move
# the input beside the other seeds (FuzzXxxInputs/) under a name that says what it is, and commit
# it, so that verify runs it from then on. The inputs that grew coverage stay in
# gateway/target/fuzz-corpus/ (not committed: they would slow verify). Prints the inputs run and
# the findings at the end. MVN_ARGS adds Maven options (e.g. MVN_ARGS="-o -Dmaven.repo.local=...");
# MVN replaces the Maven command (default ./mvnw; e.g. a wrapper that queues builds);
# FUZZ_BUILD=0 skips the build and fuzzes the classes the last one left (to run several targets
# one after another); FUZZ_JAVA_OPTS sets the fuzzing JVM's options (default -Xmx1g: memory must
# stay bounded).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

targets=(
  pgwire.FuzzPgWire.frames
  pgwire.FuzzPgWire.messages
  pgwire.FuzzPgWire.saslExchange
  fuzz.FuzzSqlText.sqlText
  fuzz.FuzzConfigFiles.yamlFiles
)

if [ "${1:-}" = "--list" ] || [ $# -ne 2 ]; then
  [ "${1:-}" = "--list" ] || echo "usage: bench/fuzz.sh TARGET SECONDS (targets below)" >&2
  for target in "${targets[@]}"; do echo "${target#*.}"; done
  [ "${1:-}" = "--list" ] && exit 0 || exit 2
fi
target="$1"
seconds="$2"
qualified=""
for candidate in "${targets[@]}"; do
  if [ "${candidate#*.}" = "$target" ]; then
    qualified="$candidate"
  fi
done
if [ -z "$qualified" ]; then
  echo "unknown target '$target'; bench/fuzz.sh --list names them" >&2
  exit 2
fi
class="dev.sekisho.gateway.${qualified%.*}"
method="${qualified##*.}"
classpath_file="$root/gateway/target/fuzz.classpath"
corpus="$root/gateway/target/fuzz-corpus/${class##*.}/$method"
log="$root/gateway/target/fuzz-${class##*.}-$method.log"

if [ "${FUZZ_BUILD:-1}" != "0" ] || [ ! -f "$classpath_file" ]; then
  echo "Building the gateway's tests (skipping tests)..." >&2
  ${MVN:-./mvnw} -B -q ${MVN_ARGS:-} -pl gateway -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$classpath_file" >&2
fi
mkdir -p "$corpus"
inputs_before=$(find "$corpus" -type f | wc -l)
inputs_dir="gateway/src/test/resources/$(dirname "${class//.//}")/${class##*.}Inputs/$method"
findings_before=$( { find "$inputs_dir" -type f 2>/dev/null || true; } | wc -l)

echo "Fuzzing ${class##*.}.$method for $seconds s (corpus: ${corpus#$root/}, log: ${log#$root/})" >&2
status=0
# Jazzer writes findings next to the committed inputs, found from the working directory
(cd gateway && JAZZER_FUZZ=1 java ${FUZZ_JAVA_OPTS:--Xmx1g} -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
  dev.sekisho.gateway.fuzz.FuzzMain "$class#$method" "$corpus" "$seconds") > "$log" 2>&1 || status=$?

runs=$(grep -aoE "Done [0-9]+ runs in [0-9]+ second" "$log" | tail -1 || true)
[ -n "$runs" ] || runs=$(grep -aoE "^#[0-9]+" "$log" | tail -1 | sed 's/#/at least /; s/$/ runs (last status line)/' || true)
findings_after=$( { find "$inputs_dir" -type f 2>/dev/null || true; } | wc -l)
echo "target:   ${class##*.}.$method"
echo "duration: $seconds s"
echo "inputs:   ${runs:-unknown (see $log)}"
echo "corpus:   $inputs_before -> $(find "$corpus" -type f | wc -l) inputs"
if [ "$status" -eq 0 ]; then
  echo "findings: none"
else
  echo "findings: the target failed (exit $status); $((findings_after - findings_before)) new input(s) in $inputs_dir; see $log"
  grep -aE "== Java Exception|FuzzTestFindingException|Caused by|timeout|MethodSource" "$log" | head -20 >&2 || true
fi
exit "$status"
