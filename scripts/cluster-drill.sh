#!/usr/bin/env bash
# scripts/cluster-drill.sh - `make cluster-drill`: deploys and crashes
# under load. Starts `make cluster` (3 instances, the flash demo route on),
# logs 16 visitors in, and while they browse and post flash messages:
#   1. a rolling restart: each instance in turn gets SIGTERM (it drains,
#      finishes its requests, exits) and is started again;
#   2. a SIGKILL of each instance in turn, with requests in flight, each
#      started again.
# Prints, for each: requests, 5xx, resets, sessions kept, flashes kept.
# Exits non-zero when anything was lost. Logs: .cluster/*.log.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
N="${CLUSTER_INSTANCES:-3}"
PORT="${CLUSTER_PORT:-8080}"
if [[ -n "${DATABASE_URL:-}" ]]; then
	echo "cluster-drill: runs on the local PostgreSQL of scripts/db.sh (unset DATABASE_URL)" >&2
	exit 1
fi
export CLUSTER_DEMO_ROUTES=true
scripts/cluster.sh start "$N"
trap 'scripts/cluster.sh stop >/dev/null' EXIT
(cd scripts && go build -o ../bin/clusterdrill ./clusterdrill) # the tools module, scripts/go.mod

# The visitors' account (password Client!Pass2026), as scripts/soak.sh makes it.
DB="$(scripts/db.sh admin-url)"
DB="${DB/\/postgres\?//cse_cluster?}"
psql "$DB" -qtAX >/dev/null <<'SQL'
INSERT INTO account (account_firstname, account_lastname, account_email, account_password)
SELECT 'Drill', 'Visitor', 'drill@example.com', '$2a$12$NwCnUzIUYIivcJFGNklq..RyPtE97ckFgDqou6uAKSnwhQg5Z/V4C'
WHERE NOT EXISTS (SELECT FROM account WHERE account_email = 'drill@example.com');
SQL

rolling="" killing=""
for ((i = 1; i <= N; i++)); do
	# 2 s between instances: HAProxy puts a restarted instance back after two good checks (1 s).
	rolling+="scripts/cluster.sh restart $i && sleep 2 && "
	killing+="scripts/cluster.sh kill $i && sleep 2 && "
done
drill() { bin/clusterdrill -url "http://127.0.0.1:$PORT" -c 16 -email drill@example.com -password 'Client!Pass2026' "$@"; }

echo
echo "| under load, $N instances, 16 logged-in visitors | requests | 5xx | resets | sessions kept | flashes kept |"
echo "|---|---|---|---|---|---|"
status=0
drill -name "rolling restart (SIGTERM, start, next)" -during "${rolling}true" || status=1
drill -name "SIGKILL of each instance in turn, restarted" -during "${killing}true" || status=1
echo
echo "requests HAProxy sent again, to another instance: $(grep -cE -- ' [-A-Za-z]{4} [0-9]+/[0-9]+/[0-9]+/[0-9]+/\+?[1-9]' .cluster/haproxy.log || true) (.cluster/haproxy.log)"
exit "$status"
