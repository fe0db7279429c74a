#!/usr/bin/env bash
# scripts/bench.sh - `make bench`: load the production binary and print one
# table. PostgreSQL comes up as for `make test`; the binary runs in
# production mode on a fresh database (cse_bench) with realistic data; load
# comes from a second process on loopback (wrk, and scripts/loadgen for the
# flash round trip). Raw output goes to .bench/<time>/ (git-ignored).
#
# Statements per request come from pg_stat_statements, which needs the
# local cluster's superuser (the script enables it and restarts PostgreSQL
# once). Peak memory is the server's VmHWM, reset before each scenario.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."

DURATION="${BENCH_DURATION:-10s}"
# Session writes that only move flash messages commit asynchronously in the
# main run (SESSION_ASYNC_COMMIT, see the README); scenario 3 is run again
# with every write durable.
ASYNC="${BENCH_ASYNC_COMMIT:-true}"
PORT="${BENCH_PORT:-5510}"
CONNS=32
OUT=".bench/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

for tool in "wrk wrk" "pgbench postgresql-contrib" "curl curl" "python3 python3"; do
	read -r name package <<<"$tool"
	scripts/need.sh "$name" "$package" "the benchmark"
done

if [[ -n "${DATABASE_URL:-}" ]]; then
	echo "bench: uses the local cluster of scripts/db.sh (unset DATABASE_URL)" >&2
	exit 1
fi
scripts/db.sh up >/dev/null
ADMIN="$(scripts/db.sh admin-url)"
PW="$(cat .pg/password)"
PGPORT_USED="$(sed -E 's#.*:([0-9]+)/.*#\1#' <<<"$ADMIN")"
SUPER="postgres://postgres:$PW@127.0.0.1:$PGPORT_USED/postgres?sslmode=disable"
BENCH_DB="${ADMIN/\/postgres\?//cse_bench?}"
q() { psql "$SUPER" -qtAX -c "$1"; }

# pg_stat_statements counts the statements the app sends.
if [[ "$(q 'SHOW shared_preload_libraries')" != *pg_stat_statements* ]]; then
	echo "enabling pg_stat_statements (restarts the local PostgreSQL once)"
	q "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" >/dev/null
	scripts/db.sh stop >/dev/null
	scripts/db.sh up >/dev/null
fi
q "DROP DATABASE IF EXISTS cse_bench WITH (FORCE)" >/dev/null
q "CREATE DATABASE cse_bench OWNER cse_motors" >/dev/null
q "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
BENCH_OID="$(q "SELECT oid FROM pg_database WHERE datname = 'cse_bench'")"

echo "building the production binary"
go build -trimpath -o bin/cse-motors .

SERVER_PID=""
SECRET="$(od -An -vtx1 -N64 /dev/urandom | tr -d ' \n')" # one for the run: cookies survive a restart
start_server() {
	env ENV_FILE=/dev/null APP_ENV=production PORT="$PORT" DATABASE_URL="$BENCH_DB" \
		SESSION_SECRET="$SECRET" LOG_SQL=false DEMO_ROUTES=true SESSION_ASYNC_COMMIT="$ASYNC" \
		TRUSTED_PROXIES=127.0.0.1 "$@" ./bin/cse-motors >>"$OUT/server.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 100); do
		curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && return 0
		sleep 0.1
	done
	echo "bench: the server did not start; see $OUT/server.log" >&2
	exit 1
}
stop_server() { [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true; }
FLOOR_PID="" LOADGEN=""
trap 'stop_server; for p in "$FLOOR_PID" "$LOADGEN"; do [[ -z "$p" ]] || kill "$p" 2>/dev/null || true; done' EXIT
start_server

# Realistic data: the seed inventory is there; one Client account whose
# password hash is that of Client!Pass2026, and $CONNS logged-in
# sessions, one per connection.
psql "$BENCH_DB" -qtAX -c "INSERT INTO account (account_firstname, account_lastname, account_email, account_password)
	VALUES ('Bench', 'Visitor', 'bench@example.com', '\$2a\$12\$NwCnUzIUYIivcJFGNklq..RyPtE97ckFgDqou6uAKSnwhQg5Z/V4C')" >/dev/null
: >"$OUT/cookies.txt"
for _ in $(seq "$CONNS"); do
	curl -s -o /dev/null -D - -H "Origin: http://127.0.0.1:$PORT" -H "Sec-Fetch-Site: same-origin" \
		--data-urlencode "account_email=bench@example.com" --data-urlencode 'account_password=Client!Pass2026' \
		"http://127.0.0.1:$PORT/account/login" | sed -n 's/^Set-Cookie: sessionId=\([^;]*\).*/\1/p' >>"$OUT/cookies.txt"
done
STATIC="$(curl -s "http://127.0.0.1:$PORT/" | sed -n 's/.*href="\(\/css\/styles\.css?v=[^"]*\)".*/\1/p' | head -1)"

reset_stats() {
	q "SELECT pg_stat_statements_reset()" >/dev/null
	echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || true
}
statements() { q "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = $BENCH_OID"; }
peak_mb() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER_PID/status"; }

ROWS=()
# run_wrk NAME CONNS URL [LUA_SCRIPT LUA_ARG]: one wrk run, one table row.
run_wrk() {
	local name="$1" conns="$2" url="$3" script="${4:-}" arg="${5:-}"
	local file
	file="$OUT/$(printf '%s-c%s' "$name" "$conns" | tr -c 'A-Za-z0-9.-' '_').txt"
	local args=(-t2 -c"$conns")
	[[ -n "$script" ]] && args+=(-s "$script")
	local tail=()
	[[ -n "$arg" ]] && tail=(-- "$arg")
	wrk "${args[@]}" -d2s "$url" "${tail[@]}" >/dev/null 2>&1 # warm up: caches, prepared statements
	reset_stats
	wrk "${args[@]}" -d"$DURATION" --latency "$url" "${tail[@]}" >"$file"
	local rps p50 p99 max reqs errs stmts
	rps="$(awk '/^Requests\/sec/ {print $2}' "$file")"
	p50="$(awk '$1 == "50%" {print $2}' "$file")"
	p99="$(awk '$1 == "99%" {print $2}' "$file")"
	max="$(awk '$1 == "Latency" {print $4}' "$file")"
	reqs="$(awk '/requests in/ {print $1}' "$file")"
	errs="$(awk '/Non-2xx|Socket errors/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i} END {print s + 0}' "$file")"
	stmts="$(statements)"
	ROWS+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %.3f | %s |' "$name" "$conns" "$rps" "$p50" "$p99" "$max" "$errs" \
		"$(awk -v s="$stmts" -v r="$reqs" 'BEGIN {print (r > 0 ? s / r : 0)}')" "$(peak_mb)")")
}

# PostgreSQL's own ceilings on this machine, measured right before and
# right after the scenario each is compared with (the mean is used), so
# that the VM's drift between minutes does not end up in the ratio:
# pgbench -S for scenario 2, and for scenario 3 the write ceiling, what one
# session-writing request does to the database (a primary-key SELECT, then
# a primary-key UPDATE, each its own durable transaction) on a table
# shaped like session, with the same number of clients.
q "DROP DATABASE IF EXISTS cse_pgbench WITH (FORCE)" >/dev/null
q "CREATE DATABASE cse_pgbench" >/dev/null
PGB="${SUPER/\/postgres\?//cse_pgbench?}"
pgbench -q -i -s 10 "$PGB" >/dev/null 2>&1
psql "$PGB" -qtAX -c "CREATE TABLE session_like (sid text PRIMARY KEY, sess jsonb NOT NULL, expire timestamptz NOT NULL);
	INSERT INTO session_like SELECT 's' || i, '{\"cookie\": {\"created\": \"2026-11-27T00:00:00Z\"}, \"flash\": {\"notice\": [\"This is a flash message.\"]}}', now() + interval '1 hour'
	FROM generate_series(1, 1000) i" >/dev/null
cat >"$OUT/write.sql" <<'SQL'
\set id random(1, 1000)
SELECT sess, expire, xmin::text FROM session_like WHERE sid = 's' || :id AND expire > now();
UPDATE session_like SET sess = sess, expire = now() + interval '1 hour' WHERE sid = 's' || :id;
SQL
# ceiling NAME ARGS...: one pgbench run; prints its transactions per
# second, or fails (and with it the assignment that calls it).
ceiling() {
	local name="$1" tps
	shift
	pgbench "$@" -c "$CONNS" -j 2 -T "${DURATION%s}" "$PGB" >"$OUT/pgbench-$name.txt" 2>&1 || true
	tps="$(awk '/^tps/ {print $3; exit}' "$OUT/pgbench-$name.txt")"
	if [[ -z "$tps" ]]; then
		echo "bench: pgbench ($name) failed; see $OUT/pgbench-$name.txt" >&2
		return 1
	fi
	echo "$tps"
}
mean() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f", (a + b) / 2}'; }

# The floors: scripts/httpfloor, a bare net/http server (with lib/pq for
# scenarios 2 and 3) sending the app's bytes and the app's statements,
# measured by the same load right after the app's run; what any Go server
# doing that work gets on this machine.
(cd scripts && go build -o ../bin/httpfloor ./httpfloor)
FLOOR="127.0.0.1:$((PORT + 1))"
# start_floor ARGS...: start the floor on $FLOOR and wait until it answers.
start_floor() {
	bin/httpfloor -addr "$FLOOR" "$@" 2>>"$OUT/floor.log" &
	FLOOR_PID=$!
	for i in $(seq 100); do
		curl -s -o /dev/null "http://$FLOOR/" && return 0
		kill -0 "$FLOOR_PID" 2>/dev/null && [[ "$i" -lt 100 ]] || { echo "bench: the floor server did not start; see $OUT/floor.log" >&2; exit 1; }
		sleep 0.1
	done
}
stop_floor() { kill "$FLOOR_PID" && wait "$FLOOR_PID" 2>/dev/null || true; FLOOR_PID=""; }
# capture NAME CURL_ARGS...: the app's response (status, headers, body) to
# one request, for the floor to send back byte for byte.
capture() {
	local name="$1"
	shift
	curl -si "$@" >"$OUT/capture-$name.http"
}

echo "running the scenarios ($DURATION each)"
run_wrk "1. GET / without cookie" 8 "http://127.0.0.1:$PORT/"
curl -s -o "$OUT/home.html" "http://127.0.0.1:$PORT/"
start_floor -body "$OUT/home.html"
wrk -t2 -c8 -d2s "http://$FLOOR/" >/dev/null 2>&1
wrk -t2 -c8 -d"$DURATION" --latency "http://$FLOOR/" >"$OUT/floor-c8.txt"
stop_floor
run_wrk "1. GET / without cookie" "$CONNS" "http://127.0.0.1:$PORT/"
SEL1="$(ceiling select-before -S)"
run_wrk "2. GET /account/ logged in" "$CONNS" "http://127.0.0.1:$PORT/account/" scripts/wrk/cookies.lua "$OUT/cookies.txt"
SEL2="$(ceiling select-after -S)"
PGB_PREP="$(ceiling select-prepared -S -M prepared)"
PGB_TPS="$(mean "$SEL1" "$SEL2")"
# Scenario 2's floor: the same SELECT per request on the same sessions,
# answered with the app's account page.
capture account -H "Cookie: sessionId=$(head -1 "$OUT/cookies.txt")" "http://127.0.0.1:$PORT/account/"
start_floor -db "$BENCH_DB" -account "$OUT/capture-account.http"
wrk -t2 -c"$CONNS" -d2s -s scripts/wrk/cookies.lua "http://$FLOOR/account/" -- "$OUT/cookies.txt" >/dev/null 2>&1
reset_stats
wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s scripts/wrk/cookies.lua "http://$FLOOR/account/" -- "$OUT/cookies.txt" >"$OUT/floor-2.txt"
FLOOR2_SQL="$(statements)"
stop_floor

(cd scripts && go build -o ../bin/loadgen ./loadgen) # the tools module, scripts/go.mod
# loadgen_run FILE URL ARGS...: one loadgen run of flash round trips,
# counting statements from the moment its sessions are ready.
loadgen_run() {
	local file="$1" url="$2"
	shift 2
	rm -f "$OUT/ready"
	bin/loadgen -url "$url" -c "$CONNS" -d "$DURATION" -ready "$OUT/ready" "$@" >"$file" &
	LOADGEN=$!
	until [[ -e "$OUT/ready" ]]; do sleep 0.1; kill -0 "$LOADGEN" 2>/dev/null || { echo "bench: loadgen failed" >&2; exit 1; }; done
	reset_stats
	rm -f "$OUT/ready"
	wait "$LOADGEN"
	LOADGEN=""
}
# run_flash NAME FILE: one loadgen run of flash round trips on the app, one
# table row; its sessions are written to $OUT/flash-sessions.txt for the floor.
run_flash() {
	loadgen_run "$2" "http://127.0.0.1:$PORT" -sessions 1000 -save-sessions "$OUT/flash-sessions.txt"
	ROWS+=("$(python3 - "$2" "$(statements)" "$(peak_mb)" "$CONNS" "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
per = int(sys.argv[2]) / max(r["requests"], 1)
print(f"| {sys.argv[5]} | {sys.argv[4]} | {r['requests_per_second']:.0f} req/s = {r['round_trips_per_second']:.0f} round trips/s | {r['p50_ms']:.2f}ms | {r['p99_ms']:.2f}ms | {r['max_ms']:.2f}ms | {r['errors']} (lost flashes: {r['lost_flashes']}) | {per:.3f} | {sys.argv[3]} |")
PY
)")
}
WR1="$(ceiling write-before -n -M prepared -f "$OUT/write.sql")"
run_flash "3. flash round trip (POST + GET, 1000 sessions; SESSION_ASYNC_COMMIT=$ASYNC)" "$OUT/flash.json"
WR2="$(ceiling write-after -n -M prepared -f "$OUT/write.sql")"
PGB_WRITE="$(mean "$WR1" "$WR2")"
# Scenario 3's floor: the same statements on the same sessions (loadgen
# reuses them: the floor cannot create sessions), answered with the app's
# bytes, captured from one of those sessions: the POST's 303, the page
# showing the message, the page with nothing to show.
read -r FCOOKIE FTOKEN <"$OUT/flash-sessions.txt"
capture flash-post -H "Cookie: $FCOOKIE" -H "Origin: http://127.0.0.1:$PORT" -H "Sec-Fetch-Site: same-origin" \
	--data-urlencode "csrf_token=$FTOKEN" "http://127.0.0.1:$PORT/demo/session/flash"
capture home-flash -H "Cookie: $FCOOKIE" "http://127.0.0.1:$PORT/"
capture home -H "Cookie: $FCOOKIE" "http://127.0.0.1:$PORT/"
if ! grep -q "This is a flash message." "$OUT/capture-home-flash.http" || grep -q "This is a flash message." "$OUT/capture-home.http"; then
	echo "bench: the captured pages for scenario 3's floor are not the page with the message and the page without; see $OUT/capture-*.http" >&2
	exit 1
fi
start_floor -db "$BENCH_DB" -async="$ASYNC" -flash-post "$OUT/capture-flash-post.http" \
	-home "$OUT/capture-home.http" -home-flash "$OUT/capture-home-flash.http"
loadgen_run "$OUT/floor-3.json" "http://$FLOOR" -use-sessions "$OUT/flash-sessions.txt"
FLOOR3_SQL="$(statements)"
stop_floor
ASYNC_MAIN="$ASYNC"
if [[ "$ASYNC" == true ]]; then
	stop_server
	ASYNC=false start_server
	run_flash "3. same, every write durable (SESSION_ASYNC_COMMIT=false)" "$OUT/flash-durable.json"
	stop_server
	start_server
fi
run_wrk "4. GET /inv/type/1 without cookie" "$CONNS" "http://127.0.0.1:$PORT/inv/type/1"
run_wrk "4. GET /inv/detail/5 without cookie" "$CONNS" "http://127.0.0.1:$PORT/inv/detail/5"
run_wrk "5. GET $STATIC" "$CONNS" "http://127.0.0.1:$PORT$STATIC"

# Scale: one million live sessions in the table, then a million expired
# ones deleted by the janitor (every second here) while scenario 2 runs.
echo "scale: one million sessions"
psql "$BENCH_DB" -qtAX -c "INSERT INTO session (sid, sess, expire)
	SELECT md5(i::text) || md5((i * 7)::text), '{\"cookie\": {}}', now() + interval '1 hour'
	FROM generate_series(1, 1000000) i" >/dev/null
psql "$BENCH_DB" -qtAX -c "VACUUM ANALYZE session" >/dev/null
run_wrk "2. same, 1M live rows in session" "$CONNS" "http://127.0.0.1:$PORT/account/" scripts/wrk/cookies.lua "$OUT/cookies.txt"
stop_server
psql "$BENCH_DB" -qtAX -c "INSERT INTO session (sid, sess, expire)
	SELECT 'old' || md5(i::text) || md5((i * 3)::text), '{}', now() - interval '1 minute'
	FROM generate_series(1, 1000000) i" >/dev/null
start_server SESSION_JANITOR_INTERVAL=1s
run_wrk "2. same, janitor deleting 1M expired rows" "$CONNS" "http://127.0.0.1:$PORT/account/" scripts/wrk/cookies.lua "$OUT/cookies.txt"
LEFT="$(psql "$BENCH_DB" -qtAX -c "SELECT count(*) FROM session WHERE expire <= now()")"

q "DROP DATABASE IF EXISTS cse_pgbench WITH (FORCE)" >/dev/null

{
	echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr); $(go version | cut -d' ' -f3); $(psql --version | cut -d' ' -f3-) ; wrk and the server share the machine"
	echo
	echo "| scenario | conns | requests/s | p50 | p99 | max | errors | SQL statements / request | server peak RSS (MB) |"
	echo "|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${ROWS[@]}"
	echo
	S2="$(awk '/^Requests\/sec/ {print $2}' "$OUT"/2._GET__account__logged_in-c"$CONNS".txt)"
	rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
	ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
	F1="$(rps "$OUT/floor-c8.txt")"
	echo "Scenario 1's floor, a bare net/http server sending the same page (8 connections, right after): $F1 req/s, p99 $(awk '$1 == "99%" {print $2}' "$OUT/floor-c8.txt"); the app reaches $(ratio "$(rps "$OUT/1._GET___without_cookie-c8.txt")" "$F1") of it."
	F2="$(rps "$OUT/floor-2.txt")"
	echo "Scenario 2's floor, bare net/http + lib/pq sending the same statement and page ($CONNS connections, right after): $F2 req/s, p99 $(awk '$1 == "99%" {print $2}' "$OUT/floor-2.txt"), $(awk -v s="$FLOOR2_SQL" -v r="$(awk '/requests in/ {print $1}' "$OUT/floor-2.txt")" 'BEGIN {printf "%.3f", (r > 0 ? s / r : 0)}') SQL statements / request; the app reaches $(ratio "$(rps "$OUT"/2._GET__account__logged_in-c"$CONNS".txt)" "$F2") of it."
	python3 - "$OUT/flash.json" "$OUT/floor-3.json" "$FLOOR3_SQL" "$ASYNC_MAIN" <<'PY'
import json, sys
app, floor = (json.load(open(f)) for f in sys.argv[1:3])
per = int(sys.argv[3]) / max(floor["requests"], 1)
print(f"Scenario 3's floor, bare net/http + lib/pq sending the same statements and bytes (SESSION_ASYNC_COMMIT={sys.argv[4]}, right after the ceiling): "
      f"{floor['requests_per_second']:.0f} req/s = {floor['round_trips_per_second']:.0f} round trips/s, p99 {floor['p99_ms']:.2f}ms, "
      f"{floor['errors']} errors, {floor['lost_flashes']} lost, {per:.3f} SQL statements / request; "
      f"the app reaches {app['requests_per_second'] / max(floor['requests_per_second'], 1e-9):.2f} of it.")
PY
	echo "Expired rows left after the janitor run: $LEFT of 1000000."
	echo "pgbench -S ($CONNS clients, right before and after scenario 2): $SEL1 and $SEL2 selects/s, mean $PGB_TPS (simple protocol); $PGB_PREP with -M prepared."
	echo "Scenario 2 reaches $(awk -v a="$S2" -v b="$PGB_TPS" 'BEGIN {printf "%.2f", a / b}') of the first and $(awk -v a="$S2" -v b="$PGB_PREP" 'BEGIN {printf "%.2f", a / b}') of the second."
	S3="$(python3 -c "import json; print(json.load(open('$OUT/flash.json'))['requests_per_second'])")"
	echo "Write ceiling (pgbench: a SELECT then an UPDATE by primary key on a table shaped like session, each committed durably, $CONNS clients; right before and after scenario 3): $WR1 and $WR2 per second, mean $PGB_WRITE."
	echo "Scenario 3 (SESSION_ASYNC_COMMIT=$ASYNC), every request of which writes (the POST queues its message, the page takes it): $S3 per second, $(awk -v a="$S3" -v b="$PGB_WRITE" 'BEGIN {printf "%.2f", a / b}') of that ceiling."
	if [[ -e "$OUT/flash-durable.json" ]]; then
		S3D="$(python3 -c "import json; print(json.load(open('$OUT/flash-durable.json'))['requests_per_second'])")"
		echo "Scenario 3 with every write durable: $S3D per second, $(awk -v a="$S3D" -v b="$PGB_WRITE" 'BEGIN {printf "%.2f", a / b}') of that ceiling."
	fi
} | tee "$OUT/table.md"
echo "raw output in $OUT"
