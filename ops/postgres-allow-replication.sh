#!/bin/sh
# Run once by the postgres image when it creates its database: lets the streaming read replica
# (docker-compose.yml, `replicas` profile) copy and follow it with the same user and password.
set -e
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
