#!/usr/bin/env bash
# scripts/soak.sh - `make soak`: the production binary under steady mixed
# load (anonymous pages, logged-in pages, flash round trips) while the
# local PostgreSQL is stopped for 10 s and started again. It prints what
# was sent and answered, the 5xx other than the intended 503, how long the
# requests that need a session took at worst, and the sessions and flash
# messages lost. Raw output goes to .bench/soak-<time>/.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."

PORT="${SOAK_PORT:-5520}"
OUT=".bench/soak-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
if [[ -n "${DATABASE_URL:-}" ]]; then
	echo "soak: stops and starts the local cluster of scripts/db.sh (unset DATABASE_URL)" >&2
	exit 1
fi
scripts/need.sh curl curl "the soak test"
scripts/need.sh python3 python3 "the soak test"
scripts/db.sh up >/dev/null
ADMIN="$(scripts/db.sh admin-url)"
psql "$ADMIN" -qtAX -c "DROP DATABASE IF EXISTS cse_soak WITH (FORCE)" -c "CREATE DATABASE cse_soak" >/dev/null
DB="${ADMIN/\/postgres\?//cse_soak?}"

go build -trimpath -o bin/cse-motors .
(cd scripts && go build -o ../bin/loadgen ./loadgen) # the tools module, scripts/go.mod
env ENV_FILE=/dev/null APP_ENV=production PORT="$PORT" DATABASE_URL="$DB" LOG_SQL=false DEMO_ROUTES=true \
	SESSION_SECRET="$(od -An -vtx1 -N64 /dev/urandom | tr -d ' \n')" ./bin/cse-motors >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; scripts/db.sh up >/dev/null' EXIT
for i in $(seq 101); do
	curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break
	[[ $i -le 100 ]] || { echo "soak: the server did not start; see $OUT/server.log" >&2; exit 1; }
	sleep 0.1
done

psql "$DB" -qtAX -c "INSERT INTO account (account_firstname, account_lastname, account_email, account_password)
	VALUES ('Soak', 'Visitor', 'soak@example.com', '\$2a\$12\$NwCnUzIUYIivcJFGNklq..RyPtE97ckFgDqou6uAKSnwhQg5Z/V4C')" >/dev/null
: >"$OUT/cookies.txt"
for _ in $(seq 16); do
	curl -s -o /dev/null -D - -H "Origin: http://127.0.0.1:$PORT" -H "Sec-Fetch-Site: same-origin" \
		--data-urlencode "account_email=soak@example.com" --data-urlencode 'account_password=Client!Pass2026' \
		"http://127.0.0.1:$PORT/account/login" | sed -n 's/^Set-Cookie: sessionId=\([^;]*\).*/\1/p' >>"$OUT/cookies.txt"
done

echo "30 s of mixed load; PostgreSQL stopped from 10 s to 20 s"
bin/loadgen -mode mixed -url "http://127.0.0.1:$PORT" -c 16 -d 30s -sessions 160 -cookies "$OUT/cookies.txt" >"$OUT/result.json" &
LOAD=$!
sleep 10
scripts/db.sh stop >/dev/null
echo "PostgreSQL stopped"
sleep 10
scripts/db.sh up >/dev/null
echo "PostgreSQL started again"
wait "$LOAD"
ALIVE="yes"
kill -0 "$SERVER" 2>/dev/null || ALIVE="no (it exited)"

python3 - "$OUT/result.json" "$ALIVE" <<'PY' | tee "$OUT/table.md"
import json, sys
r = json.load(open(sys.argv[1]))
print("| PostgreSQL stopped 10 s under load | figure |")
print("|---|---|")
rows = [("requests sent / answered", f"{r['sent']} / {r['answered']}"),
        ("not answered (transport errors)", r["unanswered"]),
        ("503 (intended, with Retry-After)", r["intended_503"]),
        ("other 5xx", r["other_5xx"]),
        ("requests needing a session answered after more than 2 s", r["session_requests_over_2s"]),
        ("slowest request needing a session", f"{r['max_session_request_ms']:.0f} ms"),
        ("anonymous page views not answered 200", r["anonymous_not_200"]),
        ("flash messages stored / shown / lost", f"{r['flashes_stored']} / {r['flashes_shown']} / {r['flashes_lost']}"),
        ("logged-in sessions lost", r["sessions_lost"]),
        ("server still running", sys.argv[2])]
for k, v in rows:
    print(f"| {k} | {v} |")
PY
echo "raw output in $OUT"
