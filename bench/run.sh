#!/usr/bin/env bash
# bench/run.sh: roundtrip against OkHttp, Apache HttpClient 5, the JDK client and Jetty, with wrk as
# the ceiling, in one run on this machine; rewrites docs/benchmarks.md and docs/benchmarks/*.png.
#
#   bench/run.sh              full run (3 rounds, medians; about 13-14 minutes on 2 cores)
#   bench/run.sh --quick      indicative run (1 round, short warm-up; under 3 minutes)
#   bench/run.sh --jmh        JMH micro-benchmarks with -prof gc (about 4 minutes); rewrites their section
#   bench/run.sh --report     only regenerate docs/benchmarks.md and the charts from docs/benchmarks/results.tsv
#   bench/run.sh --scale      1,000 / 5,000 / 10,000 requests in flight against responses held 1 s: wall time,
#                             heap per connection, platform threads, FIFO waiters (about 5 minutes); rewrites
#                             the Scale section; --quick: levels 200 and 1,000
#   bench/run.sh --http2      HTTP/2 over TLS: roundtrip against OkHttp, Jetty and the JDK client on h2, and
#                             roundtrip's own HTTP/1.1 over TLS (10 rounds, about 37 minutes); rewrites the HTTP/2
#                             section; --quick: 1 round, small body, c = 1, 16, 64 (and c = 16 on virtual threads)
#
# More options: --clients a,b,c  --rounds N  --warmup S  --measure S  --java PATH  --build  --keep
# Scale options: --levels 1000,5000,10000  --hold S  --inflight-hold S  --fifo-requests N  --max-conns N
#                --fifo-hold S  --jvm-opts "..."  --histogram CLIENT (what one idle connection holds, by class)
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
# --scale differs in steps 1, 3 and 4: it installs libnginx-mod-http-echo (not wrk), raises the open-file
# limit (ulimit -n) for itself, nginx and the JVMs, starts nginx with /hold, /hold-inflight and /hold-fifo
# answered after fixed holds (echo_sleep), and runs dev.roundtrip.bench.run.ScaleRunner (a fresh JVM per
# client and level).
# --http2 differs in steps 1, 3 and 4: it needs openssl (installed when missing) and nginx's ssl and http_v2
# modules, makes a throwaway CA and server certificate in nginx's temporary directory, adds a TLS server
# block with HTTP/2 on the next port, and runs Runner with the HTTP/2 clients against it (no wrk).
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
HTTP2=""
SCALE_ARGS=()
LEVELS=""
LEVELS_GIVEN=""
HOLD=1
INFLIGHT_HOLD=3
FIFO_HOLD=0.2
while (($#)); do
  case "$1" in
    --quick) MODE=quick ;;
    --jmh) ACTION=jmh ;;
    --report) ACTION=report ;;
    --scale) ACTION=scale ;;
    --http2) HTTP2=1 ;;
    --levels) LEVELS="$2"; LEVELS_GIVEN=1; shift ;;
    --hold) HOLD="$2"; shift ;;
    --inflight-hold) INFLIGHT_HOLD="$2"; shift ;;
    --fifo-hold) FIFO_HOLD="$2"; shift ;;
    --fifo-requests | --max-conns | --jvm-opts | --histogram | --bound) SCALE_ARGS+=("$1" "$2"); shift ;;
    --build) BUILD=1 ;;
    --keep) KEEP=1 ;;
    --java) JAVA_BIN="$2"; shift ;;
    --clients | --rounds | --warmup | --measure | --settle) RUNNER_ARGS+=("$1" "$2"); shift ;;
    -h | --help) sed -n '2,37p' "$0"; exit 0 ;;
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
ECHO_MODULE=/usr/lib/nginx/modules/ngx_http_echo_module.so
install_missing() {
  local want=() pkgs=() p
  [[ -n "$(rt_find_bin nginx)" ]] || want+=(nginx)
  if [[ "$ACTION" == scale ]]; then
    [[ -f "$ECHO_MODULE" ]] || want+=(libnginx-mod-http-echo)
  elif [[ -n "$HTTP2" ]]; then
    [[ -n "$(rt_find_bin openssl)" ]] || want+=(openssl)
  else
    command -v wrk >/dev/null 2>&1 || want+=(wrk)
  fi
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
    # -DskipTests, not -Dmaven.test.skip: modules in the reactor depend on core's test jar
    (cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl bench -am package -DskipTests)
  fi
  [[ -f "$JAR" ]] || die "$JAR was not built"
}

core_desc() { # which roundtrip is measured: the commit, and whether core/ has uncommitted changes
  local d
  d="commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  [[ -z "$(git -C "$ROOT" status --porcelain -- core 2>/dev/null)" ]] || d+=" + uncommitted changes in core/"
  echo "$d"
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

# --- scale: thousands of requests in flight (its own nginx set-up and runner) ----------------------
# Raises this shell's open-file limit (inherited by nginx and the JVMs) to at least $1.
raise_fd_limit() {
  local want=$1 soft hard
  soft="$(ulimit -Sn)"
  hard="$(ulimit -Hn)"
  if [[ "$soft" == unlimited ]] || ((soft >= want)); then
    return 0
  fi
  if [[ "$hard" != unlimited ]] && ((hard < want)); then
    ulimit -Hn "$want" 2>/dev/null || die "the open-file limit must be at least $want (hard limit $hard): as root, ulimit -Hn $want"
  fi
  ulimit -Sn "$want" || die "could not raise the open-file limit to $want"
  log "open-file limit raised from $soft to $want"
}

if [[ "$ACTION" == scale ]]; then
  [[ -f "$ECHO_MODULE" ]] || die "no $ECHO_MODULE after installing libnginx-mod-http-echo"
  if [[ -z "$LEVELS" ]]; then
    if [[ "$MODE" == quick ]]; then LEVELS=200,1000; else LEVELS=1000,5000,10000; fi
  fi
  [[ "$MODE" == quick ]] && SCALE_ARGS+=(--warmup 2)
  max_level=0
  for l in ${LEVELS//,/ }; do
    [[ "$l" =~ ^[0-9]+$ ]] || die "--levels takes numbers separated by commas, not $LEVELS"
    ((l > max_level)) && max_level=$l
  done
  FDS=$((max_level + 4096))
  raise_fd_limit "$FDS"
  build_jar
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/roundtrip-scale.XXXXXX")"
  write_scale_config() { # port
    {
      echo "load_module $ECHO_MODULE;"
      echo "worker_rlimit_nofile $FDS;"
      rt_nginx_config_head "$WORK" warn "$FDS"
      cat <<EOF
    tcp_nodelay on;
    keepalive_timeout 300s;
    keepalive_requests 10000000;
    server {
        listen 127.0.0.1:$1 backlog=65535;
        location = / {
            default_type text/plain;
            return 200 "Hello, world!";
        }
        location = /hold {
            echo_sleep $HOLD;
            echo "Hello, world!";
        }
        location = /hold-inflight {
            echo_sleep $INFLIGHT_HOLD;
            echo "Hello, world!";
        }
        location = /hold-fifo {
            echo_sleep $FIFO_HOLD;
            echo "Hello, world!";
        }
        location = /status {
            stub_status;
        }
    }
}
EOF
    } >"$WORK/nginx.conf"
  }
  rt_nginx_start "$NGINX" "$WORK" write_scale_config 1 || die "could not start nginx on a free port"
  NGINX_VERSION="$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"
  log "$NGINX_VERSION with echo_sleep on 127.0.0.1:$RT_NGINX_PORT (prefix $WORK); levels $LEVELS, hold $HOLD s"
  somaxconn="$(cat /proc/sys/net/core/somaxconn 2>/dev/null || echo 0)"
  ((somaxconn >= max_level)) || log "note: net.core.somaxconn is $somaxconn (< $max_level): a burst of new" \
    "connections may overflow nginx's accept queue and wait for SYN retries (every client meets the same queue)"
  OUT="$ROOT/bench/results/$(date -u +%Y%m%d-%H%M%S)-scale"
  mkdir -p "$OUT"
  CORE_DESC="$(core_desc)"
  COMMAND="bench/run.sh --scale"
  [[ "$MODE" == quick ]] && COMMAND+=" --quick"
  for a in "${RUNNER_ARGS[@]}" "${SCALE_ARGS[@]}"; do COMMAND+=" $a"; done
  [[ -z "$LEVELS_GIVEN" ]] || COMMAND+=" --levels $LEVELS"
  [[ "$HOLD" == 1 ]] || COMMAND+=" --hold $HOLD"
  "$JAVA_BIN" -Djava.awt.headless=true -cp "$JAR" dev.roundtrip.bench.run.ScaleRunner \
    --base "http://127.0.0.1:$RT_NGINX_PORT" --java "$JAVA_BIN" --jar "$JAR" --out "$OUT" --docs "$ROOT/docs" \
    --levels "$LEVELS" --hold "$HOLD" --inflight-hold "$INFLIGHT_HOLD" --fifo-hold "$FIFO_HOLD" \
    --server "$NGINX_VERSION" --core "$CORE_DESC" --command "$COMMAND" --fds "$(ulimit -Sn)" \
    "${RUNNER_ARGS[@]}" "${SCALE_ARGS[@]}" \
    2>&1 | tee "$OUT/run.log"
  log "results in ${OUT#"$ROOT"/}"
  exit "${PIPESTATUS[0]}"
fi
WRK=""
if [[ -n "$HTTP2" ]]; then
  [[ "$ACTION" == peers ]] || die "--http2 is a peer run: not with --jmh, --report or --scale"
  for m in http_ssl_module http_v2_module; do
    "$NGINX" -V 2>&1 | grep -q -- "--with-$m" || die "$NGINX has no $m (needed for --http2)"
  done
  OPENSSL="$(rt_find_bin openssl)"
  [[ -n "$OPENSSL" ]] || die "no openssl binary after installing"
  rt_nginx_h2_syntax "$NGINX"
else
  WRK="$(command -v wrk || true)"
  [[ -n "$WRK" ]] || log "wrk not found: running without the ceiling"
fi
build_jar

# --- 3. nginx -------------------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/roundtrip-bench.XXXXXX")"
mkdir -p "$WORK/html"
head -c 65536 /dev/urandom >"$WORK/html/64k"
if [[ -n "$HTTP2" ]]; then
  rt_throwaway_tls "$OPENSSL" "$WORK/tls" || die "openssl could not make the throwaway certificates"
fi

# The HTTP/2 server block (--http2), on the port after the plain one: TLS with h2 by ALPN, nginx's
# default stream limit (128, stated), the same content; keepalive_requests (10M, http level) keeps
# GOAWAY out of the measurements.
h2_server_block() { # port
  cat <<EOF
    server {
        listen 127.0.0.1:$1 ssl${RT_H2_LISTEN} backlog=4096;
        $RT_H2_ON
        http2_max_concurrent_streams 128;
        ssl_certificate $WORK/tls/server.pem;
        ssl_certificate_key $WORK/tls/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        root $WORK/html;
        location = / {
            default_type text/plain;
            return 200 "Hello, world!";
        }
        location = /64k {
        }
    }
EOF
}

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
$([[ -z "$HTTP2" ]] || h2_server_block $(($1 + 1)))
}
EOF
  } >"$WORK/nginx.conf"
}

rt_nginx_start "$NGINX" "$WORK" write_config $((HTTP2 ? 2 : 1)) || die "could not start nginx on free ports"
PORT=$RT_NGINX_PORT
NGINX_VERSION="$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"
log "$NGINX_VERSION on 127.0.0.1:$PORT$([[ -z "$HTTP2" ]] || echo " and 127.0.0.1:$((PORT + 1)) (TLS, HTTP/2)")" \
  "(prefix $WORK); clients on $("$JAVA_BIN" -version 2>&1 | head -n1)"

# --- 4. the run -----------------------------------------------------------------------------------
STAMP="$(date -u +%Y%m%d-%H%M%S)"
OUT="$ROOT/bench/results/$STAMP-${HTTP2:+http2-}$MODE"
mkdir -p "$OUT"
CORE_DESC="$(core_desc)"
COMMAND="bench/run.sh${HTTP2:+ --http2}"
[[ "$MODE" == quick ]] && COMMAND+=" --quick"
((${#RUNNER_ARGS[@]} == 0)) || COMMAND+=" ${RUNNER_ARGS[*]}"
TARGET=(--base "http://127.0.0.1:$PORT" --mode "$MODE")
if [[ -n "$HTTP2" ]]; then
  # nginx's stub_status answers on the plain port and counts the TLS port's connections too
  TARGET=(--base "https://127.0.0.1:$((PORT + 1))" --status "http://127.0.0.1:$PORT/status"
    --cacert "$WORK/tls/ca.pem" --mode "http2$([[ "$MODE" == quick ]] && echo -quick || true)")
fi
"$JAVA_BIN" -Djava.awt.headless=true -cp "$JAR" dev.roundtrip.bench.run.Runner \
  "${TARGET[@]}" --java "$JAVA_BIN" --jar "$JAR" \
  --wrk "${WRK:-none}" --server "$NGINX_VERSION" --out "$OUT" --docs "$ROOT/docs" \
  --core "$CORE_DESC" --command "$COMMAND" "${RUNNER_ARGS[@]}" 2>&1 | tee "$OUT/run.log"
log "results in ${OUT#"$ROOT"/}; report in docs/benchmarks.md"
