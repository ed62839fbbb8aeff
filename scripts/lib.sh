# scripts/lib.sh: shell helpers shared by .ci/run, ./roundtrip, bench/run.sh and interop/run.sh.
# Sourced, never run: `source "$ROOT/scripts/lib.sh"` after setting RT_NAME (the prefix of messages).
#
#   rt_log, rt_die           a message on stderr ("NAME: ..."); rt_die exits 1
#   rt_apt_install PKG...    installs Debian packages (root only; services kept from starting;
#                            waits for another apt run's lock; output shown only on failure)
#   rt_apt_cleanup           removes the policy-rc.d file rt_apt_install made (for EXIT traps)
#   rt_java_major PATH       the feature release (17, 25, ...) of a JDK directory or a java command
#   rt_default_jdk           the JDK Maven uses by default: JAVA_HOME, else the javac on PATH
#   rt_newest_jdk            the newest JDK (java and javac) under /usr/lib/jvm
#   rt_find_bin NAME...      the first of the commands found on PATH, in /usr/sbin or /usr/bin
#   rt_port_in_use PORT      true when something listens on 127.0.0.1:PORT
#   rt_free_ports N          a port P >= 20000 with P .. P+N-1 free on 127.0.0.1
#   rt_stop_pid PID          TERM, up to 5 s, then KILL
#   rt_nginx_config_head DIR LEVEL CONNS   the start of a private nginx's config (up to inside http {)
#   rt_nginx_start NGINX DIR WRITE_FN N    starts a private nginx on N consecutive free ports
#   rt_nginx_h2_syntax NGINX  sets RT_H2_LISTEN / RT_H2_ON: how this nginx turns HTTP/2 on for a server
#   rt_throwaway_tls OPENSSL DIR  a throwaway CA (DIR/ca.pem) and a server certificate for 127.0.0.1 and
#                            localhost signed by it (DIR/server.pem, DIR/server.key)
#   rt_nginx_hello_server PORT BACKLOG     keep-alive settings and a server whose / is 13 bytes (opened)
#
# Nothing here starts a service, touches /etc (but /usr/sbin/policy-rc.d while installing) or
# sends traffic anywhere but 127.0.0.1.

rt_log() { printf '%s: %s\n' "${RT_NAME:-roundtrip}" "$*" >&2; }
rt_die() { printf '%s: error: %s\n' "${RT_NAME:-roundtrip}" "$*" >&2; exit 1; }

# --- Debian packages ------------------------------------------------------------------------------
RT_APT_UPDATED=""
RT_POLICY_RC_CREATED=""

# Installs PKG... with apt-get (no recommends), once `apt-get update` has run in this process.
# Returns 1 without trying when not root or without apt-get. While it runs, a policy-rc.d keeps
# the packages' services from starting (nginx would take port 80), unless the machine has one.
# Another apt/dpkg run holding the lock is waited for (about 2 minutes). RT_APT_TIMEOUT (seconds),
# when set, bounds each apt-get call.
rt_apt_install() {
  if ((EUID != 0)) || ! command -v apt-get >/dev/null 2>&1; then
    return 1
  fi
  rt_log "installing $* from Debian's packages"
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# created by roundtrip scripts/lib.sh while installing packages; removed after\nexit 101\n' \
      >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    RT_POLICY_RC_CREATED=1
  fi
  local log rc=0
  log="$(mktemp "${TMPDIR:-/tmp}/roundtrip-apt.XXXXXX")"
  if [[ -z "$RT_APT_UPDATED" ]]; then
    rt_apt_get "$log" update -qq && RT_APT_UPDATED=1 || rc=$?
  fi
  if ((rc == 0)); then
    rt_apt_get "$log" install -y -qq --no-install-recommends "$@" || rc=$?
  fi
  rt_apt_cleanup
  if ((rc != 0)); then
    tail -n 30 "$log" >&2
    rt_log "installing $* failed"
  fi
  rm -f "$log"
  return "$rc"
}

# Runs apt-get ARGS with its output appended to LOG, retrying while another process holds the lock.
rt_apt_get() {
  local log=$1 rc i
  shift
  local bound=()
  [[ -n "${RT_APT_TIMEOUT:-}" ]] && bound=(timeout --foreground --kill-after=10 "$RT_APT_TIMEOUT")
  for i in $(seq 24); do
    rc=0
    DEBIAN_FRONTEND=noninteractive "${bound[@]}" apt-get -o DPkg::Lock::Timeout=5 "$@" </dev/null >>"$log" 2>&1 \
      || rc=$?
    ((rc == 0)) && return 0
    if tail -n 5 "$log" | grep -qiE 'could not get lock|unable to (lock|acquire the dpkg)|lock-frontend|another process'; then
      rt_log "apt is busy (another process holds its lock); waiting ($i/24)"
      sleep 5
      continue
    fi
    return "$rc"
  done
  return 1
}

# Removes the policy-rc.d that rt_apt_install created, if it is still there.
rt_apt_cleanup() {
  if [[ -n "$RT_POLICY_RC_CREATED" ]]; then
    rm -f /usr/sbin/policy-rc.d
    RT_POLICY_RC_CREATED=""
  fi
}

# --- JDKs -----------------------------------------------------------------------------------------

# Prints the feature release (17, 25, ...) of PATH, a JDK directory (its release file, else its
# bin/java) or a java command; prints nothing when it cannot tell.
rt_java_major() {
  local p=$1 v="" java=$1
  if [[ -d "$p" ]]; then
    java="$p/bin/java"
    if [[ -f "$p/release" ]]; then
      v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$p/release")"
    fi
  fi
  if [[ -z "$v" && -x "$java" ]]; then
    v="$("$java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  fi
  v="${v#1.}"
  v="${v%%[.+-]*}"
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v"
  return 0
}

# Prints the real path of the JDK Maven uses by default: JAVA_HOME, else the javac on PATH (or nothing).
rt_default_jdk() {
  if [[ -n "${JAVA_HOME:-}" ]]; then
    readlink -f "$JAVA_HOME"
  elif command -v javac >/dev/null 2>&1; then
    dirname "$(dirname "$(readlink -f "$(command -v javac)")")"
  fi
  return 0
}

# Prints the real path of the newest JDK (with bin/java and bin/javac) under /usr/lib/jvm, or nothing.
rt_newest_jdk() {
  local d v best="" best_v=0
  for d in /usr/lib/jvm/*/; do
    d="$(readlink -f "${d%/}")"
    [[ -x "$d/bin/java" && -x "$d/bin/javac" ]] || continue
    v="$(rt_java_major "$d")"
    if [[ -n "$v" ]] && ((v > best_v)); then
      best="$d" best_v="$v"
    fi
  done
  [[ -n "$best" ]] && echo "$best"
  return 0
}

# --- commands, ports, processes -------------------------------------------------------------------

# Prints the first of NAME... found on PATH, in /usr/sbin or in /usr/bin (daemons live in sbin,
# which is not on every user's PATH); prints nothing when none is.
rt_find_bin() {
  local n
  for n in "$@"; do
    command -v "$n" 2>/dev/null && return 0
    [[ -x "/usr/sbin/$n" ]] && { echo "/usr/sbin/$n"; return 0; }
    [[ -x "/usr/bin/$n" ]] && { echo "/usr/bin/$n"; return 0; }
  done
  return 0
}

# True when something accepts connections on 127.0.0.1:PORT.
rt_port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints a port P between 20000 and 32000 (below the ephemeral range, 32768+, which outgoing
# connections use) with P .. P+N-1 all free on 127.0.0.1; fails after 20 tries.
rt_free_ports() {
  local n=${1:-1} p i try
  for try in $(seq 20); do
    p=$((20000 + RANDOM % (12000 - n)))
    for ((i = 0; i < n; i++)); do
      rt_port_in_use $((p + i)) && continue 2
    done
    echo "$p"
    return 0
  done
  return 1
}

# Stops PID (a child of this shell): TERM, up to 5 s, then KILL; waits for it. Nothing when empty or gone.
rt_stop_pid() {
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# --- a private nginx ------------------------------------------------------------------------------

# Prints the start of the config of an nginx whose every file is under DIR: global settings, events
# (CONNS worker connections), and the opening of `http {` with the settings every caller shares.
# The caller prints its own http settings, its server blocks and the closing `}`.
rt_nginx_config_head() {
  local dir=$1 level=$2 conns=$3
  cat <<EOF
# Written by roundtrip ${RT_NAME:-scripts/lib.sh}; nothing here is read from or written to /etc/nginx.
$( ((EUID == 0)) && echo "user root; # workers must read the 0700 temporary directory")
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log $level;

events {
    worker_connections $conns;
}

http {
    access_log off;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $dir/tmp/client_body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
EOF
}

# Starts NGINX in the foreground (as a child of this shell) with DIR as its prefix, on N
# consecutive free loopback ports: WRITE_FN PORT writes DIR/nginx.conf for the first of them.
# Retries on other ports when one was taken in between (5 attempts). Sets RT_NGINX_PID and
# RT_NGINX_PORT; returns 1 (with the error log's end on stderr) when nginx did not start.
RT_NGINX_PID=""
RT_NGINX_PORT=""
rt_nginx_start() {
  local nginx=$1 dir=$2 write_fn=$3 n=${4:-1} p attempt
  mkdir -p "$dir/tmp"
  for attempt in 1 2 3 4 5; do
    p="$(rt_free_ports "$n")" || break
    "$write_fn" "$p"
    rm -f "$dir/nginx.pid"
    : >"$dir/error.log"
    "$nginx" -t -q -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" </dev/null || return 1
    "$nginx" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" </dev/null &
    RT_NGINX_PID=$!
    # nginx writes its pid file only after it has bound every listening socket.
    for _ in $(seq 100); do
      [[ -s "$dir/nginx.pid" ]] && break
      kill -0 "$RT_NGINX_PID" 2>/dev/null || break
      sleep 0.1
    done
    if [[ -s "$dir/nginx.pid" ]] && kill -0 "$RT_NGINX_PID" 2>/dev/null; then
      RT_NGINX_PORT=$p
      return 0
    fi
    wait "$RT_NGINX_PID" 2>/dev/null || true
    RT_NGINX_PID=""
    if ! grep -q 'Address already in use' "$dir/error.log"; then
      tail -n 5 "$dir/error.log" >&2
      return 1
    fi
    rt_log "ports $p-$((p + n - 1)) taken, trying others (attempt $attempt)"
  done
  rt_log "no $n free loopback ports found for nginx"
  return 1
}

# Sets RT_H2_LISTEN (text after a listen line's port) and RT_H2_ON (a directive of its own) to how
# NGINX turns HTTP/2 on for a server: nginx 1.25.1 replaced `listen ... http2` with `http2 on;`
# (Debian 12 ships 1.22.1).
RT_H2_LISTEN=""
RT_H2_ON=""
rt_nginx_h2_syntax() {
  local v
  v="$("$1" -v 2>&1 | sed -n 's|.*nginx/\([0-9.]*\).*|\1|p')"
  if [[ "$(printf '%s\n' 1.25.1 "$v" | sort -V | head -n 1)" == 1.25.1 ]]; then
    RT_H2_LISTEN="" RT_H2_ON="http2 on;"
  else
    RT_H2_LISTEN=" http2" RT_H2_ON=""
  fi
}

# --- throwaway TLS material -----------------------------------------------------------------------

# Makes, with OPENSSL, a throwaway CA (DIR/ca.pem, DIR/ca.key) and a server certificate for
# localhost and 127.0.0.1 signed by it (DIR/server.pem, DIR/server.key), valid 2 days. Made at run
# time into the caller's temporary directory and removed with it: no key is ever stored in the
# repository. Returns 1, with openssl's output on stderr, when openssl fails.
rt_throwaway_tls() {
  local openssl=$1 dir=$2
  mkdir -p "$dir"
  if ! {
    "$openssl" req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -keyout "$dir/ca.key" -out "$dir/ca.pem" \
      -subj "/CN=roundtrip throwaway CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      && "$openssl" req -newkey rsa:2048 -nodes -sha256 -keyout "$dir/server.key" -out "$dir/server.csr" \
        -subj "/CN=localhost" \
      && printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >"$dir/server.ext" \
      && "$openssl" x509 -req -sha256 -days 2 -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
        -CAcreateserial -out "$dir/server.pem" -extfile "$dir/server.ext" \
      && "$openssl" verify -CAfile "$dir/ca.pem" "$dir/server.pem"
  } </dev/null >"$dir/openssl.log" 2>&1; then
    cat "$dir/openssl.log" >&2
    return 1
  fi
  chmod 600 "$dir"/*.key
}

# Prints the keep-alive settings of the benchmarks' nginx (tcp_nodelay, 300 s idle, 10 million requests
# per connection) and the opening of a server on 127.0.0.1:PORT (listen backlog BACKLOG) whose `/`
# answers "Hello, world!" (13 bytes). The caller prints its other locations and closes the server
# and http blocks.
rt_nginx_hello_server() {
  local port=$1 backlog=$2
  cat <<EOF
    tcp_nodelay on;
    keepalive_timeout 300s;
    keepalive_requests 10000000;
    server {
        listen 127.0.0.1:$port backlog=$backlog;
        location = / {
            default_type text/plain;
            return 200 "Hello, world!";
        }
EOF
}
