#!/usr/bin/env bash
# bench/run.sh: roundtrip against OkHttp, Apache HttpClient 5, the JDK client and Jetty, with wrk as
# the ceiling, in one run on this machine; rewrites docs/benchmarks.md and docs/benchmarks/*.png.
#
#   bench/run.sh              full run (3 rounds, medians; about 13-14 minutes on 2 cores)
#   bench/run.sh --quick      indicative run (1 round, short warm-up; under 3 minutes)
#   bench/run.sh --jmh        JMH micro-benchmarks with -prof gc (about 4 minutes); rewrites their section
#   bench/run.sh --report     only regenerate docs/benchmarks.md and the charts from docs/benchmarks/results.tsv
#
# More options: --clients a,b,c  --rounds N  --warmup S  --measure S  --java PATH  --build  --keep
#
# Steps, in order:
#   1. install what is missing from Debian's packages: nginx (nginx-light, else nginx), wrk, fonts for
#      the charts. The package's own nginx service is kept from starting; /etc/nginx is never used.
#      Another apt/dpkg run holding the lock is waited for (up to about 2 minutes).
#   2. build bench/target/roundtrip-bench.jar when it is missing or older than its sources (or with --build).
#   3. start a private nginx (temporary prefix, free loopback port >= 20000, 1 worker, keep-alive,
#      access log off): / is a 13-byte body, /64k a 64 KiB file, /status is stub_status.
#   4. run dev.roundtrip.bench.run.Runner (one JVM per client, warmed up once, points interleaved
#      round by round, wrk after the clients), which writes bench/results/<date>/ and the docs.
#   5. at exit, whatever happened: stop nginx, remove its temporary directory.
# Traffic goes to 127.0.0.1 only; every load loop is bounded in time and count.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/bench/target/roundtrip-bench.jar"

RT_NAME=bench
# shellcheck source=../scripts/lib.sh
source "$ROOT/scripts/lib.sh"
log() { printf 'bench: %s\n' "$*"; }
die() { rt_die "$@"; }

MODE=full
ACTION=peers
BUILD=""
KEEP=""
JAVA_BIN="${BENCH_JAVA:-}"
RUNNER_ARGS=()
while (($#)); do
  case "$1" in
    --quick) MODE=quick ;;
    --jmh) ACTION=jmh ;;
    --report) ACTION=report ;;
    --build) BUILD=1 ;;
    --keep) KEEP=1 ;;
    --java) JAVA_BIN="$2"; shift ;;
    --clients | --rounds | --warmup | --measure | --settle) RUNNER_ARGS+=("$1" "$2"); shift ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

# --- the JDK: the newest under /usr/lib/jvm (virtual threads need 21+), else java on PATH ---------
newest_java() {
  local d
  d="$(rt_newest_jdk)"
  if [[ -n "$d" ]]; then echo "$d/bin/java"; else command -v java || true; fi
}
[[ -n "$JAVA_BIN" ]] || JAVA_BIN="$(newest_java)"
[[ -x "$JAVA_BIN" ]] || die "no java found (install a JDK, or pass --java PATH)"

# --- 1. packages ----------------------------------------------------------------------------------
install_missing() {
  local want=() pkgs=() p
  [[ -n "$(rt_find_bin nginx)" ]] || want+=(nginx)
  command -v wrk >/dev/null 2>&1 || want+=(wrk)
  command -v fc-list >/dev/null 2>&1 && [[ -n "$(fc-list 2>/dev/null | head -n1)" ]] || want+=(fontconfig fonts-dejavu-core)
  ((${#want[@]})) || return 0
  ((EUID == 0)) || die "missing ${want[*]}; installing needs root: apt-get install ${want[*]/nginx/nginx-light}"
  for p in "${want[@]}"; do
    if [[ "$p" == nginx ]] && apt-cache show nginx-light >/dev/null 2>&1; then pkgs+=(nginx-light); else pkgs+=("$p"); fi
  done
  rt_apt_install "${pkgs[@]}" || die "installing ${pkgs[*]} failed"
}

WORK=""
cleanup() {
  local rc=$?
  set +e
  rt_stop_pid "$RT_NGINX_PID"
  rt_apt_cleanup
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if ((rc != 0)) && [[ -s "$WORK/error.log" ]]; then
      log "nginx error log (last 20 lines):"
      tail -n 20 "$WORK/error.log" | sed 's/^/  /'
    fi
    if [[ -n "$KEEP" ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 2. the jar -----------------------------------------------------------------------------------
build_jar() { # when missing, asked for, or older than a source it is built from
  if [[ -z "$BUILD" && -f "$JAR" ]] && [[ -n "$(find "$ROOT/pom.xml" "$ROOT/core/pom.xml" "$ROOT/core/src/main" \
    "$ROOT/testserver/pom.xml" "$ROOT/testserver/src/main" "$ROOT/load/pom.xml" "$ROOT/load/src/main" \
    "$ROOT/bench/pom.xml" "$ROOT/bench/src/main" -newer "$JAR" -type f -print -quit 2>/dev/null)" ]]; then
    log "sources changed since $JAR was built"
    BUILD=1
  fi
  if [[ -n "$BUILD" || ! -f "$JAR" ]]; then
    command -v mvn >/dev/null || die "Maven (mvn) is needed to build $JAR"
    log "building $JAR"
    (cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl bench -am package -Dmaven.test.skip=true)
  fi
  [[ -f "$JAR" ]] || die "$JAR was not built"
}

if [[ "$ACTION" == report ]]; then
  build_jar
  "$JAVA_BIN" -Djava.awt.headless=true -cp "$JAR" dev.roundtrip.bench.run.Report "$ROOT/docs"
  exit 0
fi

if [[ "$ACTION" == jmh ]]; then
  command -v fc-list >/dev/null 2>&1 || install_missing
  build_jar
  mkdir -p "$ROOT/docs/benchmarks"
  JMH_OPTS=(-prof gc -f 1 -wi 3 -w 2s -i 3 -r 2s)
  load_before="$(cut -d' ' -f1-3 /proc/loadavg)$(awk '/^some/ {split($3, a, "="); printf " (CPU pressure %s%%)", a[2]}' /proc/pressure/cpu 2>/dev/null || true)"
  log "JMH with $("$JAVA_BIN" -version 2>&1 | head -n1): ${JMH_OPTS[*]}"
  "$JAVA_BIN" -jar "$JAR" "${JMH_OPTS[@]}" -rf csv -rff "$ROOT/docs/benchmarks/jmh.csv"
  {
    echo "date_utc=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "java=$("$JAVA_BIN" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p' | head -n1 | sed 's/^/JDK /')"
    echo "options=${JMH_OPTS[*]}"
    echo "load_before=$load_before"
  } >"$ROOT/docs/benchmarks/jmh.properties"
  "$JAVA_BIN" -Djava.awt.headless=true -cp "$JAR" dev.roundtrip.bench.run.Report "$ROOT/docs"
  exit 0
fi

install_missing
NGINX="$(rt_find_bin nginx)"
[[ -n "$NGINX" ]] || die "no nginx binary after installing"
"$NGINX" -V 2>&1 | grep -q -- '--with-http_stub_status_module' || die "$NGINX has no stub_status module"
WRK="$(command -v wrk || true)"
[[ -n "$WRK" ]] || log "wrk not found: running without the ceiling"
build_jar

# --- 3. nginx -------------------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/roundtrip-bench.XXXXXX")"
mkdir -p "$WORK/html"
head -c 65536 /dev/urandom >"$WORK/html/64k"

write_config() { # port
  {
    rt_nginx_config_head "$WORK" warn 4096
    cat <<EOF
    tcp_nodelay on;
    keepalive_timeout 300s;
    keepalive_requests 10000000;
    open_file_cache max=16 inactive=600s;
    server {
        listen 127.0.0.1:$1 backlog=4096;
        root $WORK/html;
        location = / {
            default_type text/plain;
            return 200 "Hello, world!";
        }
        location = /64k {
        }
        location = /status {
            stub_status;
        }
    }
}
EOF
  } >"$WORK/nginx.conf"
}

rt_nginx_start "$NGINX" "$WORK" write_config 1 || die "could not start nginx on a free port"
PORT=$RT_NGINX_PORT
NGINX_VERSION="$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"
log "$NGINX_VERSION on 127.0.0.1:$PORT (prefix $WORK); clients on $("$JAVA_BIN" -version 2>&1 | head -n1)"

# --- 4. the run -----------------------------------------------------------------------------------
STAMP="$(date -u +%Y%m%d-%H%M%S)"
OUT="$ROOT/bench/results/$STAMP-$MODE"
mkdir -p "$OUT"
CORE_DESC="commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
[[ -z "$(git -C "$ROOT" status --porcelain -- core 2>/dev/null)" ]] || CORE_DESC+=" + uncommitted changes in core/"
COMMAND="bench/run.sh"
[[ "$MODE" == quick ]] && COMMAND+=" --quick"
((${#RUNNER_ARGS[@]} == 0)) || COMMAND+=" ${RUNNER_ARGS[*]}"
"$JAVA_BIN" -Djava.awt.headless=true -cp "$JAR" dev.roundtrip.bench.run.Runner \
  --base "http://127.0.0.1:$PORT" --java "$JAVA_BIN" --jar "$JAR" --mode "$MODE" \
  --wrk "${WRK:-none}" --server "$NGINX_VERSION" --out "$OUT" --docs "$ROOT/docs" \
  --core "$CORE_DESC" --command "$COMMAND" "${RUNNER_ARGS[@]}" 2>&1 | tee "$OUT/run.log"
log "results in ${OUT#"$ROOT"/}; report in docs/benchmarks.md"
