#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL cluster: an unprivileged user, loopback only,
# a temp directory; stopped and removed on exit, whether the command passed or failed.
# The command sees LABORCOMMONS_TEST_POSTGRES_URL.
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
workdir=$(mktemp -d /tmp/laborcommons-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: use the postgres system user from Debian's package.
  chown postgres "$workdir"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM
"${as_pg[@]}" "$pgbin/initdb" -D "$workdir/data" -U laborcommons -A trust --no-sync >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$workdir/data" -w -l "$workdir/log" start -o \
  "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
export LABORCOMMONS_TEST_POSTGRES_URL="postgresql+psycopg://laborcommons@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway)"
"$@"
