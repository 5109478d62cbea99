#!/usr/bin/env bash
# Runs a command with HELIX_TEST_DATABASE_URL pointing at a throwaway PostgreSQL 15 server (the
# oldest the project supports), started on a free loopback port and stopped afterwards. Installs
# Debian's postgresql-15 when it is missing. Meant for CI, which runs as root: the server runs as
# the postgres system user.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/postgres" ]; then
  echo "with-postgresql-15: installing Debian's postgresql-15" >&2
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 >/dev/null
fi
run_as=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  run_as=(runuser -u postgres --)
fi
dir="$(mktemp -d /tmp/helix-pg15.XXXXXX)"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"${run_as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
"${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
stop() {
  "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true
  rm -rf "$dir"
}
trap stop EXIT
echo "with-postgresql-15: $("$bin/postgres" --version) on 127.0.0.1:$port" >&2
HELIX_TEST_DATABASE_URL="jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres" "$@"
