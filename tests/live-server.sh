# Sourced by the live client tests (tests/*/run.sh): a temp dir kept on failure, an optional throwaway PostgreSQL, and
# the Release server on a free port. The caller sets NAME (for the verdict line), KEEP and POSTGRES (0 or 1) and may
# set PROXY (a pid to stop at the end); it calls live_start NAME-PREFIX, then live_server SERVER-ARGS..., which sets BASE.
PYTHON=${PYTHON:-/usr/bin/python3}
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

live_cleanup() {
  rc=$?
  [ -n "${PROXY:-}" ] && kill "$PROXY" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  if [ -n "$PGBIN" ]; then su -s /bin/sh postgres -c "$PGBIN/pg_ctl -D $WORK/pg/data -m immediate stop" >/dev/null 2>&1 \
    || "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
  if [ $rc -eq 0 ]; then echo "=== PASS: $NAME ($DB) ==="
  else
    echo "=== FAIL: $NAME ($DB), failed at: $STEP ==="
    [ -f "$WORK/server.log" ] && { echo "--- server log (warnings/errors, last 40) ---"; grep -E '\[(WRN|ERR|FTL)\]|Exception' "$WORK/server.log" | tail -40 || true; }
  fi
  if [ "$KEEP" -eq 1 ] || [ $rc -ne 0 ]; then echo "logs and data kept in $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}

# live_start PREFIX: the temp dir /tmp/PREFIX.XXXXXX ($WORK), and the cleanup that reports the verdict.
live_start() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 755 "$WORK"
  SERVER="" PGBIN="" STEP=setup DB=sqlite
  trap live_cleanup EXIT
  trap 'exit 130' INT TERM
}

# live_server ARGS...: PostgreSQL when POSTGRES=1, then the Release server with a fresh data dir and ARGS; sets BASE.
live_server() {
  local db_args=()
  if [ "$POSTGRES" -eq 1 ]; then
    DB=postgres STEP="start PostgreSQL"
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -x "$PGBIN/initdb" ] || { echo "no initdb/pg_ctl under /usr/lib/postgresql"; exit 1; }
    local pgport; pgport=$(free_port); mkdir -p "$WORK/pg"
    as_pg() { if [ "$(id -u)" = 0 ]; then su -s /bin/sh postgres -c "$*"; else sh -c "$*"; fi; }
    [ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
    as_pg "$PGBIN/initdb -D $WORK/pg/data -U postgres -A trust --no-sync -E UTF8" >"$WORK/pg.log" 2>&1
    as_pg "$PGBIN/pg_ctl -D $WORK/pg/data -l $WORK/pg/log -w -t 60 -o '-p $pgport -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off' start" >>"$WORK/pg.log" 2>&1
    db_args=(--MlOps:Database:Provider=Postgres "--ConnectionStrings:MlOps=Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres")
  fi

  STEP="build the server"
  echo "building the server (Release)..."
  dotnet build src/MlOps.Api -c Release -v q -nologo >"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; exit 1; }

  STEP="start the server"
  BASE=http://127.0.0.1:${PORT:-$(free_port)}
  dotnet src/MlOps.Api/bin/Release/net10.0/MlOps.Api.dll --urls "$BASE" --MlOps:DataDir="$WORK/data" "$@" "${db_args[@]}" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 90); do
    curl -sf "$BASE/health/ready" >/dev/null && break
    kill -0 $SERVER 2>/dev/null || { tail -30 "$WORK/server.log"; exit 1; }
    sleep 1
  done
  curl -sf "$BASE/health/ready" >/dev/null || { echo "server not ready after 90 s"; exit 1; }
  echo "server up at $BASE ($DB), data in $WORK"
}
