#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for tests, on a free loopback port (see /work/shared/STACK.md).
#
#   eval "$(scripts/pg.sh start)"      # prints export lines: MTP_TEST_PG, MTP_PG_DIR, MTP_PG_CTL
#   scripts/pg.sh start --env FILE     # also writes the same lines to FILE
#   scripts/pg.sh stop "$MTP_PG_DIR"   # stops the server and removes the directory (idempotent)
#   scripts/pg.sh restart "$MTP_PG_DIR" # fast restart on the same port (reconnect tests)
#
# Works as root (initdb refuses root: every server command runs as `postgres` via runuser)
# and as an ordinary user (commands run as that user). fsync is off: test data only.
# Progress goes to stderr; only the export lines go to stdout, so `eval` sees nothing else.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

die() { echo "pg.sh: $*" >&2; exit 1; }

# Runs a command as the server's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  # Ask the kernel for a free port; fall back to a random high port if python3 is missing.
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
  else
    echo $(( 20000 + RANDOM % 30000 ))
  fi
}

start() {
  local env_file=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --env) env_file=${2:?--env needs a file}; shift 2 ;;
      *) die "unknown option: $1" ;;
    esac
  done
  [ -x "$PGBIN/initdb" ] || die "no PostgreSQL binaries in $PGBIN (apt-get install postgresql-15)"

  local dir pass port attempt
  dir=$(mktemp -d "${TMPDIR:-/tmp}/mtp-pg.XXXXXX")
  # Whatever fails from here on, leave nothing running and nothing behind.
  STARTING_DIR=$dir
  trap 'stop "$STARTING_DIR" >/dev/null 2>&1 || true' EXIT
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
  chmod 700 "$dir"
  pass=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')

  as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }

  # A free port may be taken between asking and binding: try a few.
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    echo "$port" >"$dir/port"
    if as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 2>&1 3>&-; then
      break
    fi
    [ "$attempt" -lt 5 ] || { tail -20 "$dir/server.log" >&2; die "pg_ctl start failed"; }
  done

  as_owner "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE mtp LOGIN PASSWORD '$pass'" \
    -c "CREATE DATABASE mtp_test OWNER mtp" >/dev/null ||
    die "creating the role and database failed"
  trap - EXIT

  local out
  out="export MTP_TEST_PG='postgresql://mtp:$pass@127.0.0.1:$port/mtp_test'
export MTP_PG_DIR='$dir'
export MTP_PG_CTL='$(cd "$(dirname "$0")" && pwd)/pg.sh'"
  echo "$out" >"$dir/env"
  if [ -n "$env_file" ]; then echo "$out" >"$env_file"; fi
  echo "$out"
  echo "pg.sh: PostgreSQL 15 on 127.0.0.1:$port, data in $dir" >&2
}

# Refuses to touch a directory that pg.sh did not create.
check_dir() {
  local dir=$1
  case "$dir" in
    */mtp-pg.*) ;;
    *) die "refusing to touch $dir: not a pg.sh directory" ;;
  esac
}

stop() {
  local dir=${1:-${MTP_PG_DIR:-}}
  [ -n "$dir" ] || die "usage: pg.sh stop DIR"
  check_dir "$dir"
  [ -d "$dir" ] || return 0  # already gone: stopping twice is fine
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

restart() {
  local dir=${1:-${MTP_PG_DIR:-}}
  [ -n "$dir" ] || die "usage: pg.sh restart DIR"
  check_dir "$dir"
  [ -d "$dir/data" ] || die "no server in $dir"
  local port; port=$(cat "$dir/port")
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null 2>&1 3>&- || { tail -20 "$dir/server.log" >&2; die "restart failed"; }
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  start) start "$@" ;;
  stop) stop "$@" ;;
  restart) restart "$@" ;;
  *) echo "usage: pg.sh start [--env FILE] | stop DIR | restart DIR" >&2; exit 2 ;;
esac
