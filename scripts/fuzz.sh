#!/usr/bin/env bash
# scripts/fuzz.sh: run the seeded mutation fuzzer of the HTTP/1.1 parser (WireFuzzTest) for longer
# than mvn verify does (which runs a fixed 5,000 cases from a fixed seed).
#
#   scripts/fuzz.sh [--seconds N] [--iterations N] [--seed S]   fuzz (default: 600 s, a fresh seed)
#   scripts/fuzz.sh --case CASE_SEED                            replay one case a finding printed
#
# Prints "wire fuzz: seed S, N cases ... 0 findings" at the end, or the finding (its master seed,
# case seed and input; the input is also saved under core/target/fuzz-findings/). Runs niced, on
# the reactor (testserver first); never installs anything into ~/.m2.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage() {
  echo "usage: $0 [--seconds N] [--iterations N] [--seed S] | --case CASE_SEED" >&2
  exit 2
}

seconds=""
iterations=""
seed=""
case_seed=""
while [[ $# -gt 0 ]]; do
  [[ $# -ge 2 ]] || usage
  case "$1" in
    --seconds) seconds="$2" ;;
    --iterations) iterations="$2" ;;
    --seed) seed="$2" ;;
    --case) case_seed="$2" ;;
    *) usage ;;
  esac
  shift 2
done

props=()
if [[ -n "$case_seed" ]]; then
  props+=("-Droundtrip.fuzz.case=$case_seed")
else
  if [[ -z "$seconds" && -z "$iterations" ]]; then
    seconds=600
  fi
  if [[ -z "$seed" ]]; then
    seed="$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')"
  fi
  props+=("-Droundtrip.fuzz.seed=$seed")
  [[ -n "$seconds" ]] && props+=("-Droundtrip.fuzz.seconds=$seconds")
  [[ -n "$iterations" ]] && props+=("-Droundtrip.fuzz.iterations=$iterations")
  echo "wire fuzz: seed $seed${seconds:+, $seconds s}${iterations:+, $iterations cases}"
fi

nice -n 10 mvn -B -Dstyle.color=never -pl core -am test \
  -Dtest='WireFuzzTest#mutatedResponsesAreParsedOrRejectedWithDocumentedErrors' \
  -Dsurefire.failIfNoSpecifiedTests=false "${props[@]}" 2>&1 \
  | grep -E '^wire fuzz:|fuzz finding|master seed|replay:|input:|Tests run:|BUILD|ERROR\]' | grep -v '^\[ERROR\] *$'
