#!/bin/sh
# mesh-registry boot kit: registers this VM into a WorkloadGroup, heartbeats with its health (the
# group's readiness probe, run as istio-agent runs it), re-registers when the entry is gone, backs off
# on errors, and deregisters on SIGTERM/SIGINT. POSIX sh + curl + sed/awk; no bash, no jq.
#
# Configuration: MESH_* variables, from the environment or from $MESH_ENV_FILE
# (/etc/mesh-registry/vm.env); the environment wins. See the README's "VMs: the boot kit".
#
# The token is read from its file by sed straight into curl's configuration on stdin: it is never in a
# shell variable, a command line (ps), a log line or a `sh -x` trace.

set -u
umask 077

PROG=mesh-registry-vm
API=/apis/networking.istio.io/v1

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
# The first $1 bytes of stdin on one line (head -c is not POSIX).
first_bytes() { dd bs="$1" count=1 2>/dev/null | tr '\n' ' '; }
debug() { [ "${MESH_LOG_LEVEL:-info}" = debug ] && log "debug: $*"; return 0; }
die() { log "error: $*"; exit 2; }

# ---- configuration --------------------------------------------------------------------------------

# The mode string of a file (-rw-r-----), following symlinks. ls is the POSIX way to read it.
# shellcheck disable=SC2012
mode_of() { ls -lL "$1" | cut -c1-10; }

# KEY=value lines (optionally quoted, # comments), MESH_* keys only, never executed; a key already in
# the environment keeps its value. The file must not be writable by group or others.
load_env_file() {
  file=$1
  [ -f "$file" ] || return 0
  [ -r "$file" ] || { log "warning: $file is not readable; ignoring it"; return 0; }
  perms=$(mode_of "$file")
  case $perms in
    ?????w????|????????w?) die "$file is writable by group or others ($perms); refusing to read it" ;;
  esac
  while IFS= read -r line || [ -n "$line" ]; do
    line=$(printf '%s' "$line" | sed 's/^[[:space:]]*//; s/^export[[:space:]][[:space:]]*//; s/[[:space:]]*$//')
    case $line in ''|'#'*) continue ;; esac
    key=${line%%=*}
    value=${line#*=}
    case $key in MESH_*) ;; *) continue ;; esac
    if printf '%s' "$key" | grep -q '[^A-Z0-9_]'; then log "warning: $file: ignoring key $key"; continue; fi
    case $value in
      \"*\") value=${value#\"}; value=${value%\"} ;;
      \'*\') value=${value#\'}; value=${value%\'} ;;
    esac
    if eval "[ -z \"\${$key+set}\" ]"; then eval "$key=\$value"; fi
  done < "$file"
}

# MESH_ENV_FILE set and empty: no file (systemd's EnvironmentFile= has read it already).
ENV_FILE=${MESH_ENV_FILE-/etc/mesh-registry/vm.env}
[ -z "$ENV_FILE" ] || load_env_file "$ENV_FILE"

URL=${MESH_REGISTRY_URL:-}
NS=${MESH_NAMESPACE:-}
GROUP=${MESH_GROUP:-}
if [ -n "${CREDENTIALS_DIRECTORY:-}" ] && [ -f "$CREDENTIALS_DIRECTORY/token" ]; then
  TOKEN_FILE=${MESH_TOKEN_FILE-$CREDENTIALS_DIRECTORY/token}
else
  TOKEN_FILE=${MESH_TOKEN_FILE-/etc/mesh-registry/token}
fi
# The CA: MESH_CA_FILE (empty: the system's trust store), else a credential or /etc/mesh-registry/ca.crt.
CA_FILE=${MESH_CA_FILE-}
if [ -z "${MESH_CA_FILE+set}" ]; then
  for candidate in "${CREDENTIALS_DIRECTORY:-/nonexistent}/ca.crt" /etc/mesh-registry/ca.crt; do
    if [ -f "$candidate" ]; then CA_FILE=$candidate; break; fi
  done
fi
REQ_TIMEOUT=${MESH_REQUEST_TIMEOUT_SECONDS:-10}
BACKOFF_MAX=${MESH_BACKOFF_MAX_SECONDS:-60}
HB_OVERRIDE=${MESH_HEARTBEAT_INTERVAL_SECONDS:-}

[ -n "$URL" ] || die "MESH_REGISTRY_URL is required (e.g. https://registry.example.com:3000)"
[ -n "$NS" ] || die "MESH_NAMESPACE is required"
[ -n "$GROUP" ] || die "MESH_GROUP is required (the WorkloadGroup to register into)"
URL=${URL%/}
for pair in "MESH_REQUEST_TIMEOUT_SECONDS=$REQ_TIMEOUT" "MESH_BACKOFF_MAX_SECONDS=$BACKOFF_MAX" "MESH_HEARTBEAT_INTERVAL_SECONDS=${HB_OVERRIDE:-1}"; do
  case ${pair#*=} in ''|*[!0-9]*|0) die "${pair%%=*} must be a positive integer (got ${pair#*=})" ;; esac
done
case $URL in
  https://*) ;;
  http://*) [ -n "$TOKEN_FILE" ] && log "warning: $URL is plain HTTP: the token crosses the network in clear" ;;
  *) die "MESH_REGISTRY_URL must start with https:// (or http://)" ;;
esac
if [ -n "$CA_FILE" ] && [ ! -r "$CA_FILE" ]; then die "MESH_CA_FILE $CA_FILE is not readable"; fi
command -v curl >/dev/null 2>&1 || die "curl is required"

WORK_BASE=${RUNTIME_DIRECTORY:-${TMPDIR:-/tmp}}
WORK=$(mktemp -d "$WORK_BASE/$PROG.XXXXXX" 2>/dev/null) || { WORK="$WORK_BASE/$PROG.$$"; mkdir "$WORK"; } || die "cannot make a work directory in $WORK_BASE"
SLEEPER=
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() { [ -n "$SLEEPER" ] && kill "$SLEEPER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# ---- JSON -----------------------------------------------------------------------------------------

# Flattens JSON into "path<TAB>value" lines (path: keys and array indices joined by "."), strings
# unescaped (control characters as spaces, non-ASCII \u escapes as "?"). Enough for the registry's answers.
# shellcheck disable=SC2016 # an awk program, not shell
JSON_AWK='
function fail(why) { print "json: " why " at " pos > "/dev/stderr"; bad = 1; exit 1 }
function ws() { while (pos <= n && index(" \t\r\n", substr(s, pos, 1)) > 0) pos++ }
function str(   out, c, e, h) {
  if (substr(s, pos, 1) != "\"") fail("string expected")
  pos++; out = ""
  for (;;) {
    if (pos > n) fail("unterminated string")
    c = substr(s, pos, 1)
    if (c == "\"") { pos++; return out }
    if (c == "\\") {
      e = substr(s, pos + 1, 1); pos += 2
      if (e == "n" || e == "t" || e == "r" || e == "b" || e == "f") out = out " "
      else if (e == "u") { h = substr(s, pos, 4); pos += 4; out = out (h ~ /^00[2-7][0-9A-Fa-f]$/ ? sprintf("%c", hex(h)) : (h ~ /^00[01]/ ? " " : "?")) }
      else out = out e
    } else { out = out c; pos++ }
  }
}
function hex(h,   i, v) { v = 0; h = tolower(h); for (i = 1; i <= 4; i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v }
function key(path, k) { return path == "" ? k : path "." k }
function value(path,   c, k, i) {
  ws(); c = substr(s, pos, 1)
  if (c == "{") {
    pos++; ws()
    if (substr(s, pos, 1) == "}") { pos++; return }
    for (;;) {
      ws(); k = str(); ws()
      if (substr(s, pos, 1) != ":") fail("colon expected")
      pos++; value(key(path, k)); ws()
      c = substr(s, pos, 1); pos++
      if (c == "}") return
      if (c != ",") fail("comma expected")
    }
  }
  if (c == "[") {
    pos++; ws(); i = 0
    if (substr(s, pos, 1) == "]") { pos++; return }
    for (;;) {
      value(key(path, i)); i++; ws()
      c = substr(s, pos, 1); pos++
      if (c == "]") return
      if (c != ",") fail("comma expected")
    }
  }
  if (c == "\"") { printf "%s\t%s\n", path, str(); return }
  k = ""
  while (pos <= n && index(",}] \t\r\n", substr(s, pos, 1)) == 0) { k = k substr(s, pos, 1); pos++ }
  if (k !~ /^(true|false|null|-?[0-9][0-9.eE+-]*)$/) fail("value expected")
  printf "%s\t%s\n", path, k
}
{ s = s $0 "\n" }
END { if (bad) exit 1; n = length(s); pos = 1; value(""); ws(); if (pos <= n) fail("trailing data") }
'

json_flatten() { awk "$JSON_AWK"; }

# The value at a path of a flattened document ($2, a file), or nothing.
json_get() { awk -F '	' -v k="$1" '$1 == k { sub(/^[^	]*	/, ""); print; exit }' "$2"; }

# A JSON string literal.
json_str() { printf '"%s"' "$(printf '%s' "$1" | tr '\t\r\n' '   ' | tr -d '\000-\037' | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

# "k=v,k2=v2" as a JSON object of strings ($2 = number: values as numbers).
json_map() {
  out='' rest=$1
  while [ -n "$rest" ]; do
    item=${rest%%,*}
    case $rest in *,*) rest=${rest#*,} ;; *) rest= ;; esac
    [ -n "$item" ] || continue
    k=${item%%=*} v=${item#*=}
    if [ "${2:-}" = number ]; then
      case $v in ''|*[!0-9]*) die "$item: a port must be a number" ;; esac
      out="$out${out:+,}$(json_str "$k"):$v"
    else
      out="$out${out:+,}$(json_str "$k"):$(json_str "$v")"
    fi
  done
  printf '{%s}' "$out"
}

# ---- HTTP to the registry -------------------------------------------------------------------------

# The token file's checks: present, a regular file, readable by us and nobody else but its group, and
# one line of token characters. Re-read at each request, so a rotated token is picked up.
token_problem() {
  [ -n "$TOKEN_FILE" ] || return 1
  me=$(id -un 2>/dev/null || id -u)
  if [ ! -f "$TOKEN_FILE" ]; then
    if [ -x "$(dirname "$TOKEN_FILE")" ]; then echo "token file $TOKEN_FILE does not exist"; else echo "token file $TOKEN_FILE is in a directory $me may not enter"; fi
    return 0
  fi
  [ -r "$TOKEN_FILE" ] || { echo "token file $TOKEN_FILE is not readable by $me"; return 0; }
  perms=$(mode_of "$TOKEN_FILE")
  case $perms in
    ?????w????|???????r??|????????w?) echo "token file $TOKEN_FILE has mode $perms: it must not be readable by others nor writable by group or others (chmod 0600, or 0640 for a group)"; return 0 ;;
  esac
  if ! sed -n '1{s/[[:space:]]*$//;p;}' "$TOKEN_FILE" | grep -Eq '^[A-Za-z0-9._~+/=-]{8,512}$'; then
    echo "token file $TOKEN_FILE does not hold a token on its first line"; return 0
  fi
  return 1
}

# curl's configuration on stdin: the Authorization header, straight from the file.
auth_config() {
  [ -n "$TOKEN_FILE" ] || return 0
  sed -n '1{s/[[:space:]]*$//;s/^/header = "Authorization: Bearer /;s/$/"/;p;}' "$TOKEN_FILE" 2> /dev/null
}

# request METHOD PATH [BODY]: sets STATUS (000 when no answer) and CURL_ERROR; the answer's body is in
# $WORK/body, its headers in $WORK/headers.
request() {
  method=$1 path=$2 body=${3-}
  set -- -sS -X "$method" -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' \
    --connect-timeout "$REQ_TIMEOUT" --max-time "$REQ_TIMEOUT" -H 'Accept: application/json' \
    -H "User-Agent: $PROG/1" -K -
  if [ -n "$CA_FILE" ]; then set -- "$@" --cacert "$CA_FILE"; fi
  if [ -n "$body" ]; then set -- "$@" -H 'Content-Type: application/json' --data-binary "$body"; fi
  : > "$WORK/body"; : > "$WORK/headers"
  debug "$method $URL$path${body:+ $body}"
  STATUS=$(auth_config | curl "$@" "$URL$path" 2> "$WORK/curl.err")
  rc=$?
  CURL_ERROR=$(first_bytes 300 < "$WORK/curl.err")
  [ -n "$STATUS" ] || STATUS=000
  [ "$rc" -eq 0 ] || [ "$STATUS" != 000 ] || CURL_ERROR="curl exit $rc: $CURL_ERROR"
  debug "-> $STATUS"
}

# The message of a Kubernetes Status answer (or the start of the body).
answer_message() {
  msg=
  json_flatten < "$WORK/body" > "$WORK/status.flat" 2>/dev/null && msg=$(json_get message "$WORK/status.flat")
  [ -n "$msg" ] || msg=$(first_bytes 200 < "$WORK/body")
  printf '%s' "$msg"
}

retry_after() { sed -n 's/^[Rr][Ee][Tt][Rr][Yy]-[Aa][Ff][Tt][Ee][Rr]:[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$WORK/headers" | tail -n 1; }

# ---- timing ---------------------------------------------------------------------------------------

now() { date +%s; }

# A random integer in [0, $1].
random_upto() {
  r=$(od -An -N2 -tu2 /dev/urandom 2>/dev/null | tr -d ' ')
  [ -n "$r" ] || r=$(awk -v s="$$$(now)" 'BEGIN { srand(s); print int(rand() * 65536) }')
  echo $((r % ($1 + 1)))
}

# The next delay after a failure (attempt $1, from 1): exponential from 1 s to MESH_BACKOFF_MAX_SECONDS,
# "equal jitter" (half fixed, half random) so a fleet that lost the registry at once does not return at once;
# a Retry-After of the answer wins (capped by the same maximum).
backoff_delay() {
  after=$(retry_after)
  if [ -n "$after" ] && [ "$after" -gt 0 ]; then
    [ "$after" -le "$BACKOFF_MAX" ] || after=$BACKOFF_MAX
    echo "$after"; return
  fi
  d=1 i=1
  while [ "$i" -lt "$1" ] && [ "$d" -lt "$BACKOFF_MAX" ]; do d=$((d * 2)); i=$((i + 1)); done
  [ "$d" -le "$BACKOFF_MAX" ] || d=$BACKOFF_MAX
  half=$((d / 2))
  d=$((d - half + $(random_upto "$half")))
  [ "$d" -ge 1 ] || d=1
  echo "$d"
}

# Sleeps $1 seconds, woken at once by SIGTERM/SIGINT (a trapped signal interrupts `wait`, not `sleep`).
pause() {
  [ "$STOPPING" = 0 ] || return 0
  sleep "$1" &
  SLEEPER=$!
  wait "$SLEEPER" 2>/dev/null
  kill "$SLEEPER" 2>/dev/null
  SLEEPER=
}

# ---- the probe (the WorkloadGroup's spec.probe, as istio-agent runs it) ----------------------------

PROBE_KIND=none
probe_from_flat() {
  f=$1 p=$2
  PROBE_TIMEOUT=$(json_get "${p}timeoutSeconds" "$f"); PROBE_PERIOD=$(json_get "${p}periodSeconds" "$f")
  PROBE_SUCCESS=$(json_get "${p}successThreshold" "$f"); PROBE_FAILURE=$(json_get "${p}failureThreshold" "$f")
  PROBE_DELAY=$(json_get "${p}initialDelaySeconds" "$f")
  : > "$WORK/probe.headers"; : > "$WORK/probe.command"
  if [ -n "$(json_get "${p}httpGet.port" "$f")" ]; then
    PROBE_KIND=http
    PROBE_PORT=$(json_get "${p}httpGet.port" "$f"); PROBE_HOST=$(json_get "${p}httpGet.host" "$f")
    PROBE_PATH=$(json_get "${p}httpGet.path" "$f"); PROBE_SCHEME=$(json_get "${p}httpGet.scheme" "$f")
    i=0
    while name=$(json_get "${p}httpGet.httpHeaders.$i.name" "$f") && [ -n "$name" ]; do
      printf '%s: %s\n' "$name" "$(json_get "${p}httpGet.httpHeaders.$i.value" "$f")" >> "$WORK/probe.headers"
      i=$((i + 1))
    done
  elif [ -n "$(json_get "${p}tcpSocket.port" "$f")" ]; then
    PROBE_KIND=tcp
    PROBE_PORT=$(json_get "${p}tcpSocket.port" "$f"); PROBE_HOST=$(json_get "${p}tcpSocket.host" "$f")
  elif [ -n "$(json_get "${p}exec.command.0" "$f")" ]; then
    PROBE_KIND='exec'
    awk -F '	' -v p="${p}exec.command." 'index($1, p) == 1 && substr($1, length(p) + 1) ~ /^[0-9]+$/ { sub(/^[^	]*	/, ""); print }' "$f" > "$WORK/probe.command"
  fi
}

probe_from_env() {
  PROBE_TIMEOUT=${MESH_PROBE_TIMEOUT_SECONDS:-}; PROBE_PERIOD=${MESH_PROBE_PERIOD_SECONDS:-}
  PROBE_SUCCESS=${MESH_PROBE_SUCCESS_THRESHOLD:-}; PROBE_FAILURE=${MESH_PROBE_FAILURE_THRESHOLD:-}
  PROBE_DELAY=${MESH_PROBE_INITIAL_DELAY_SECONDS:-}
  : > "$WORK/probe.headers"; : > "$WORK/probe.command"
  if [ -n "${MESH_PROBE_HTTP_PORT:-}" ]; then
    PROBE_KIND=http PROBE_PORT=$MESH_PROBE_HTTP_PORT PROBE_HOST=${MESH_PROBE_HTTP_HOST:-}
    PROBE_PATH=${MESH_PROBE_HTTP_PATH:-} PROBE_SCHEME=${MESH_PROBE_HTTP_SCHEME:-}
  elif [ -n "${MESH_PROBE_TCP_PORT:-}" ]; then
    PROBE_KIND=tcp PROBE_PORT=$MESH_PROBE_TCP_PORT PROBE_HOST=${MESH_PROBE_TCP_HOST:-}
  elif [ -n "${MESH_PROBE_EXEC:-}" ]; then
    PROBE_KIND='exec'
    printf '%s\n%s\n%s\n' sh -c "$MESH_PROBE_EXEC" > "$WORK/probe.command"
  else
    PROBE_KIND=none
  fi
}

# istio-agent's defaults (fillInDefaults): thresholds 1, timeout 1 s, period 10 s, path "/", scheme
# http, host localhost. A value that is not a whole number is a configuration error.
probe_defaults() {
  PROBE_TIMEOUT=${PROBE_TIMEOUT:-0}; PROBE_PERIOD=${PROBE_PERIOD:-0}; PROBE_SUCCESS=${PROBE_SUCCESS:-0}
  PROBE_FAILURE=${PROBE_FAILURE:-0}; PROBE_DELAY=${PROBE_DELAY:-0}
  for v in "$PROBE_TIMEOUT" "$PROBE_PERIOD" "$PROBE_SUCCESS" "$PROBE_FAILURE" "$PROBE_DELAY" "${PROBE_PORT:-1}"; do
    case $v in *[!0-9]*) die "probe: $v is not a whole number" ;; esac
  done
  [ "$PROBE_TIMEOUT" -gt 0 ] || PROBE_TIMEOUT=1
  [ "$PROBE_PERIOD" -gt 0 ] || PROBE_PERIOD=10
  [ "$PROBE_SUCCESS" -gt 0 ] || PROBE_SUCCESS=1
  [ "$PROBE_FAILURE" -gt 0 ] || PROBE_FAILURE=1
  PROBE_HOST=${PROBE_HOST:-localhost}
  PROBE_PATH=${PROBE_PATH:-/}
  case $PROBE_PATH in /*) ;; *) PROBE_PATH=/$PROBE_PATH ;; esac
  PROBE_SCHEME=$(printf '%s' "${PROBE_SCHEME:-http}" | tr '[:upper:]' '[:lower:]')
  case $PROBE_HOST in *:*) PROBE_HOSTPORT="[$PROBE_HOST]:${PROBE_PORT:-}" ;; *) PROBE_HOSTPORT="$PROBE_HOST:${PROBE_PORT:-}" ;; esac
}

# The probe: the group's, when this token may read the group and it has one; else the local config.
PROBE_RETRY=0
load_probe() {
  source=config PROBE_RETRY=0
  if [ "${MESH_PROBE_FROM_GROUP:-true}" = true ] && token_problem > /dev/null; then
    PROBE_RETRY=1
  elif [ "${MESH_PROBE_FROM_GROUP:-true}" = true ]; then
    request GET "$API/namespaces/$NS/workloadgroups/$GROUP"
    # No answer yet (registry down, overloaded): ask again after the next registration.
    case $STATUS in 000|429|5??) PROBE_RETRY=1 ;; esac
    if [ "$STATUS" = 200 ] && json_flatten < "$WORK/body" > "$WORK/group.flat"; then
      probe_from_flat "$WORK/group.flat" spec.probe.
      [ "$PROBE_KIND" = none ] || source="workloadgroup $NS/$GROUP"
    else
      debug "the group's probe is not readable with this token ($STATUS): using the local config"
    fi
  fi
  if [ "$source" = config ]; then
    if [ -n "${MESH_PROBE:-}" ]; then
      printf '%s' "$MESH_PROBE" | json_flatten > "$WORK/probe.flat" || die "MESH_PROBE is not JSON"
      probe_from_flat "$WORK/probe.flat" ""
    else
      probe_from_env
    fi
  fi
  probe_defaults
  case $PROBE_KIND in
    http) log "probe ($source): HTTP GET $PROBE_SCHEME://$PROBE_HOSTPORT$PROBE_PATH every ${PROBE_PERIOD}s, timeout ${PROBE_TIMEOUT}s, success/failure thresholds $PROBE_SUCCESS/$PROBE_FAILURE" ;;
    tcp) log "probe ($source): TCP connect $PROBE_HOSTPORT every ${PROBE_PERIOD}s, timeout ${PROBE_TIMEOUT}s, success/failure thresholds $PROBE_SUCCESS/$PROBE_FAILURE" ;;
    exec) log "probe ($source): exec $(tr '\n' ' ' < "$WORK/probe.command")every ${PROBE_PERIOD}s, timeout ${PROBE_TIMEOUT}s, success/failure thresholds $PROBE_SUCCESS/$PROBE_FAILURE" ;;
    none) log "no probe configured: this VM reports itself healthy while it runs" ;;
  esac
}

# Runs the probe once: returns 0 when healthy, else sets PROBE_ERROR.
run_probe() {
  PROBE_ERROR=
  case $PROBE_KIND in
    http)
      target="$PROBE_SCHEME://$PROBE_HOSTPORT$PROBE_PATH"
      set -- -s -o /dev/null -w '%{http_code}' --max-time "$PROBE_TIMEOUT" -H "User-Agent: $PROG-probe/1"
      # As kubelet and istio-agent: the target's certificate is not verified.
      [ "$PROBE_SCHEME" = https ] && set -- "$@" -k
      while IFS= read -r header; do set -- "$@" -H "$header"; done < "$WORK/probe.headers"
      code=$(curl "$@" "$target"); rc=$?
      case $code in 2??|3??) return 0 ;; esac
      case $rc in
        0|22) PROBE_ERROR="HTTP GET $target: status $code" ;;
        7) PROBE_ERROR="HTTP GET $target: connection refused" ;;
        28) PROBE_ERROR="HTTP GET $target: timed out after ${PROBE_TIMEOUT}s" ;;
        *) PROBE_ERROR="HTTP GET $target: failed (curl exit $rc)" ;;
      esac
      return 1 ;;
    tcp)
      # telnet:// only connects (it sends nothing); a connection made is a success even when curl then
      # waits until the timeout for the peer to speak.
      connects=$(curl -s -o /dev/null -w '%{num_connects}' --max-time "$PROBE_TIMEOUT" "telnet://$PROBE_HOSTPORT" < /dev/null)
      rc=$?
      [ "${connects:-0}" -ge 1 ] && return 0
      case $rc in
        7) PROBE_ERROR="TCP connect $PROBE_HOSTPORT: connection refused" ;;
        28) PROBE_ERROR="TCP connect $PROBE_HOSTPORT: timed out after ${PROBE_TIMEOUT}s" ;;
        *) PROBE_ERROR="TCP connect $PROBE_HOSTPORT: failed (curl exit $rc)" ;;
      esac
      return 1 ;;
    exec)
      set --
      while IFS= read -r arg; do set -- "$@" "$arg"; done < "$WORK/probe.command"
      if command -v timeout >/dev/null 2>&1; then set -- timeout "$PROBE_TIMEOUT" "$@"; fi
      "$@" > "$WORK/probe.out" 2>&1 < /dev/null
      rc=$?
      [ "$rc" -eq 0 ] && return 0
      out=$(first_bytes 200 < "$WORK/probe.out" | sed 's/[[:space:]]*$//')
      if [ "$rc" -eq 124 ] && [ "$1" = timeout ]; then
        PROBE_ERROR="exec $(head -n 1 "$WORK/probe.command"): timed out after ${PROBE_TIMEOUT}s"
      else
        PROBE_ERROR="exec $(head -n 1 "$WORK/probe.command"): exit $rc${out:+: $out}"
      fi
      return 1 ;;
  esac
  return 0
}

# istio-agent's state machine (PerformApplicationHealthCheck): healthy after successThreshold
# consecutive successes, unhealthy after failureThreshold consecutive failures, starting unknown
# (reported as not healthy: istiod sends no traffic to an entry with health checks and no Healthy=True).
HEALTH=unknown HEALTH_MESSAGE="waiting for the first successful probe" OKS=0 FAILS=0
probe_once() {
  if run_probe; then
    OKS=$((OKS + 1)) FAILS=0
    if [ "$OKS" -ge "$PROBE_SUCCESS" ] && [ "$HEALTH" != healthy ]; then
      HEALTH=healthy HEALTH_MESSAGE='' OKS=0
      log "probe: healthy"
    fi
  else
    FAILS=$((FAILS + 1)) OKS=0
    debug "probe failed ($FAILS/$PROBE_FAILURE): $PROBE_ERROR"
    if [ "$HEALTH" = unknown ]; then
      HEALTH_MESSAGE="not yet healthy: $PROBE_ERROR"
    elif [ "$FAILS" -ge "$PROBE_FAILURE" ] || [ "$HEALTH" = unhealthy ]; then
      [ "$HEALTH" = unhealthy ] || log "probe: unhealthy: $PROBE_ERROR"
      HEALTH=unhealthy HEALTH_MESSAGE=$PROBE_ERROR FAILS=0
    fi
  fi
}

# What the next heartbeat says: the whole health, every time (the registry is level-triggered).
health_body() {
  if [ "$PROBE_KIND" = none ] || [ "$HEALTH" = healthy ]; then
    printf '{"healthy":true}'
  else
    printf '{"healthy":false,"message":%s}' "$(json_str "$(printf '%s' "$HEALTH_MESSAGE" | cut -c1-1000)")"
  fi
}

# ---- registration, heartbeat, deregistration ------------------------------------------------------

ENTRY='' ENTRY_PATH='' HB_PATH='' INTERVAL=10

# The name the registry gives: <group>-<address, ':' as '-'>[-<network>] (istiod's).
computed_name() {
  [ -n "${MESH_ADDRESS:-}" ] || return 0
  printf '%s-%s%s' "$GROUP" "$(printf '%s' "$MESH_ADDRESS" | tr ':' '-')" "${MESH_NETWORK:+-$MESH_NETWORK}"
}

registration_body() {
  body=
  add() { body="$body${body:+,}$1"; }
  [ -z "${MESH_ADDRESS:-}" ] || add "\"address\":$(json_str "$MESH_ADDRESS")"
  [ -z "${MESH_NETWORK:-}" ] || add "\"network\":$(json_str "$MESH_NETWORK")"
  [ -z "${MESH_LOCALITY:-}" ] || add "\"locality\":$(json_str "$MESH_LOCALITY")"
  [ -z "${MESH_LABELS:-}" ] || add "\"labels\":$(json_map "$MESH_LABELS")"
  [ -z "${MESH_PORTS:-}" ] || add "\"ports\":$(json_map "$MESH_PORTS" number)"
  if [ -n "${MESH_WEIGHT:-}" ]; then
    case $MESH_WEIGHT in *[!0-9]*) die "MESH_WEIGHT must be a whole number" ;; esac
    add "\"weight\":$MESH_WEIGHT"
  fi
  health=$(health_body)
  add "${health#\{}"
  printf '{%s' "$body"
}

# Sets INTERVAL from a lease in a flattened answer.
take_lease() {
  renew=$(json_get lease.renewIntervalSeconds "$1")
  case $renew in ''|*[!0-9]*|0) renew=10 ;; esac
  INTERVAL=${HB_OVERRIDE:-$renew}
}

# One registration attempt: 0 when registered; else 1 (STATUS and the reason logged).
register() {
  problem=$(token_problem) && { log "cannot register: $problem"; STATUS=000; : > "$WORK/headers"; return 1; }
  request POST "$API/namespaces/$NS/workloadgroups/$GROUP/register" "$(registration_body)"
  case $STATUS in
    200|201)
      json_flatten < "$WORK/body" > "$WORK/registration.flat" || { log "cannot read the registration answer"; return 1; }
      ENTRY=$(json_get workloadEntry.metadata.name "$WORK/registration.flat")
      [ -n "$ENTRY" ] || ENTRY=$(computed_name)
      [ -n "$ENTRY" ] || { log "the registration answer names no entry"; return 1; }
      HB_PATH=$(json_get lease.heartbeatPath "$WORK/registration.flat")
      ENTRY_PATH="$API/namespaces/$NS/workloadentries/$ENTRY"
      [ -n "$HB_PATH" ] || HB_PATH="$ENTRY_PATH/heartbeat"
      take_lease "$WORK/registration.flat"
      log "registered $NS/$ENTRY ($(json_get result "$WORK/registration.flat"), address $(json_get workloadEntry.spec.address "$WORK/registration.flat")): lease $(json_get lease.leaseDurationSeconds "$WORK/registration.flat")s, heartbeat every ${INTERVAL}s"
      return 0 ;;
    000) log "cannot reach the registry to register: $CURL_ERROR" ;;
    401) log "registration refused (401): the token is unknown, revoked or expired: $(answer_message)" ;;
    403) log "registration refused (403): $(answer_message)" ;;
    404) log "registration: workloadgroup $NS/$GROUP not found (404): $(answer_message)" ;;
    409) log "registration refused (409): $(answer_message)" ;;
    422) log "registration refused (422), check MESH_ADDRESS/NETWORK/LABELS/PORTS: $(answer_message)" ;;
    *) log "registration failed ($STATUS): $(answer_message)" ;;
  esac
  return 1
}

# One heartbeat: 0 renewed; 1 failed (retry with backoff); 2 the entry is gone (register again).
heartbeat() {
  problem=$(token_problem) && { log "cannot heartbeat: $problem"; STATUS=000; : > "$WORK/headers"; return 1; }
  request POST "$HB_PATH" "$(health_body)"
  case $STATUS in
    200)
      json_flatten < "$WORK/body" > "$WORK/heartbeat.flat" 2>/dev/null && take_lease "$WORK/heartbeat.flat"
      return 0 ;;
    404) log "$NS/$ENTRY is gone (404: deleted, or expired and removed): registering again"; return 2 ;;
    000) log "heartbeat failed: cannot reach the registry: $CURL_ERROR" ;;
    429|503) log "heartbeat not accepted ($STATUS): $(answer_message)" ;;
    *) log "heartbeat failed ($STATUS): $(answer_message)" ;;
  esac
  return 1
}

deregister() {
  [ -n "$ENTRY" ] || { log "stopping: not registered, nothing to deregister"; return 0; }
  if [ "${MESH_DEREGISTER_ON_EXIT:-true}" != true ]; then log "stopping: leaving $NS/$ENTRY to its lease (MESH_DEREGISTER_ON_EXIT=false)"; return 0; fi
  REQ_TIMEOUT=$((REQ_TIMEOUT < 5 ? REQ_TIMEOUT : 5))
  request DELETE "$ENTRY_PATH"
  case $STATUS in
    200|202) log "deregistered $NS/$ENTRY" ;;
    404) log "deregistered: $NS/$ENTRY was already gone" ;;
    000) log "deregistration failed: cannot reach the registry ($CURL_ERROR); the entry expires with its lease" ;;
    *) log "deregistration failed ($STATUS): $(answer_message); the entry expires with its lease" ;;
  esac
}

# ---- main loop ------------------------------------------------------------------------------------

STOPPING=0
trap 'STOPPING=1; [ -n "$SLEEPER" ] && kill "$SLEEPER" 2>/dev/null' TERM INT

log "starting: workloadgroup $NS/$GROUP at $URL"
# Malformed labels, ports or weight stop here, before any request.
json_map "${MESH_LABELS:-}" > /dev/null
json_map "${MESH_PORTS:-}" number > /dev/null
case ${MESH_WEIGHT:-0} in *[!0-9]*) die "MESH_WEIGHT must be a whole number" ;; esac
problem=$(token_problem) && log "warning: $problem"
load_probe
NEXT_PROBE=$(($(now) + PROBE_DELAY))
if [ "$PROBE_KIND" != none ] && [ "$PROBE_DELAY" = 0 ]; then probe_once; NEXT_PROBE=$(($(now) + PROBE_PERIOD)); fi

REGISTERED=0 FAILURES=0 NEXT_BEAT=0 SENT=
while [ "$STOPPING" = 0 ]; do
  if [ "$REGISTERED" = 0 ]; then
    # Register with today's health, not that of the last probe before a long outage.
    if [ "$PROBE_KIND" != none ] && [ "$(now)" -ge "$NEXT_PROBE" ]; then probe_once; NEXT_PROBE=$(($(now) + PROBE_PERIOD)); fi
    if register; then
      REGISTERED=1 FAILURES=0 SENT=$(health_body) NEXT_BEAT=$(($(now) + INTERVAL))
      [ "$PROBE_RETRY" = 0 ] || load_probe
    else
      FAILURES=$((FAILURES + 1))
      delay=$(backoff_delay "$FAILURES")
      log "registering again in ${delay}s"
      pause "$delay"
      continue
    fi
  fi
  t=$(now)
  if [ "$PROBE_KIND" != none ] && [ "$t" -ge "$NEXT_PROBE" ]; then
    probe_once
    t=$(now); NEXT_PROBE=$((t + PROBE_PERIOD))
  fi
  [ "$STOPPING" = 0 ] || break
  # A change of health is sent at once; otherwise every interval.
  if [ "$t" -ge "$NEXT_BEAT" ] || [ "$(health_body)" != "$SENT" ]; then
    current=$(health_body)
    heartbeat
    case $? in
      0) FAILURES=0 SENT=$current NEXT_BEAT=$(($(now) + INTERVAL)) ;;
      2) REGISTERED=0 FAILURES=0; continue ;;
      *) FAILURES=$((FAILURES + 1))
         delay=$(backoff_delay "$FAILURES")
         [ "$delay" -le "$INTERVAL" ] || [ -n "$(retry_after)" ] || delay=$INTERVAL
         log "heartbeat again in ${delay}s"
         SENT=$current NEXT_BEAT=$(($(now) + delay)) ;;
    esac
  fi
  t=$(now)
  wake=$NEXT_BEAT
  [ "$PROBE_KIND" = none ] || [ "$NEXT_PROBE" -ge "$wake" ] || wake=$NEXT_PROBE
  [ "$wake" -gt "$t" ] && pause $((wake - t))
done

trap - TERM INT
deregister
exit 0
