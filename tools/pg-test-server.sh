#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL server on loopback for the test suite and print its URL.
# Usage: tools/pg-test-server.sh start|stop [PORT]
set -euo pipefail
cmd=${1:-start}
port=${2:-${PAP_PG_PORT:-55432}}
dir=/tmp/pap-pg-$port
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (tools/system-deps.sh installs it)" >&2; exit 1; }
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      rm -rf "$dir"; mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
      as_pg "$bin/initdb" -D "$dir" -U postgres -A trust --no-sync >/dev/null
    fi
    if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$dir" -w -l "$dir/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
    fi
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='pap_test'" | grep -q 1 \
      || "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres pap_test
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/pap_test"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
