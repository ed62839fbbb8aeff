#!/usr/bin/env bash
# interop/run.sh: runs the interop tests against real servers from Debian's packages:
# NginxInteropTest (nginx, plain http), NginxTlsInteropTest (nginx with TLS),
# ProxyInteropTest (tinyproxy as HTTP proxy and CONNECT tunnel, dante as SOCKS5 proxy),
# Http2ServersInteropTest (the HTTP/2 servers below answer with ALPN h2 / h2c, checked with the
# JDK alone), Http2ClientInteropTest (the Transport over HTTP/2 against them: GET, a 10 MiB POST,
# 256 concurrent streams on one connection, trailers, push refused, and 20,000 requests at c=64
# through nginx's GOAWAY after every 1000), and the cli module's TraceAgainstCurlTest
# (`roundtrip get --trace` rows against curl's -w timings on this nginx, plain and TLS).
#
# Steps, in order:
#   1. install nginx, openssl, tinyproxy, dante-server, nodejs and curl from Debian's packages when
#      missing (needs root; the packages' services are kept from starting, and nothing under /etc
#      is used nor changed);
#   2. write a config, a docroot, nginx's own prefix and a throwaway CA with a server
#      certificate for 127.0.0.1/localhost (made by openssl now, never stored) into a fresh
#      temporary directory;
#   3. start nginx in the foreground (daemon off) on six consecutive free loopback ports >= 20000:
#      one server with nginx's default keepalive_timeout 75s, one with keepalive_timeout 2s,
#      one with TLS, one with HTTP/2 over TLS (ALPN h2, http/1.1), one with h2c (HTTP/2 with prior
#      knowledge on a plain port), and an internal one behind the HTTP/2 servers' /upload; the
#      HTTP/2 servers serve the docroot, /trailers (add_trailer), /upload (up to 16 MiB, read
#      whole, answered with the length received) and /status, with keepalive_requests at nginx's
#      default of 1000 (nginx then ends the connection with GOAWAY) and 256 concurrent streams;
#   3b. start Node's http2 module server (interop/h2-server.js) on two free loopback ports, h2 over
#      TLS and h2c, with the same certificate: echo, sha256, trailers, push (refused by a client
#      that sends SETTINGS_ENABLE_PUSH=0), status; then check every HTTP/2 server with curl
#      (HTTP/2 negotiated, a 10 MiB upload read whole);
#   4. start, in the foreground and on free loopback ports, two tinyproxy instances (one
#      without auth, one with Basic auth) and two dante instances (one without auth, one with
#      username/password of the dedicated system user rtinterop, created when running as root;
#      without root that instance is left out and its tests skip themselves);
#   5. run the interop tests with Maven, passing ports, docroot, CA, credentials and the HTTP/2
#      servers' URLs (interop.h2.*) as system properties, and check that they ran (none skipped,
#      but for the two dante-auth tests when not root);
#   6. at exit, whatever happened: stop every server and remove the temporary directory.
#
# The whole run is bounded by INTEROP_TIMEOUT seconds (default 600). INTEROP_KEEP=1 keeps the
# temporary directory (config, error log) for a look afterwards. No stdin is needed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEADLINE=$((SECONDS + ${INTEROP_TIMEOUT:-600}))
KEEPALIVE_SHORT=2s # NginxInteropTest.SHORT_KEEPALIVE must match

RT_NAME=interop
# shellcheck source=../scripts/lib.sh
source "$ROOT/scripts/lib.sh"
log() { printf 'interop: %s\n' "$*"; }
die() { rt_die "$@"; }

# Runs a command with what is left of the time budget.
bounded() {
  local left=$((DEADLINE - SECONDS))
  ((left > 0)) || die "time budget of ${INTEROP_TIMEOUT:-600}s used up before: $*"
  timeout --foreground --kill-after=10 "$left" "$@"
}

WORK=""
SERVER_PIDS=() # tinyproxy, dante and node processes started by this script (nginx: RT_NGINX_PID)
cleanup() {
  local rc=$?
  set +e
  ((rc == 124)) && log "timed out: the run is bounded by INTEROP_TIMEOUT=${INTEROP_TIMEOUT:-600}s"
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    rt_stop_pid "$pid"
  done
  rt_stop_pid "$RT_NGINX_PID"
  rt_apt_cleanup
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if ((rc != 0)); then
      local f
      for f in "$WORK/error.log" "$WORK"/proxies/*.log "$WORK/node-h2.log"; do
        [[ -s "$f" ]] || continue
        log "$(basename "$f") (last 30 lines):"
        tail -n 30 "$f" | sed 's/^/  /'
      done
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

# --- 1. packages -------------------------------------------------------------------------------
# Installs the missing Debian packages (rt_apt_install), each apt-get bounded by the time budget left.
apt_install() {
  ((EUID == 0)) || die "$* not installed and installing needs root: apt-get install $*"
  RT_APT_TIMEOUT=$((DEADLINE - SECONDS))
  ((RT_APT_TIMEOUT > 0)) || die "time budget of ${INTEROP_TIMEOUT:-600}s used up before installing $*"
  rt_apt_install "$@" || die "installing $* failed"
  RT_APT_TIMEOUT=""
}

missing=()
[[ -n "$(rt_find_bin nginx)" ]] || missing+=(nginx)
[[ -n "$(rt_find_bin openssl)" ]] || missing+=(openssl)
[[ -n "$(rt_find_bin tinyproxy)" ]] || missing+=(tinyproxy)
[[ -n "$(rt_find_bin danted sockd)" ]] || missing+=(dante-server)
[[ -n "$(rt_find_bin node nodejs)" ]] || missing+=(nodejs)
# TraceAgainstCurlTest compares get --trace with curl -w; the HTTP/2 servers are checked with curl
[[ -x /usr/bin/curl ]] || missing+=(curl)
((${#missing[@]} == 0)) || apt_install "${missing[@]}"
NGINX="$(rt_find_bin nginx)"
OPENSSL="$(rt_find_bin openssl)"
TINYPROXY="$(rt_find_bin tinyproxy)"
DANTED="$(rt_find_bin danted sockd)"
NODE="$(rt_find_bin node nodejs)"
CURL="$(rt_find_bin curl)"
[[ -n "$NGINX" ]] || die "nginx was installed but no nginx binary was found"
[[ -n "$NODE" ]] || die "nodejs was installed but no node binary was found"
[[ -n "$CURL" ]] || die "curl was installed but no curl binary was found"
[[ -n "$OPENSSL" ]] || die "openssl was installed but no openssl binary was found"
[[ -n "$TINYPROXY" ]] || die "tinyproxy was installed but no tinyproxy binary was found"
[[ -n "$DANTED" ]] || die "dante-server was installed but no danted (or sockd) binary was found"
log "using $("$NGINX" -v 2>&1) at $NGINX"
"$NGINX" -V 2>&1 | grep -q -- '--with-http_stub_status_module' \
  || die "$NGINX has no stub_status module (needed to count accepted connections)"
"$NGINX" -V 2>&1 | grep -q -- '--with-http_ssl_module' || die "$NGINX has no ssl module"
"$NGINX" -V 2>&1 | grep -q -- '--with-http_v2_module' || die "$NGINX has no http_v2 module"
"$CURL" -V | grep -q '^Features:.* HTTP2' || die "$CURL cannot speak HTTP/2 (no nghttp2)"
rt_nginx_h2_syntax "$NGINX"
H2_LISTEN="$RT_H2_LISTEN" H2_ON="$RT_H2_ON"
log "using $("$NODE" --version) at $NODE (its http2 module), $("$CURL" -V | head -n 1 | cut -d' ' -f1-2) at $CURL"
log "using $("$TINYPROXY" -v 2>&1 | head -n 1) at $TINYPROXY, $("$DANTED" -v 2>&1 | head -n 1 | sed 's/\. *Copyright.*//') at $DANTED"
command -v mvn >/dev/null || die "Maven (mvn) is not installed: apt-get install maven"

# --- 2. config and docroot ---------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/roundtrip-interop.XXXXXX")"
DOCROOT="$WORK/html"
mkdir -p "$DOCROOT"

# Deterministic content: a 13-byte text, and binary (high-entropy) bytes cut from gzip's output
# of a fixed sequence, so that a byte at a wrong offset changes the checksum.
printf 'hello, nginx\n' >"$DOCROOT/small"
seq 1 3000000 | gzip -n -1 >"$WORK/stream.gz"
head -c $((5 * 1024 * 1024)) "$WORK/stream.gz" >"$DOCROOT/5m"
tail -c $((64 * 1024)) "$WORK/stream.gz" >"$DOCROOT/64k"
rm -f "$WORK/stream.gz"
[[ $(wc -c <"$DOCROOT/small") -eq 13 && $(wc -c <"$DOCROOT/64k") -eq 65536 \
  && $(wc -c <"$DOCROOT/5m") -eq 5242880 ]] || die "could not write the docroot files"

# A throwaway CA and a server certificate for localhost and 127.0.0.1 signed by it, made now and
# removed with the directory: no key is ever stored in the repository. NginxTlsInteropTest trusts
# the CA (ca.pem) through an SSLContext of its own.
TLS="$WORK/tls"
rt_throwaway_tls "$OPENSSL" "$TLS" || die "openssl could not make the test certificates"

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

tls_server_block() { # port
  cat <<EOF
    server {
        listen 127.0.0.1:$1 ssl;
        server_name localhost 127.0.0.1;
        ssl_certificate $TLS/server.pem;
        ssl_certificate_key $TLS/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        keepalive_timeout 75s;
        root $DOCROOT;

        location / {
        }
        location = /status {
            stub_status;
        }
    }
EOF
}

# The HTTP/2 servers, over TLS (ALPN h2, http/1.1) or h2c (prior knowledge only, as nginx serves a
# plain http2 port). keepalive_requests is nginx's default (1000): after that many requests on a
# connection nginx sends GOAWAY, which the client's tests rely on.
h2_server_block() { # port tls|h2c sink_port
  local listen="listen 127.0.0.1:$1${H2_LISTEN};"
  [[ $2 == tls ]] && listen="listen 127.0.0.1:$1 ssl${H2_LISTEN};"
  cat <<EOF
    server {
        $listen
        $H2_ON
        http2_max_concurrent_streams 256;
        keepalive_timeout 75s;
        client_max_body_size 16m;
        root $DOCROOT;
$(if [[ $2 == tls ]]; then
    printf '        %s\n' "server_name localhost 127.0.0.1;" "ssl_certificate $TLS/server.pem;" \
      "ssl_certificate_key $TLS/server.key;" "ssl_protocols TLSv1.2 TLSv1.3;"
  fi)

        location / {
        }
        location = /trailers {
            add_trailer x-checksum abc123;
            return 200 "with trailers\n";
        }
        # Read whole (proxy_request_buffering is on), then passed on with its length, which the
        # internal server answers: "received N bytes".
        location = /upload {
            proxy_pass http://127.0.0.1:$3/;
        }
        location = /status {
            stub_status;
        }
    }
EOF
}

upload_sink_block() { # port
  cat <<EOF
    server {
        listen 127.0.0.1:$1;
        client_max_body_size 16m;
        location / {
            return 200 "received \$content_length bytes\n";
        }
    }
EOF
}

write_config() { # port: PORT (keepalive 75s), PORT+1 (keepalive $KEEPALIVE_SHORT), PORT+2 (TLS),
  # PORT+3 (HTTP/2 over TLS), PORT+4 (h2c), PORT+5 (the HTTP/2 servers' upload sink)
  {
    rt_nginx_config_head "$WORK" notice 512
    cat <<EOF
    tcp_nopush on;
    keepalive_requests 1000;

    # nginx's default keepalive_timeout, longer than the client's idle timeout (30 s)
$(server_block "$1" 75s)

    # shorter than the client's idle timeout: the server closes idle connections first
$(server_block $(($1 + 1)) "$KEEPALIVE_SHORT")

    # TLS with the throwaway CA's server certificate
$(tls_server_block $(($1 + 2)))

    # HTTP/2 over TLS, h2c, and the internal server behind their /upload
$(h2_server_block $(($1 + 3)) tls $(($1 + 5)))
$(h2_server_block $(($1 + 4)) h2c $(($1 + 5)))
$(upload_sink_block $(($1 + 5)))
}
EOF
  } >"$WORK/nginx.conf"
}

# --- 3. start nginx ----------------------------------------------------------------------------
rt_nginx_start "$NGINX" "$WORK" write_config 6 || die "nginx did not start"
PORT=$RT_NGINX_PORT SHORT_PORT=$((RT_NGINX_PORT + 1)) TLS_PORT=$((RT_NGINX_PORT + 2))
NGINX_H2_PORT=$((RT_NGINX_PORT + 3)) NGINX_H2C_PORT=$((RT_NGINX_PORT + 4))
log "nginx $RT_NGINX_PID listening on 127.0.0.1:$PORT (keepalive_timeout 75s), 127.0.0.1:$SHORT_PORT (keepalive_timeout $KEEPALIVE_SHORT), 127.0.0.1:$TLS_PORT (TLS), 127.0.0.1:$NGINX_H2_PORT (HTTP/2 over TLS) and 127.0.0.1:$NGINX_H2C_PORT (h2c); prefix $WORK"

# A raw smoke check, so that a broken setup says so before Maven starts.
status="$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" >&3
  cat <&3' _ "$PORT")" || die "GET /status on port $PORT failed"
grep -q 'server accepts handled requests' <<<"$status" || die "unexpected /status response: $status"
timeout 10 "$OPENSSL" s_client -connect "127.0.0.1:$TLS_PORT" -servername localhost -CAfile "$TLS/ca.pem" \
  -verify_return_error -verify_hostname localhost </dev/null >"$TLS/s_client.log" 2>&1 \
  || die "TLS handshake with nginx on port $TLS_PORT failed: $(tail -n 5 "$TLS/s_client.log")"

# --- 3b. Node's http2 server; every HTTP/2 server checked with curl ------------------------------
# Node's server runs in the foreground as a child of this script on two consecutive free loopback
# ports (h2 over TLS, h2c), with the throwaway CA's server certificate. It says "listening ..." once
# both are bound, and exits with code 3 (EADDRINUSE) when one was taken in between: then it is
# started again on others.
NODE_LOG="$WORK/node-h2.log"
NODE_TLS_PORT="" NODE_H2C_PORT=""
for attempt in 1 2 3 4 5; do
  p="$(rt_free_ports 2)" || break
  "$NODE" "$ROOT/interop/h2-server.js" "$p" $((p + 1)) "$TLS/server.key" "$TLS/server.pem" </dev/null \
    >"$NODE_LOG" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q '^listening ' "$NODE_LOG" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if grep -q '^listening ' "$NODE_LOG" && kill -0 "$pid" 2>/dev/null; then
    SERVER_PIDS+=("$pid")
    NODE_TLS_PORT=$p NODE_H2C_PORT=$((p + 1))
    break
  fi
  rt_stop_pid "$pid"
  grep -q 'EADDRINUSE' "$NODE_LOG" || die "node's http2 server did not start: $(tail -n 5 "$NODE_LOG")"
  log "node: ports $p-$((p + 1)) taken, trying others (attempt $attempt)"
done
[[ -n "$NODE_TLS_PORT" ]] || die "node's http2 server found no two free loopback ports"
log "node $pid listening on 127.0.0.1:$NODE_TLS_PORT (HTTP/2 over TLS) and 127.0.0.1:$NODE_H2C_PORT (h2c)"

# Every HTTP/2 server: GET /small over HTTP/2 (ALPN h2 over TLS, prior knowledge for h2c), and a
# 10 MiB POST read whole (nginx answers the length it received, node the length and SHA-256).
cat "$DOCROOT/5m" "$DOCROOT/5m" >"$WORK/10m" # 10 MiB, not zeros: a shifted byte changes the digest
TEN_MIB_SHA="$(sha256sum "$WORK/10m" | cut -d' ' -f1)"
h2_check() { # name url upload_path expected_answer
  local name=$1 url=$2 path=$3 want=$4 out
  local mode=(--http2-prior-knowledge)
  [[ $url == https:* ]] && mode=(--http2 --cacert "$TLS/ca.pem")
  out="$(timeout 60 "$CURL" -sS --max-time 50 "${mode[@]}" -o /dev/null -w '%{http_version}' "$url/small" 2>&1)" \
    || die "$name at $url: GET /small failed: $out"
  [[ $out == 2 ]] || die "$name at $url: GET /small was not answered over HTTP/2 (HTTP/$out)"
  out="$(timeout 60 "$CURL" -sS --max-time 50 "${mode[@]}" --data-binary @"$WORK/10m" "$url$path" 2>&1)" \
    || die "$name at $url: a 10 MiB POST to $path failed: $out"
  [[ $out == "$want" ]] || die "$name at $url: a 10 MiB POST to $path answered \"$out\", not \"$want\""
}
h2_check "nginx HTTP/2 over TLS" "https://127.0.0.1:$NGINX_H2_PORT" /upload "received 10485760 bytes"
h2_check "nginx h2c" "http://127.0.0.1:$NGINX_H2C_PORT" /upload "received 10485760 bytes"
h2_check "node HTTP/2 over TLS" "https://127.0.0.1:$NODE_TLS_PORT" /sha256 "10485760 $TEN_MIB_SHA"
h2_check "node h2c" "http://127.0.0.1:$NODE_H2C_PORT" /sha256 "10485760 $TEN_MIB_SHA"
rm -f "$WORK/10m"
log "curl: the four HTTP/2 servers answer over HTTP/2 and read a 10 MiB POST whole"

# --- 4. proxies ----------------------------------------------------------------------------------
# Each proxy runs in the foreground as a child of this script, listens on 127.0.0.1 only, admits
# clients from 127.0.0.1 only, and is stopped by the exit trap.
PROXIES="$WORK/proxies"
mkdir -p "$PROXIES"
TINYPROXY_USER=rtuser
TINYPROXY_PASSWORD="$("$OPENSSL" rand -hex 12)"
SOCKS_USER=rtinterop # the only system user this script ever creates, and only as root

write_tinyproxy_conf() { # conf port [auth]
  {
    echo "# Written by roundtrip interop/run.sh"
    echo "Port $2"
    echo "Listen 127.0.0.1"
    echo "Timeout 30"
    echo "MaxClients 64"
    echo "Allow 127.0.0.1"
    echo "ConnectPort $TLS_PORT"
    echo "LogLevel Info"
    if [[ -n "${3:-}" ]]; then echo "BasicAuth $TINYPROXY_USER $TINYPROXY_PASSWORD"; fi
  } >"$1"
}

write_dante_conf() { # conf port method
  cat >"$1" <<EOF
# Written by roundtrip interop/run.sh
logoutput: stderr
internal: 127.0.0.1 port = $2
external: lo
clientmethod: none
socksmethod: $3
user.privileged: root
user.unprivileged: nobody
client pass {
    from: 127.0.0.0/8 to: 127.0.0.0/8
    log: error
}
client block {
    from: 0.0.0.0/0 to: 0.0.0.0/0
    log: connect error
}
socks pass {
    from: 127.0.0.0/8 to: 127.0.0.0/8
    command: connect
    log: error
}
socks block {
    from: 0.0.0.0/0 to: 0.0.0.0/0
    log: connect error
}
EOF
}

# Starts one proxy on a free port, retrying on another port when the one chosen was taken in
# between. Sets STARTED_PORT. Usage: start_proxy name write_conf_fn [conf args after port] -- cmd...
# where {CONF} in cmd stands for the config file.
STARTED_PORT=""
start_proxy() {
  local name=$1 writer=$2; shift 2
  local extra=()
  while [[ $1 != -- ]]; do extra+=("$1"); shift; done
  shift
  local conf="$PROXIES/$name.conf" logf="$PROXIES/$name.log" attempt p pid ready arg cmd
  for attempt in 1 2 3 4 5; do
    p="$(rt_free_ports 1)" || break
    "$writer" "$conf" "$p" "${extra[@]}"
    cmd=()
    for arg in "$@"; do cmd+=("${arg//\{CONF\}/$conf}"); done
    "${cmd[@]}" </dev/null >"$logf" 2>&1 &
    pid=$!
    ready=""
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      if rt_port_in_use "$p"; then ready=1; break; fi
      sleep 0.1
    done
    if [[ -n "$ready" ]]; then
      SERVER_PIDS+=("$pid")
      STARTED_PORT=$p
      log "$name $pid listening on 127.0.0.1:$p"
      return 0
    fi
    rt_stop_pid "$pid"
    # A port taken between the check and the bind: dante says "address already in use",
    # tinyproxy only "Could not create listening sockets". Anything else is a real failure.
    grep -qiE 'address already in use|could not create listening sockets' "$logf" \
      || die "$name did not start (attempt $attempt): $(tail -n 5 "$logf")"
    log "$name: could not listen on port $p ($(tail -n 1 "$logf")), trying another"
  done
  die "$name could not listen on any of 5 loopback ports: $(tail -n 5 "$logf")"
}

start_proxy tinyproxy write_tinyproxy_conf -- "$TINYPROXY" -d -c "{CONF}"
TINYPROXY_PORT=$STARTED_PORT
start_proxy tinyproxy-auth write_tinyproxy_conf auth -- "$TINYPROXY" -d -c "{CONF}"
TINYPROXY_AUTH_PORT=$STARTED_PORT
start_proxy dante write_dante_conf none -- "$DANTED" -f "{CONF}" -N 1
DANTE_PORT=$STARTED_PORT

# dante checks username/password against the system's users: a dedicated user rtinterop (no
# home, no shell) gets a fresh random password each run. Only as root; otherwise that instance
# and its tests are left out.
DANTE_AUTH_PORT="" SOCKS_PASSWORD=""
if ((EUID == 0)); then
  if ! id "$SOCKS_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      --comment "roundtrip interop/run.sh SOCKS5 test user" "$SOCKS_USER" \
      || die "could not create the system user $SOCKS_USER"
    log "created the system user $SOCKS_USER (for dante's username method)"
  fi
  SOCKS_PASSWORD="$("$OPENSSL" rand -hex 12)"
  printf '%s:%s\n' "$SOCKS_USER" "$SOCKS_PASSWORD" | chpasswd \
    || die "could not set the password of $SOCKS_USER"
  start_proxy dante-auth write_dante_conf username -- "$DANTED" -f "{CONF}" -N 1
  DANTE_AUTH_PORT=$STARTED_PORT
else
  log "not root: dante with username/password is left out (its tests skip themselves)"
fi

# --- 5. tests ----------------------------------------------------------------------------------
cd "$ROOT"
CLASSES=(NginxInteropTest NginxTlsInteropTest ProxyInteropTest Http2ServersInteropTest Http2ClientInteropTest)
# The command's waterfall against curl's timings, on this nginx (plain and TLS): a cli test that
# runs its nginx case only when given these ports.
CLI_CLASSES=(TraceAgainstCurlTest)
for c in "${CLASSES[@]}"; do
  rm -f "interop/target/surefire-reports/TEST-dev.roundtrip.interop.$c.xml"
done
for c in "${CLI_CLASSES[@]}"; do
  rm -f "cli/target/surefire-reports/TEST-dev.roundtrip.cli.$c.xml"
done
log "running ${CLASSES[*]} ${CLI_CLASSES[*]}"
bounded mvn -B -ntp -pl interop,cli -am test \
  -Dtest="$(IFS=,; echo "${CLASSES[*]},${CLI_CLASSES[*]}")" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dinterop.port="$PORT" -Dinterop.shortKeepAlivePort="$SHORT_PORT" -Dinterop.docroot="$DOCROOT" \
  -Dinterop.tlsPort="$TLS_PORT" -Dinterop.caPem="$TLS/ca.pem" \
  -Dinterop.tinyproxyPort="$TINYPROXY_PORT" -Dinterop.tinyproxyAuthPort="$TINYPROXY_AUTH_PORT" \
  -Dinterop.tinyproxyUser="$TINYPROXY_USER" -Dinterop.tinyproxyPassword="$TINYPROXY_PASSWORD" \
  -Dinterop.dantePort="$DANTE_PORT" -Dinterop.danteAuthPort="$DANTE_AUTH_PORT" \
  -Dinterop.socksUser="$SOCKS_USER" -Dinterop.socksPassword="$SOCKS_PASSWORD" \
  -Dinterop.h2.nginxTls="https://127.0.0.1:$NGINX_H2_PORT" -Dinterop.h2.nginxH2c="http://127.0.0.1:$NGINX_H2C_PORT" \
  -Dinterop.h2.nodeTls="https://127.0.0.1:$NODE_TLS_PORT" -Dinterop.h2.nodeH2c="http://127.0.0.1:$NODE_H2C_PORT" \
  </dev/null

# Maven succeeds when every test is skipped: make sure they really ran. Only the tests of dante
# with username/password may skip, and only when not running as root.
for c in "${CLASSES[@]}" "${CLI_CLASSES[@]}"; do
  REPORT="interop/target/surefire-reports/TEST-dev.roundtrip.interop.$c.xml"
  [[ " ${CLI_CLASSES[*]} " == *" $c "* ]] && REPORT="cli/target/surefire-reports/TEST-dev.roundtrip.cli.$c.xml"
  [[ -f "$REPORT" ]] || die "no test report at $REPORT: $c did not run"
  suite="$(grep -m1 -o '<testsuite [^>]*>' "$REPORT")"
  tests="$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$suite")"
  skipped="$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$suite")"
  allowed=0
  [[ $c == ProxyInteropTest && -z "$DANTE_AUTH_PORT" ]] && allowed=2
  [[ -n "$tests" && "$tests" -gt 0 && -n "$skipped" && "$skipped" -le "$allowed" ]] \
    || die "$c ran ${tests:-no} tests with ${skipped:-?} skipped: the system properties did not reach it"
  if ((skipped > 0)); then
    log "$c: $((tests - skipped)) tests passed, $skipped skipped (dante with username/password needs root)"
  else
    log "$c: $tests tests passed"
  fi
done
log "against $("$NGINX" -v 2>&1 | sed 's/.*: //'), $("$TINYPROXY" -v 2>&1 | head -n 1), $("$DANTED" -v 2>&1 | head -n 1 | sed 's/\. *Copyright.*//'), node $("$NODE" --version)"
