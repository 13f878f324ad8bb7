# Sourced by the benchmarks that compare the embedded store with PostgreSQL: starts Debian's PostgreSQL in a
# temporary data directory (as the postgres user when run as root) on a free loopback port, with the same settings
# as the tests' server, and stops it on exit. Sets PG_URL to a fresh database's store URL (superuser, no password).
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
pg_dir="$(mktemp -d)"
pg_port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U notebookml --auth=trust --no-sync >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -o "-p $pg_port -k $pg_dir -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
stop_postgres() { as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
psql -q "postgresql://notebookml@127.0.0.1:$pg_port/postgres" -c "CREATE DATABASE bench"
PG_URL="postgresql://notebookml@127.0.0.1:$pg_port/bench"
