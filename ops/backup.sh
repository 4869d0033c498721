#!/usr/bin/env bash
# Backs up a PostgreSQL-backed server: the database first (a consistent snapshot while the server runs), then the
# data directory's blob store. Blobs are written before the rows that name them and are never changed, so every blob
# the dump refers to is in the copy taken after it.
# Usage: PGHOST=.. PGPORT=.. PGUSER=.. [PGPASSWORD=..] bash ops/backup.sh <database> <MlOps:DataDir> <backup dir>
set -euo pipefail
DB=$1; DATA_DIR=$2; OUT=$3
mkdir -p "$OUT"
pg_dump --format=custom --file "$OUT/mlops.dump" "$DB"
mkdir -p "$OUT/data"
cp -a "$DATA_DIR/." "$OUT/data/"
echo "backed up $DB and $DATA_DIR to $OUT"
