#!/usr/bin/env bash
# Checks ops/backup.sh and ops/restore.sh end to end: a throwaway PostgreSQL and the server, data written through the
# ClearML API (a task, scalars, a file), a backup taken while the server runs, a restore into a new database and data
# directory, and a second server on the restored copy that must read everything back. Usage: bash ops/backup-restore-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="$(mktemp -d /tmp/mlops-backup-XXXXXX)"
PG_BIN="$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")"
export PGHOST=127.0.0.1 PGPORT=55498 PGUSER=postgres
AS_PG=(); if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS_PG=(su postgres -c); fi
run_pg() { if [ ${#AS_PG[@]} -gt 0 ]; then "${AS_PG[@]}" "$*"; else bash -c "$*"; fi; }
cleanup() {
  kill ${SERVERS:-} 2>/dev/null || true
  run_pg "$PG_BIN/pg_ctl -D $WORK/pg -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
run_pg "$PG_BIN/initdb -D $WORK/pg -U postgres -A trust -E UTF8" >/dev/null
run_pg "$PG_BIN/pg_ctl -D $WORK/pg -l $WORK/pg.log -w -o '-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1' start" >/dev/null
createdb mlops
dotnet build -c Release -v q -nologo src/MlOps.Api >/dev/null
serve() { # database, data dir, port
  (cd src/MlOps.Api/bin/Release/net10.0 && MlOps__Database__Provider=Postgres ConnectionStrings__MlOps="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=$1" \
    MlOps__DataDir="$2" MlOps__Bootstrap__AccessKey=BACKUPCHECKACCESSKEY MlOps__Bootstrap__SecretKey=backup-check-secret-key \
    ASPNETCORE_URLS="http://127.0.0.1:$3" exec dotnet MlOps.Api.dll >"$WORK/server-$3.log" 2>&1) &
  SERVERS="${SERVERS:-} $!"
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$3/health/ready" >/dev/null && return; sleep 1; done
  echo "server on :$3 did not start"; exit 1
}
call() { # port, token, endpoint, json
  curl -sf -H "Authorization: Bearer $2" -H 'Content-Type: application/json' "http://127.0.0.1:$1/$3" -d "$4"
}
token() { curl -sf -u BACKUPCHECKACCESSKEY:backup-check-secret-key "http://127.0.0.1:$1/auth.login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["data"]["token"])'; }
field() { python3 -c "import sys,json; d=json.load(sys.stdin)['data']; print($1)"; }

serve mlops "$WORK/data" 18101
T=$(token 18101)
PROJECT=$(call 18101 "$T" projects.create '{"name": "backup check"}' | field 'd["id"]')
TASK=$(call 18101 "$T" tasks.create "{\"name\": \"before backup\", \"type\": \"training\", \"project\": \"$PROJECT\"}" | field 'd["id"]')
python3 -c "
import json
print('\n'.join(json.dumps({'type': 'training_stats_scalar', 'task': '$TASK', 'iter': i, 'metric': 'loss', 'variant': 'train', 'value': 1 / (i + 1), 'timestamp': 1790000000000 + i}) for i in range(1000)))" > "$WORK/events.jsonl"
curl -sf -H "Authorization: Bearer $T" -H 'Content-Type: application/json-lines' --data-binary @"$WORK/events.jsonl" http://127.0.0.1:18101/events.add_batch >/dev/null
head -c 1000000 /dev/urandom > "$WORK/weights.bin"
curl -sf -H "Authorization: Bearer $T" -F "backup/weights.bin=@$WORK/weights.bin" http://127.0.0.1:18101/files >/dev/null

bash ops/backup.sh mlops "$WORK/data" "$WORK/backup"
bash ops/restore.sh "$WORK/backup" restored "$WORK/restored-data"

serve restored "$WORK/restored-data" 18102
T2=$(token 18102)
NAME=$(call 18102 "$T2" tasks.get_by_id "{\"task\": \"$TASK\"}" | field 'd["task"]["name"]')
POINTS=$(call 18102 "$T2" events.scalar_metrics_iter_raw "{\"task\": \"$TASK\", \"metric\": {\"metric\": \"loss\"}, \"key\": \"iter\", \"batch_size\": 5000}" | field 'len(d["variants"]["train"]["iter"])')
curl -sf -H "Authorization: Bearer $T2" -o "$WORK/restored.bin" http://127.0.0.1:18102/files/backup/weights.bin
[ "$NAME" = "before backup" ] || { echo "task not restored: $NAME"; exit 1; }
[ "$POINTS" = 1000 ] || { echo "points not restored: $POINTS"; exit 1; }
cmp -s "$WORK/weights.bin" "$WORK/restored.bin" || { echo "file not restored byte for byte"; exit 1; }
echo "backup/restore verified: task, 1000 points and a 1 MB file read back from the restored copy"
