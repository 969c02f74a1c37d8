#!/usr/bin/env bash
# Fuzzes one target with Jazzer for a given time (docs/reliability.md). Not part of verify, where
# every target runs once over its committed inputs only.
#
#   bench/fuzz.sh TARGET SECONDS        e.g. bench/fuzz.sh FuzzPgWire.frames 600
#   bench/fuzz.sh --list                the targets
#
# What the fuzzer finds that fails a target is written into the target's committed inputs
# (gateway/src/test/resources/.../FuzzXxxInputs/METHOD/crash-*), so that verify runs it from then
# on; fix the code and commit the input. The inputs that grew coverage stay in
# gateway/target/fuzz-corpus/ (not committed: they would slow verify). Prints the inputs run and
# the findings at the end. MVN_ARGS adds Maven options (e.g. MVN_ARGS="-o -Dmaven.repo.local=...").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

targets=(
  pgwire.FuzzPgWire.frames
  pgwire.FuzzPgWire.messages
  pgwire.FuzzPgWire.saslExchange
  fuzz.FuzzSqlText.lexAndSplit
  fuzz.FuzzSqlText.statementParser
  fuzz.FuzzSqlText.pgSyntax
  fuzz.FuzzConfigFiles.policyFile
  fuzz.FuzzConfigFiles.sekishoYaml
  fuzz.FuzzConfigFiles.usersFile
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
corpus="$root/gateway/target/fuzz-corpus/${class##*.}/$method"
log="$root/gateway/target/fuzz-${class##*.}-$method.log"
mkdir -p "$corpus"
inputs_before=$(find "$corpus" -type f | wc -l)

echo "Fuzzing ${class##*.}.$method for $seconds s (corpus: ${corpus#$root/}, log: ${log#$root/})" >&2
status=0
JAZZER_FUZZ=1 ./mvnw -B ${MVN_ARGS:-} -pl gateway -am test-compile surefire:test@fuzz-regression \
  -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1="$corpus" -Djazzer.internal.arg.2="-max_total_time=$seconds" \
  > "$log" 2>&1 || status=$?

# libFuzzer writes its statistics to the forked JVM's stderr, which Surefire keeps beside its reports
stats=$(cat "$log" gateway/target/surefire-reports/*.dumpstream 2>/dev/null | grep -aE "^(#[0-9]+|Done [0-9]+ runs)" | tail -3 || true)
runs=$(printf '%s\n' "$stats" | grep -aoE "Done [0-9]+ runs in [0-9]+ second" | tail -1 || true)
[ -n "$runs" ] || runs=$(printf '%s\n' "$stats" | grep -aoE "^#[0-9]+" | tail -1 | sed 's/#/last status line: /' || true)
crashes=$(find gateway/src/test/resources -path "*${class##*.}Inputs/$method/crash-*" -newer "$log" 2>/dev/null | wc -l || true)
echo "target:   ${class##*.}.$method"
echo "duration: $seconds s"
echo "inputs:   ${runs:-unknown (see $log)}"
echo "corpus:   $inputs_before -> $(find "$corpus" -type f | wc -l) inputs"
if [ "$status" -eq 0 ]; then
  echo "findings: none"
else
  echo "findings: the target failed (exit $status); see $log and any new crash-* file under gateway/src/test/resources"
  grep -aE "== Java Exception|FuzzTestFindingException|Caused by|Tests run:.*Fail" "$log" | head -20 >&2 || true
fi
exit "$status"
