#!/usr/bin/env bash
# scripts/mutation.sh: mutation testing of one core package with PIT (not run by CI).
#
#   scripts/mutation.sh wire|conn|pool [--threads N]
#
# Mutates dev.roundtrip.internal.<package>, runs the tests that exercise it, prints the mutation
# score and the survivors, and leaves the HTML report in core/target/pit-reports/index.html.
# TARGET_TESTS=<glob,glob> overrides the tests run for the package.
# Builds through the reactor (testserver first); never installs anything into ~/.m2.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage() {
  echo "usage: $0 wire|conn|pool [--threads N]" >&2
  exit 2
}

[[ $# -ge 1 ]] || usage
pkg="$1"
shift
threads=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) [[ $# -ge 2 ]] || usage; threads="$2"; shift 2 ;;
    *) usage ;;
  esac
done

case "$pkg" in
  wire) tests="dev.roundtrip.internal.wire.*,dev.roundtrip.Wire*Test" ;;
  conn) tests="dev.roundtrip.internal.conn.*,dev.roundtrip.Transport*Test,dev.roundtrip.TraceOrderTest,dev.roundtrip.TimingsTest" ;;
  pool) tests="dev.roundtrip.internal.pool.*" ;;
  *) usage ;;
esac
tests="${TARGET_TESTS:-$tests}"

echo "PIT: mutating dev.roundtrip.internal.$pkg.*, running tests $tests"
nice -n 10 mvn -B -Dstyle.color=never -pl core -am -Ppit test \
  -DtargetClasses="dev.roundtrip.internal.$pkg.*" \
  -DtargetTests="$tests" \
  -Dthreads="$threads" \
  -Dmaven.test.skip.exec=true

report=core/target/pit-reports/mutations.xml
if [[ ! -f "$report" ]]; then
  echo "no report at $report" >&2
  exit 1
fi
# PIT counts a mutant as detected when a test failed, timed out or ran out of memory with it.
python3 - "$report" "$pkg" <<'PY'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
total = 0
detected = 0
survivors = []
for m in root.iter("mutation"):
    total += 1
    status = m.get("status")
    if m.get("detected") == "true":
        detected += 1
    else:
        survivors.append("%s.%s line %s: %s (%s)" % (
            m.findtext("mutatedClass").rsplit(".", 1)[-1], m.findtext("mutatedMethod"),
            m.findtext("lineNumber"), m.findtext("description"), status))
for s in survivors:
    print("  survived: " + s)
score = 100.0 * detected / total if total else 0.0
print("mutation score for internal.%s: %d of %d mutants killed (%.1f%%)" % (sys.argv[2], detected, total, score))
PY
