#!/usr/bin/env bash
# MTP as a cluster on loopback (issue 16 item 5): a pg_auto_failover monitor and two PostgreSQL
# nodes (primary + synchronous standby), two mtpd replicas on them through a multi-host libpq
# URL (target_session_attrs=read-write: each connection finds the primary, also after a
# failover), and HAProxy in front checking /readyz with keep-alive upstream connections.
# docs/deploy.md shows the same layout on real machines.
#
#   scripts/cluster.sh up       # start everything; prints the URL and writes $MTP_CLUSTER_DIR/cluster.env
#   scripts/cluster.sh status   # the formation's state and settings, each mtpd's and HAProxy's /readyz
#   scripts/cluster.sh down     # stop everything and remove the directory (MTP_CLUSTER_KEEP=1: keep it)
#
# All state lives in one directory, MTP_CLUSTER_DIR (default ${TMPDIR:-/tmp}/mtp-cluster); ports
# are chosen free. Works as root (PostgreSQL refuses root: every PostgreSQL command runs as
# `postgres` through runuser, with a clean environment, see /work/shared/STACK.md) and as a
# normal user. Binaries: MTPD_BIN / MTPCTL_BIN, or build/, build-rel/, build-asan/ of this tree.
# The monitor's failure detection is lowered for loopback (a node is lost after ~8 s, not 20 s,
# and the standby promoted 10 s later, not 30); mtpd runs --policies-from-db (the builtin roles are pushed as version 1 on first start).
# The first start bootstraps a provider and its owner: set MTP_BOOTSTRAP_EMAIL and
# MTP_BOOTSTRAP_PASSWORD, or read the one-time password in $MTP_CLUSTER_DIR/mtpd-a.log.
set -euo pipefail
umask 077  # logs hold the first owner's one-time password; cluster.env the database password

ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=${MTP_CLUSTER_DIR:-${TMPDIR:-/tmp}/mtp-cluster}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
P=$D/pg  # PostgreSQL's part (owned by postgres when run as root)

die() { echo "cluster.sh: $*" >&2; exit 1; }
say() { echo "cluster.sh: $*" >&2; }

find_bin() {  # NAME: the first built one
  local name=$1 var dir
  var=$(echo "${name}_BIN" | tr a-z A-Z)
  if [ -n "${!var:-}" ]; then echo "${!var}"; return; fi
  for dir in "${MTP_BUILD_DIR:-}" "$ROOT/build" "$ROOT/build-rel" "$ROOT/build-asan"; do
    [ -n "$dir" ] || continue
    for f in "$dir/service/main/$name" "$dir/service/ctl/$name"; do
      [ -x "$f" ] && { echo "$f"; return; }
    done
  done
  die "no $name binary: build first (scripts/build.sh) or set $var"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Runs a PostgreSQL / pg_autoctl command as the server's owner with a clean environment.
as_pg() {
  local envs=(PATH="$PGBIN:/usr/bin:/bin" HOME="$P" XDG_CONFIG_HOME="$P/cfg" XDG_DATA_HOME="$P/data"
              XDG_RUNTIME_DIR="$P/run" PGHOST="$P/sock" PG_REGRESS_SOCK_DIR="$P/sock" LANG=C.UTF-8)
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- env -i "${envs[@]}" "$@"
  else
    env -i "${envs[@]}" "$@"
  fi
}

# Starts a command in a process group of its own (so that `down`, and a test simulating the loss
# of a whole node, can stop everything it forked); prints the group id.
spawn() {
  local log=$1; shift
  setsid "$@" >>"$log" 2>&1 </dev/null 3>&- &
  echo $!
}

psql_at() {  # PORT SQL...: as the superuser over the socket
  local port=$1; shift
  as_pg "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$P/sock" -p "$port" -U postgres "$@"
}

wait_until() {  # SECONDS WHAT COMMAND...
  local limit=$1 what=$2; shift 2
  local end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || die "timed out after ${limit}s waiting for $what"
    sleep 0.5
  done
}

formation_state() { as_pg pg_autoctl show state --pgdata "$P/mon" 2>/dev/null; }
both_nodes_ready() {
  local s
  s=$(formation_state) || return 1
  grep -Eq '\|\s+primary\s+\|\s+primary\s*$' <<<"$s" && grep -Eq '\|\s+secondary\s+\|\s+secondary\s*$' <<<"$s"
}
checkpoint_then_ready() {
  psql_at "$1" -d postgres -c CHECKPOINT >/dev/null 2>&1 || true
  both_nodes_ready
}
one_node_ready() { formation_state | grep -Eq '\|\s+single\s+\|\s+single\s*$'; }
ready() { curl -fsS -m 2 "http://127.0.0.1:$1/readyz"; }

load_env() {
  [ -f "$D/cluster.env" ] || die "no cluster in $D (scripts/cluster.sh up)"
  # shellcheck disable=SC1091
  . "$D/cluster.env"
}

up() {
  command -v pg_autoctl >/dev/null || die "pg_autoctl missing: scripts/install-deps.sh (pg-auto-failover-cli, postgresql-15-auto-failover)"
  command -v haproxy >/dev/null || die "haproxy missing: scripts/install-deps.sh"
  [ -x "$PGBIN/postgres" ] || die "no PostgreSQL 15 in $PGBIN"
  [ ! -e "$D/cluster.env" ] || die "$D holds a cluster already: scripts/cluster.sh down first"
  local mtpd mtpctl
  mtpd=$(find_bin mtpd)
  mtpctl=$(find_bin mtpctl)
  rm -rf "$D"  # the logs of an earlier failed `up`
  # Whatever fails from here on, stop what started (the logs stay in $D).
  trap 'say "up failed: stopping what started (logs in $D)"; MTP_CLUSTER_KEEP=1 down' EXIT
  mkdir -p "$D" "$P"/{cfg,data,run,sock}
  chmod 700 "$D" "$P"
  # As root, postgres must pass through $D (711: it lists nothing) to its own $P.
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$P"; chmod 711 "$D"; fi

  local p0 p1 p2 m1 m2 h pass t0=$SECONDS
  p0=$(free_port); p1=$(free_port); p2=$(free_port); m1=$(free_port); m2=$(free_port); h=$(free_port)
  pass=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  local monitor="postgres://autoctl_node@127.0.0.1:$p0/pg_auto_failover?sslmode=disable"
  local url="postgresql://mtp:$pass@127.0.0.1:$p1,127.0.0.1:$p2/mtp?target_session_attrs=read-write&connect_timeout=2"
  {
    echo "# scripts/cluster.sh up, $(date -u +%FT%TZ)"
    echo "MTP_CLUSTER_DIR='$D'"
    echo "MTP_CLUSTER_URL='http://127.0.0.1:$h'"
    echo "MTP_CLUSTER_DB='$url'"
    echo "MTP_CLUSTER_MONITOR='$monitor'"
    echo "MTP_CLUSTER_PG_PORTS='$p0 $p1 $p2'"
    echo "MTP_CLUSTER_MTPD_PORTS='$m1 $m2'"
  } >"$D/cluster.env"
  chmod 600 "$D/cluster.env"

  say "monitor on 127.0.0.1:$p0"
  local g
  g=$(spawn "$D/monitor.log" bash -c "PGBIN='$PGBIN'; P='$P'; $(declare -f as_pg); as_pg pg_autoctl create monitor --pgdata '$P/mon' --pgport $p0 --hostname 127.0.0.1 --auth trust --no-ssl --run")
  echo "MTP_CLUSTER_MONITOR_PGID=$g" >>"$D/cluster.env"
  wait_until 60 "the monitor" psql_at "$p0" -d pg_auto_failover -c "SELECT 1"
  # Loopback: declare a node lost after about 8 s instead of 20 and promote the standby 10 s later
  # instead of 30 (defaults: period 5000, timeout 5000, 2 retries 2000 apart, unhealthy 20000,
  # demote 30000). A postmaster that dies is restarted by its keeper in a second or two, well
  # within that, without a failover. The keepers demote a primary cut off from the monitor and
  # the standby after 5 s instead of 20 (set below), before the demote timeout: never two
  # primaries.
  psql_at "$p0" -d pg_auto_failover \
    -c "ALTER SYSTEM SET pgautofailover.health_check_period = 1000" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_timeout = 2000" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_max_retries = 2" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 1000" \
    -c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 8000" \
    -c "ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 10000" \
    -c "SELECT pg_reload_conf()" >/dev/null

  local i port
  for i in 1 2; do
    port=$([ $i -eq 1 ] && echo "$p1" || echo "$p2")
    say "PostgreSQL node $i on 127.0.0.1:$port"
    g=$(spawn "$D/node$i.log" bash -c "PGBIN='$PGBIN'; P='$P'; $(declare -f as_pg); as_pg pg_autoctl create postgres --pgdata '$P/n$i' --pgport $port --hostname 127.0.0.1 --name node$i --auth trust --no-ssl --monitor '$monitor' --run")
    echo "MTP_CLUSTER_NODE${i}_PGID=$g" >>"$D/cluster.env"
    if [ $i -eq 1 ]; then
      wait_until 90 "node 1 (single)" one_node_ready
      # The application's role and database (replicated to the standby); scram over TCP.
      psql_at "$p1" -d postgres -c "CREATE ROLE mtp LOGIN PASSWORD '$pass'" -c "CREATE DATABASE mtp OWNER mtp" >/dev/null
    else
      # The standby's pg_basebackup asks for a spread checkpoint (minutes on a quiet primary):
      # an immediate CHECKPOINT on the primary makes it finish at once.
      wait_until 120 "primary + secondary" checkpoint_then_ready "$p1"
    fi
  done
  for i in 1 2; do
    # pg_hba.conf is not replicated: both nodes.
    echo "host mtp mtp 127.0.0.1/32 scram-sha-256" | as_pg tee -a "$P/n$i/pg_hba.conf" >/dev/null
    # A primary cut off from the monitor and the standby demotes itself after 5 s (default 20),
    # before the monitor's demote timeout (10 s, above) lets the standby take over.
    as_pg pg_autoctl config set --pgdata "$P/n$i" timeout.network_partition_timeout 5 >/dev/null
    as_pg pg_autoctl reload --pgdata "$P/n$i" >/dev/null 2>&1 || true
  done
  psql_at "$p1" -d postgres -c "SELECT pg_reload_conf()" >/dev/null
  psql_at "$p2" -d postgres -c "SELECT pg_reload_conf()" >/dev/null
  say "formation ready in $((SECONDS - t0)) s: $(psql_at "$p1" -d postgres -c "SHOW synchronous_standby_names")"

  "$mtpd" migrate --db "$url" >>"$D/mtpd-migrate.log" 2>&1 || { cat "$D/mtpd-migrate.log" >&2; die "mtpd migrate failed"; }
  if [ -z "$("$mtpctl" policy versions --db "$url")" ]; then
    "$mtpctl" policy push --db "$url" --by cluster.sh "$ROOT/policies/builtin" >&2
  fi
  local web=none
  [ -d "$ROOT/web/dist" ] && web="$ROOT/web/dist"
  local name mport
  for name in a b; do
    mport=$([ $name = a ] && echo "$m1" || echo "$m2")
    g=$(spawn "$D/mtpd-$name.log" "$mtpd" --db "$url" --listen "127.0.0.1:$mport" --policies-from-db \
          --jwt-key-file "$D/jwt.key" --web "$web" --trusted-proxy 127.0.0.1/32 ${MTPD_ARGS:-})
    echo "MTP_CLUSTER_MTPD_$(echo $name | tr a-z A-Z)_PGID=$g" >>"$D/cluster.env"
    # One at a time: the first one bootstraps the owner and creates the signing key.
    wait_until 60 "mtpd $name on 127.0.0.1:$mport" ready "$mport"
    say "mtpd $name on 127.0.0.1:$mport"
  done

  cat >"$D/haproxy.cfg" <<EOF
global
  maxconn 4096
  stats socket $D/haproxy.sock mode 600 level admin

defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 10s
  timeout queue 5s
  option http-keep-alive
  option forwardfor
  # Only a request that never reached mtpd is retried (on the other replica).
  retries 2
  option redispatch
  retry-on conn-failure
  # No replica ready (no primary reachable, both restarting): the API's error shape, retry soon.
  http-error status 503 content-type application/json string '{"error":{"code":"unavailable","message":"no replica is ready, retry shortly"}}' hdr Retry-After 1

frontend mtp
  bind 127.0.0.1:$h
  default_backend mtpd

backend mtpd
  balance roundrobin
  http-reuse always
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2 maxconn 128
  server a 127.0.0.1:$m1 check
  server b 127.0.0.1:$m2 check
EOF
  haproxy -c -q -f "$D/haproxy.cfg" || die "haproxy.cfg does not check"
  haproxy -D -f "$D/haproxy.cfg" -p "$D/haproxy.pid" >>"$D/haproxy.log" 2>&1 || die "haproxy did not start"
  wait_until 20 "HAProxy on 127.0.0.1:$h" ready "$h"
  trap - EXIT
  say "up in $((SECONDS - t0)) s"
  echo "MTP cluster: http://127.0.0.1:$h  (state and logs: $D; cluster.env for the database URL)"
}

status() {
  load_env
  echo "directory: $MTP_CLUSTER_DIR"
  echo "HAProxy:   $MTP_CLUSTER_URL"
  formation_state || echo "(monitor unreachable)"
  as_pg pg_autoctl show settings --pgdata "$P/mon" 2>/dev/null || true
  local port name=a
  for port in $MTP_CLUSTER_MTPD_PORTS; do
    echo "mtpd $name 127.0.0.1:$port /readyz: $(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")"
    name=b
  done
  echo "HAProxy /readyz: $(curl -s -m 2 -o /dev/null -w '%{http_code}' "$MTP_CLUSTER_URL/readyz")"
}

stop_group() {  # PGID SIGNAL
  [ -n "${1:-}" ] || return 0
  kill "-$2" -- "-$1" 2>/dev/null || true
}

group_alive() { kill -0 -- "-$1" 2>/dev/null; }

down() {
  if [ ! -f "$D/cluster.env" ]; then say "nothing to stop in $D"; return 0; fi
  load_env
  [ -f "$D/haproxy.pid" ] && kill "$(cat "$D/haproxy.pid")" 2>/dev/null || true
  local g
  for g in "${MTP_CLUSTER_MTPD_A_PGID:-}" "${MTP_CLUSTER_MTPD_B_PGID:-}"; do stop_group "$g" TERM; done
  # Standby, primary, then the monitor; pg_autoctl stops its postgres.
  local n
  for n in n2 n1 mon; do
    [ -d "$P/$n" ] && as_pg pg_autoctl stop --pgdata "$P/$n" >/dev/null 2>&1 || true
  done
  local end=$((SECONDS + 20))
  for g in "${MTP_CLUSTER_MTPD_A_PGID:-}" "${MTP_CLUSTER_MTPD_B_PGID:-}" "${MTP_CLUSTER_NODE2_PGID:-}" \
           "${MTP_CLUSTER_NODE1_PGID:-}" "${MTP_CLUSTER_MONITOR_PGID:-}"; do
    [ -n "$g" ] || continue
    while group_alive "$g" && [ $SECONDS -lt $end ]; do sleep 0.2; done
    group_alive "$g" && stop_group "$g" KILL
  done
  # A postgres whose keeper was killed with the group may remain: stop it by its data folder.
  for n in n2 n1 mon; do
    [ -f "$P/$n/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$P/$n" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
  done
  if [ "${MTP_CLUSTER_KEEP:-0}" = 1 ]; then
    rm -f "$D/cluster.env"
    say "stopped; state kept in $D"
  else
    rm -rf "$D"
    say "stopped and removed $D"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: scripts/cluster.sh up|down|status" >&2; exit 2 ;;
esac
