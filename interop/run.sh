#!/usr/bin/env bash
# interop/run.sh: runs NginxInteropTest against Debian's nginx.
#
# Steps, in order:
#   1. install nginx from Debian's packages when no nginx binary is found (needs root; the
#      package's service is kept from starting, and /etc/nginx is never used nor changed);
#   2. write a config, a docroot and nginx's own prefix into a fresh temporary directory;
#   3. start nginx in the foreground (daemon off) on two free loopback ports >= 20000:
#      one server with nginx's default keepalive_timeout 75s, one with keepalive_timeout 2s;
#   4. run the interop tests with Maven, passing the ports and docroot as system properties,
#      and check that they ran (none skipped);
#   5. at exit, whatever happened: stop nginx and remove the temporary directory.
#
# The whole run is bounded by INTEROP_TIMEOUT seconds (default 600). INTEROP_KEEP=1 keeps the
# temporary directory (config, error log) for a look afterwards. No stdin is needed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEADLINE=$((SECONDS + ${INTEROP_TIMEOUT:-600}))
KEEPALIVE_SHORT=2s # NginxInteropTest.SHORT_KEEPALIVE must match

log() { printf 'interop: %s\n' "$*"; }
die() { printf 'interop: error: %s\n' "$*" >&2; exit 1; }

# Runs a command with what is left of the time budget.
bounded() {
  local left=$((DEADLINE - SECONDS))
  ((left > 0)) || die "time budget of ${INTEROP_TIMEOUT:-600}s used up before: $*"
  timeout --foreground --kill-after=10 "$left" "$@"
}

WORK=""
NGINX_PID=""
POLICY_RC_CREATED=""
cleanup() {
  local rc=$?
  set +e
  ((rc == 124)) && log "timed out: the run is bounded by INTEROP_TIMEOUT=${INTEROP_TIMEOUT:-600}s"
  if [[ -n "$NGINX_PID" ]] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -TERM "$NGINX_PID" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$NGINX_PID" 2>/dev/null
    wait "$NGINX_PID" 2>/dev/null
  fi
  if [[ -n "$POLICY_RC_CREATED" ]]; then
    rm -f /usr/sbin/policy-rc.d
  fi
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if ((rc != 0)) && [[ -s "$WORK/error.log" ]]; then
      log "nginx error log (last 30 lines):"
      tail -n 30 "$WORK/error.log" | sed 's/^/  /'
    fi
    if [[ "${INTEROP_KEEP:-}" == 1 ]]; then
      log "kept $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. nginx ----------------------------------------------------------------------------------
find_nginx() {
  command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true
}
NGINX="$(find_nginx)"
if [[ -z "$NGINX" ]]; then
  ((EUID == 0)) || die "nginx is not installed and installing it needs root: apt-get install nginx"
  log "installing nginx from Debian's packages"
  # Keep the package from starting its service (which would listen on port 80) on machines that
  # do not already forbid it; the file is removed again at exit.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# created by roundtrip interop/run.sh; removed when it exits\nexit 101\n' \
      >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt_log="$(mktemp)"
  if ! { bounded apt-get update -qq && bounded apt-get install -y -qq --no-install-recommends nginx; } \
    </dev/null >"$apt_log" 2>&1; then
    tail -n 30 "$apt_log" >&2
    rm -f "$apt_log"
    die "installing nginx failed"
  fi
  rm -f "$apt_log"
  if [[ -n "$POLICY_RC_CREATED" ]]; then
    rm -f /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=""
  fi
  NGINX="$(find_nginx)"
  [[ -n "$NGINX" ]] || die "nginx was installed but no nginx binary was found"
fi
log "using $("$NGINX" -v 2>&1) at $NGINX"
"$NGINX" -V 2>&1 | grep -q -- '--with-http_stub_status_module' \
  || die "$NGINX has no stub_status module (needed to count accepted connections)"
command -v mvn >/dev/null || die "Maven (mvn) is not installed: apt-get install maven"

# --- 2. config and docroot ---------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/roundtrip-interop.XXXXXX")"
DOCROOT="$WORK/html"
mkdir -p "$DOCROOT" "$WORK/tmp"

# Deterministic content: a 13-byte text, and binary (high-entropy) bytes cut from gzip's output
# of a fixed sequence, so that a byte at a wrong offset changes the checksum.
printf 'hello, nginx\n' >"$DOCROOT/small"
seq 1 3000000 | gzip -n -1 >"$WORK/stream.gz"
head -c $((5 * 1024 * 1024)) "$WORK/stream.gz" >"$DOCROOT/5m"
tail -c $((64 * 1024)) "$WORK/stream.gz" >"$DOCROOT/64k"
rm -f "$WORK/stream.gz"
[[ $(wc -c <"$DOCROOT/small") -eq 13 && $(wc -c <"$DOCROOT/64k") -eq 65536 \
  && $(wc -c <"$DOCROOT/5m") -eq 5242880 ]] || die "could not write the docroot files"

USER_LINE=""
((EUID == 0)) && USER_LINE="user root;" # workers must read the 0700 temporary directory

server_block() { # port keepalive_timeout
  cat <<EOF
    server {
        listen 127.0.0.1:$1;
        keepalive_timeout $2;
        root $DOCROOT;

        location / {
        }
        # A static file through the gzip filter: the length is unknown, so HTTP/1.1 gets chunked.
        location /chunked/ {
            alias $DOCROOT/;
            gzip on;
            gzip_types *;
            gzip_min_length 0;
        }
        location = /status {
            stub_status;
        }
    }
EOF
}

write_config() { # port short_port
  cat >"$WORK/nginx.conf" <<EOF
# Written by roundtrip interop/run.sh; nothing here is read from or written to /etc/nginx.
$USER_LINE
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/error.log notice;

events {
    worker_connections 512;
}

http {
    access_log off;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000;
    client_body_temp_path $WORK/tmp/client_body;
    proxy_temp_path $WORK/tmp/proxy;
    fastcgi_temp_path $WORK/tmp/fastcgi;
    uwsgi_temp_path $WORK/tmp/uwsgi;
    scgi_temp_path $WORK/tmp/scgi;

    # nginx's default keepalive_timeout, longer than the client's idle timeout (30 s)
$(server_block "$1" 75s)

    # shorter than the client's idle timeout: the server closes idle connections first
$(server_block "$2" "$KEEPALIVE_SHORT")
}
EOF
}

# --- 3. start nginx ----------------------------------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PORT="" SHORT_PORT=""
for attempt in 1 2 3 4 5; do
  p=$((20000 + RANDOM % 40000))
  if port_in_use "$p" || port_in_use $((p + 1)); then
    continue
  fi
  write_config "$p" $((p + 1))
  rm -f "$WORK/nginx.pid"
  : >"$WORK/error.log"
  "$NGINX" -t -q -p "$WORK/" -c "$WORK/nginx.conf" -e "$WORK/error.log" </dev/null
  "$NGINX" -p "$WORK/" -c "$WORK/nginx.conf" -e "$WORK/error.log" </dev/null &
  NGINX_PID=$!
  # nginx writes its pid file only after it has bound every listening socket.
  for _ in $(seq 100); do
    [[ -s "$WORK/nginx.pid" ]] && break
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -s "$WORK/nginx.pid" ]] && kill -0 "$NGINX_PID" 2>/dev/null; then
    PORT=$p SHORT_PORT=$((p + 1))
    break
  fi
  wait "$NGINX_PID" 2>/dev/null || true
  NGINX_PID=""
  grep -q 'Address already in use' "$WORK/error.log" \
    || die "nginx did not start (attempt $attempt): $(tail -n 5 "$WORK/error.log")"
  log "ports $p/$((p + 1)) taken, trying others"
done
[[ -n "$PORT" ]] || die "no free pair of loopback ports found for nginx"
log "nginx $NGINX_PID listening on 127.0.0.1:$PORT (keepalive_timeout 75s) and 127.0.0.1:$SHORT_PORT (keepalive_timeout $KEEPALIVE_SHORT); prefix $WORK"

# A raw smoke check, so that a broken setup says so before Maven starts.
status="$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" >&3
  cat <&3' _ "$PORT")" || die "GET /status on port $PORT failed"
grep -q 'server accepts handled requests' <<<"$status" || die "unexpected /status response: $status"

# --- 4. tests ----------------------------------------------------------------------------------
cd "$ROOT"
REPORT="interop/target/surefire-reports/TEST-dev.roundtrip.interop.NginxInteropTest.xml"
rm -f "$REPORT"
log "running NginxInteropTest"
bounded mvn -B -ntp -pl interop -am test \
  -Dtest=NginxInteropTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dinterop.port="$PORT" -Dinterop.shortKeepAlivePort="$SHORT_PORT" -Dinterop.docroot="$DOCROOT" \
  </dev/null

# Maven succeeds when every test is skipped: make sure they really ran.
[[ -f "$REPORT" ]] || die "no test report at $REPORT: NginxInteropTest did not run"
suite="$(grep -m1 -o '<testsuite [^>]*>' "$REPORT")"
tests="$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$suite")"
skipped="$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$suite")"
[[ -n "$tests" && "$tests" -gt 0 && "$skipped" == 0 ]] \
  || die "NginxInteropTest ran ${tests:-no} tests with ${skipped:-?} skipped: the system properties did not reach it"
log "NginxInteropTest: $tests tests passed against $("$NGINX" -v 2>&1 | sed 's/.*: //')"
