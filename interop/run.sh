#!/usr/bin/env bash
# interop/run.sh: runs the interop tests against real servers from Debian's packages:
# NginxInteropTest (nginx, plain http), NginxTlsInteropTest (nginx with TLS),
# ProxyInteropTest (tinyproxy as HTTP proxy and CONNECT tunnel, dante as SOCKS5 proxy), and the
# cli module's TraceAgainstCurlTest (`roundtrip get --trace` rows against curl's -w timings on
# this nginx, plain and TLS).
#
# Steps, in order:
#   1. install nginx, openssl, tinyproxy, dante-server and curl from Debian's packages when missing
#      (needs root; the packages' services are kept from starting, and nothing under /etc is
#      used nor changed);
#   2. write a config, a docroot, nginx's own prefix and a throwaway CA with a server
#      certificate for 127.0.0.1/localhost (made by openssl now, never stored) into a fresh
#      temporary directory;
#   3. start nginx in the foreground (daemon off) on three free loopback ports >= 20000:
#      one server with nginx's default keepalive_timeout 75s, one with keepalive_timeout 2s,
#      one with TLS;
#   4. start, in the foreground and on free loopback ports, two tinyproxy instances (one
#      without auth, one with Basic auth) and two dante instances (one without auth, one with
#      username/password of the dedicated system user rtinterop, created when running as root;
#      without root that instance is left out and its tests skip themselves);
#   5. run the interop tests with Maven, passing ports, docroot, CA and credentials as system
#      properties, and check that they ran (none skipped, but for the two dante-auth tests
#      when not root);
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
PROXY_PIDS=() # tinyproxy and dante main processes started by this script
cleanup() {
  local rc=$?
  set +e
  ((rc == 124)) && log "timed out: the run is bounded by INTEROP_TIMEOUT=${INTEROP_TIMEOUT:-600}s"
  local pid
  for pid in "${PROXY_PIDS[@]}"; do
    rt_stop_pid "$pid"
  done
  rt_stop_pid "$RT_NGINX_PID"
  rt_apt_cleanup
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if ((rc != 0)); then
      local f
      for f in "$WORK/error.log" "$WORK"/proxies/*.log; do
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
[[ -x /usr/bin/curl ]] || missing+=(curl) # TraceAgainstCurlTest compares get --trace with curl -w
((${#missing[@]} == 0)) || apt_install "${missing[@]}"
NGINX="$(rt_find_bin nginx)"
OPENSSL="$(rt_find_bin openssl)"
TINYPROXY="$(rt_find_bin tinyproxy)"
DANTED="$(rt_find_bin danted sockd)"
[[ -n "$NGINX" ]] || die "nginx was installed but no nginx binary was found"
[[ -n "$OPENSSL" ]] || die "openssl was installed but no openssl binary was found"
[[ -n "$TINYPROXY" ]] || die "tinyproxy was installed but no tinyproxy binary was found"
[[ -n "$DANTED" ]] || die "dante-server was installed but no danted (or sockd) binary was found"
log "using $("$NGINX" -v 2>&1) at $NGINX"
"$NGINX" -V 2>&1 | grep -q -- '--with-http_stub_status_module' \
  || die "$NGINX has no stub_status module (needed to count accepted connections)"
"$NGINX" -V 2>&1 | grep -q -- '--with-http_ssl_module' || die "$NGINX has no ssl module"
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
mkdir -p "$TLS"
if ! {
  "$OPENSSL" req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -keyout "$TLS/ca.key" -out "$TLS/ca.pem" \
    -subj "/CN=roundtrip interop throwaway CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    && "$OPENSSL" req -newkey rsa:2048 -nodes -sha256 -keyout "$TLS/server.key" -out "$TLS/server.csr" \
      -subj "/CN=localhost" \
    && printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >"$TLS/server.ext" \
    && "$OPENSSL" x509 -req -sha256 -days 2 -in "$TLS/server.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" \
      -CAcreateserial -out "$TLS/server.pem" -extfile "$TLS/server.ext" \
    && "$OPENSSL" verify -CAfile "$TLS/ca.pem" "$TLS/server.pem"
} </dev/null >"$TLS/openssl.log" 2>&1; then
  cat "$TLS/openssl.log" >&2
  die "openssl could not make the test certificates"
fi
chmod 600 "$TLS"/*.key

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

write_config() { # port: PORT (keepalive 75s), PORT+1 (keepalive $KEEPALIVE_SHORT), PORT+2 (TLS)
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
}
EOF
  } >"$WORK/nginx.conf"
}

# --- 3. start nginx ----------------------------------------------------------------------------
rt_nginx_start "$NGINX" "$WORK" write_config 3 || die "nginx did not start"
PORT=$RT_NGINX_PORT SHORT_PORT=$((RT_NGINX_PORT + 1)) TLS_PORT=$((RT_NGINX_PORT + 2))
log "nginx $RT_NGINX_PID listening on 127.0.0.1:$PORT (keepalive_timeout 75s), 127.0.0.1:$SHORT_PORT (keepalive_timeout $KEEPALIVE_SHORT) and 127.0.0.1:$TLS_PORT (TLS); prefix $WORK"

# A raw smoke check, so that a broken setup says so before Maven starts.
status="$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" >&3
  cat <&3' _ "$PORT")" || die "GET /status on port $PORT failed"
grep -q 'server accepts handled requests' <<<"$status" || die "unexpected /status response: $status"
timeout 10 "$OPENSSL" s_client -connect "127.0.0.1:$TLS_PORT" -servername localhost -CAfile "$TLS/ca.pem" \
  -verify_return_error -verify_hostname localhost </dev/null >"$TLS/s_client.log" 2>&1 \
  || die "TLS handshake with nginx on port $TLS_PORT failed: $(tail -n 5 "$TLS/s_client.log")"

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
      PROXY_PIDS+=("$pid")
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
CLASSES=(NginxInteropTest NginxTlsInteropTest ProxyInteropTest)
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
log "against $("$NGINX" -v 2>&1 | sed 's/.*: //'), $("$TINYPROXY" -v 2>&1 | head -n 1), $("$DANTED" -v 2>&1 | head -n 1 | sed 's/\. *Copyright.*//')"
