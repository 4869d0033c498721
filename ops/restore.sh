#!/usr/bin/env bash
# Restores a backup made by ops/backup.sh into an empty database and data directory (stop the server first; start it
# after: it applies any newer migrations itself).
# Usage: PGHOST=.. PGPORT=.. PGUSER=.. [PGPASSWORD=..] bash ops/restore.sh <backup dir> <new database> <new MlOps:DataDir>
set -euo pipefail
IN=$1; DB=$2; DATA_DIR=$3
createdb "$DB"
pg_restore --no-owner --dbname "$DB" "$IN/mlops.dump"
mkdir -p "$DATA_DIR"
cp -a "$IN/data/." "$DATA_DIR/"
echo "restored $IN into $DB and $DATA_DIR"
