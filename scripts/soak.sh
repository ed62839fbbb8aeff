#!/usr/bin/env bash
# scripts/soak.sh: the fault soak, as long as asked. It runs core's FaultSoakTest through Maven (the
# same test that `mvn verify` runs bounded): requests of every kind through real Transports and
# Clients against the hostile loopback server of the testserver module, every outcome checked.
# With --http2 it runs Http2FaultSoakTest instead: the same over HTTP/2 (h2c and TLS with ALPN)
# against the testserver module's frame-level H2TestServer, faults mixed in per stream and per
# connection (see docs/fault-soak.md).
#
#   scripts/soak.sh --requests 1000000 --concurrency 64 [--seed S] [--seconds T]
#   scripts/soak.sh --http2 --requests 200000 --concurrency 64
#
# Options (each maps to a system property of the test, see core's dev.roundtrip.soak.SoakSettings):
#   --requests N      requests to send at most (default 1,000,000; memory is about 100 bytes each)
#   --concurrency C   sending threads (default 64)
#   --seed S          seed of the request mix (default 1); the same seed plans the same requests
#   --seconds T       stop starting requests after T seconds (default 86400)
#   --http2           run the HTTP/2 soak (Http2FaultSoakTest) instead of the HTTP/1.1 one
#   --faults LIST     run only these Fault or Fault.Family names, evenly (e.g. EXTRA_RESPONSE_200US,NONE);
#                     with --http2, H2Fault names (e.g. GOAWAY_BELOW,REFUSED,NONE)
#   --hang-seconds H  a request running longer is a hang (default 20)
#   --grace-micros G  kernel delivery grace of the unsolicited-bytes judge (default 200; HTTP/1.1 only)
#   --report FILE     also write the report there (default core/target/soak-report.txt,
#                     core/target/h2-soak-report.txt with --http2)
#   -- ARGS           pass the rest to Maven (e.g. -- -o for offline)
#
# It prints progress every 10 s and the report (per fault: requests, verified successes, wrong
# answers, typed failures by type, defects; the judge's figures on unsolicited bytes; pool stats;
# examples of each defect with the plan that reproduces it) and exits non-zero if any defect was
# found. Run it under `nice -n 10` on a shared machine. Traffic stays on 127.0.0.1; the run is
# bounded by --requests and --seconds, each request by its timeouts and the hang watchdog.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RT_NAME=soak
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

REQUESTS=1000000
CONCURRENCY=64
SEED=1
SECONDS_LIMIT=86400
FAULTS=""
HANG=20
GRACE=200
REPORT=""
TEST=FaultSoakTest
MAVEN_ARGS=()
while (($#)); do
  case "$1" in
    --requests) REQUESTS="${2:?--requests needs a value}"; shift ;;
    --concurrency) CONCURRENCY="${2:?--concurrency needs a value}"; shift ;;
    --seed) SEED="${2:?--seed needs a value}"; shift ;;
    --seconds) SECONDS_LIMIT="${2:?--seconds needs a value}"; shift ;;
    --http2) TEST=Http2FaultSoakTest ;;
    --faults) FAULTS="${2:?--faults needs a value}"; shift ;;
    --hang-seconds) HANG="${2:?--hang-seconds needs a value}"; shift ;;
    --grace-micros) GRACE="${2:?--grace-micros needs a value}"; shift ;;
    --report) REPORT="$(realpath -m "${2:?--report needs a value}")"; shift ;;
    --) shift; MAVEN_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) rt_die "unknown option $1 (see --help)" ;;
  esac
  shift
done
for n in "$REQUESTS" "$CONCURRENCY" "$SECONDS_LIMIT" "$HANG" "$GRACE"; do
  [[ "$n" =~ ^[0-9]+$ ]] || rt_die "not a whole number: $n"
done
[[ "$SEED" =~ ^-?[0-9]+$ ]] || rt_die "the seed must be a whole number: $SEED"

if [[ -z "$REPORT" ]]; then
  REPORT="$ROOT/core/target/$([[ $TEST == Http2FaultSoakTest ]] && echo h2-soak-report.txt || echo soak-report.txt)"
fi

cd "$ROOT"
rt_log "$TEST: $REQUESTS requests at concurrency $CONCURRENCY, seed $SEED, at most $SECONDS_LIMIT s; report in $REPORT"
set +e
mvn -B -q -pl core -am test -Dtest="$TEST" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.requests="$REQUESTS" -Dsoak.concurrency="$CONCURRENCY" -Dsoak.seed="$SEED" \
  -Dsoak.seconds="$SECONDS_LIMIT" -Dsoak.faults="$FAULTS" -Dsoak.hangSeconds="$HANG" \
  -Dsoak.graceMicros="$GRACE" -Dsoak.report="$REPORT" "${MAVEN_ARGS[@]+"${MAVEN_ARGS[@]}"}"
rc=$?
set -e
if [[ -f "$REPORT" ]]; then
  rt_log "report written to $REPORT"
fi
exit "$rc"
