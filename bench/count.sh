#!/usr/bin/env bash
# bench/count.sh: what a fixed number of requests cost in counts that do not depend on the machine's
# load (docs/benchmarks.md, finding 12): context switches per request by thread, bytes allocated per
# request (both from CountMain), and system calls per request (perf stat, attached to the client's JVM
# for the measured requests only).
#
#   bench/count.sh [--client roundtrip] [--concurrency 64] [--threads platform|virtual]
#                  [--requests 100000] [--warmup-requests 100000] [--java PATH] [--jar PATH]
#                  [--post-bytes N] [--via-client true] [--jvm-opts "..."] [--http2] [--path /64k]
#
# --http2: the requests go over TLS with HTTP/2 (nginx's h2 server block, a throwaway CA as
# bench/run.sh --http2 makes one; needs openssl), to an h2 client (roundtrip-h2, okhttp-h2, jetty-h2,
# jdk-h2: --client roundtrip-h2 is the default then).
#
# Starts its own nginx (as bench/run.sh does: 1 worker, keep-alive, `/` a 13-byte body) on a free
# loopback port and stops it at exit. Needs nginx and perf (linux-perf); bounded: every phase of the
# client stops after its request count or 120 s, and perf and the JVM run under `timeout`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RT_NAME=count
# shellcheck source=../scripts/lib.sh
source "$ROOT/scripts/lib.sh"

CLIENT="" HTTP2="" C=64 THREADS=platform N=100000 WARM=100000 EXTRA=() JVM_OPTS=""
JAR="$ROOT/bench/target/roundtrip-bench.jar"
JAVA_BIN="$(rt_newest_jdk)/bin/java"
while (($#)); do
  case "$1" in
    --client) CLIENT=$2; shift 2 ;;
    --concurrency) C=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --requests) N=$2; shift 2 ;;
    --warmup-requests) WARM=$2; shift 2 ;;
    --java) JAVA_BIN=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    --post-bytes | --via-client) EXTRA+=("$1" "$2"); shift 2 ;;
    --jvm-opts) JVM_OPTS=$2; shift 2 ;;
    --http2) HTTP2=1; shift ;;
    --path) URL_PATH=$2; shift 2 ;;
    *) rt_die "unknown option $1 (see the head of $0)" ;;
  esac
done
[[ -f "$JAR" ]] || rt_die "no $JAR: build it with mvn -B -q -pl bench -am package -DskipTests"
NGINX="$(rt_find_bin nginx)"
[[ -n "$NGINX" ]] || rt_die "nginx not found (apt-get install nginx-light)"
command -v perf >/dev/null || rt_die "perf not found (apt-get install linux-perf)"
[[ -n "$CLIENT" ]] || CLIENT=$([[ -n "$HTTP2" ]] && echo roundtrip-h2 || echo roundtrip)
if [[ -n "$HTTP2" ]]; then
  OPENSSL="$(rt_find_bin openssl)"
  [[ -n "$OPENSSL" ]] || rt_die "openssl not found (apt-get install openssl)"
  rt_nginx_h2_syntax "$NGINX"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/roundtrip-count.XXXXXX")"
JVM_PID="" PERF_PID=""
cleanup() {
  [[ -n "$PERF_PID" ]] && kill "$PERF_PID" 2>/dev/null || true
  [[ -n "$JVM_PID" ]] && rt_stop_pid "$JVM_PID" || true
  [[ -n "$RT_NGINX_PID" ]] && rt_stop_pid "$RT_NGINX_PID" || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "$HTTP2" ]]; then
  rt_throwaway_tls "$OPENSSL" "$WORK/tls" || rt_die "openssl could not make the throwaway certificates"
  JVM_OPTS="$JVM_OPTS -Dbench.cacert=$WORK/tls/ca.pem"
fi
mkdir -p "$WORK/html"
head -c 65536 /dev/urandom >"$WORK/html/64k" # --path /64k: a 64 KiB body, as in bench/run.sh
write_config() { # port
  {
    rt_nginx_config_head "$WORK" warn 4096
    rt_nginx_hello_server "$1" 4096
    echo "        location = /64k { root $WORK/html; default_type application/octet-stream; }"
    echo "    }"
    if [[ -n "$HTTP2" ]]; then # the same answer over TLS with HTTP/2, on the next port
      cat <<EOF
    server {
        listen 127.0.0.1:$(($1 + 1)) ssl${RT_H2_LISTEN} backlog=4096;
        $RT_H2_ON
        http2_max_concurrent_streams 128;
        ssl_certificate $WORK/tls/server.pem;
        ssl_certificate_key $WORK/tls/server.key;
        location = / {
            default_type text/plain;
            return 200 "Hello, world!";
        }
        location = /64k { root $WORK/html; default_type application/octet-stream; }
    }
EOF
    fi
    echo "}"
  } >"$WORK/nginx.conf"
}
rt_nginx_start "$NGINX" "$WORK" write_config $((HTTP2 ? 2 : 1)) || rt_die "could not start nginx on free ports"
URL="http://127.0.0.1:$RT_NGINX_PORT${URL_PATH:-/}"
[[ -z "$HTTP2" ]] || URL="https://127.0.0.1:$((RT_NGINX_PORT + 1))${URL_PATH:-/}"

# shellcheck disable=SC2086  # JVM_OPTS is a list of options
timeout 600 "$JAVA_BIN" $JVM_OPTS -Xms512m -Xmx512m -XX:+UseG1GC -cp "$JAR" dev.roundtrip.bench.peer.CountMain \
  --client "$CLIENT" --url "$URL" --concurrency "$C" --threads "$THREADS" \
  --warmup-requests "$WARM" --requests "$N" --go "$WORK/go" "${EXTRA[@]}" >"$WORK/out" 2>&1 &
JVM_PID=$!
for _ in $(seq 1200); do # the warm-up: at most 10 minutes
  grep -q '^READY' "$WORK/out" && break
  kill -0 "$JVM_PID" 2>/dev/null || { cat "$WORK/out" >&2; rt_die "the client ended before its warm-up did"; }
  sleep 0.5
done
PID="$(awk '/^READY/ {print $2}' "$WORK/out")"
[[ -n "$PID" ]] || rt_die "the client did not warm up in 10 minutes"
timeout 600 perf stat -x, -o "$WORK/perf" -p "$PID" -e task-clock,context-switches,cpu-migrations,syscalls:sys_enter_futex,\
syscalls:sys_enter_read,syscalls:sys_enter_write,syscalls:sys_enter_poll,syscalls:sys_enter_epoll_wait,\
syscalls:sys_enter_fcntl,syscalls:sys_enter_ioctl &
PERF_PID=$!
sleep 1
touch "$WORK/go"
wait "$JVM_PID" || true
JVM_PID=""
wait "$PERF_PID" || true
PERF_PID=""
grep -v '^READY' "$WORK/out"
echo "system calls and switches per request (perf stat, measured requests only):"
awk -F, -v n="$N" 'NF > 3 && $1 ~ /^[0-9]/ {
  if ($3 == "task-clock") printf "  %-32s %8.2f\n", "client CPU us", $1 * 1000 / n
  else printf "  %-32s %8.4f\n", $3, $1 / n
}' "$WORK/perf"
