#!/usr/bin/env bash
# scripts/cluster.sh - several instances of the production binary behind
# HAProxy, on PgBouncer in transaction mode, on the local PostgreSQL of
# scripts/db.sh: how the app runs past one machine, on one machine.
#
# Usage:
#   scripts/cluster.sh run [N]      start N instances (default 3), print the address, stop on Ctrl-C (make cluster)
#   scripts/cluster.sh start [N]    the same, in the background
#   scripts/cluster.sh stop         stop everything the cluster started (make cluster-stop)
#   scripts/cluster.sh restart I    SIGTERM instance I, wait for it to end, start it again
#   scripts/cluster.sh kill I       SIGKILL instance I, start it again
#
# Settings (environment): CLUSTER_PORT (8080) the address's port,
# CLUSTER_STATS_PORT (8404) HAProxy's status page, CLUSTER_BASE_PORT (5601)
# the first instance's port, CLUSTER_PGBOUNCER_PORT (6432),
# CLUSTER_DB_CONNS (10) each instance's DB_MAX_OPEN_CONNS, CLUSTER_POOLER
# (transaction) its DATABASE_POOLER, CLUSTER_DEMO_ROUTES (false).
# Configuration: scripts/cluster/haproxy.cfg and pgbouncer.ini (commented);
# state, logs and the generated copies: .cluster/ (git-ignored). The
# cluster's database is cse_cluster; PostgreSQL keeps running after stop
# (make db-stop stops it).
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
DIR="$ROOT/.cluster"
CLUSTER_PORT="${CLUSTER_PORT:-8080}"
STATS_PORT="${CLUSTER_STATS_PORT:-8404}"
BASE_PORT="${CLUSTER_BASE_PORT:-5601}"
PGB_PORT="${CLUSTER_PGBOUNCER_PORT:-6432}"

die() {
	echo "cluster.sh: $*" >&2
	exit 1
}

bin_of() { command -v "$1" 2>/dev/null || echo "/usr/sbin/$1"; }

# healthy PORT: does the instance on PORT pass its health check?
healthy() { curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$1/healthz"; }

# alive PIDFILE: is the process of PIDFILE running?
alive() { [[ -f "$1" ]] && kill -0 "$(<"$1")" 2>/dev/null; }

# start_instance I: start instance I in the background and wait until it is healthy.
start_instance() {
	local i="$1" port=$((BASE_PORT + $1 - 1))
	# shellcheck disable=SC1091 # written by cmd_start
	source "$DIR/env"
	# setsid: Ctrl-C in the terminal reaches cluster.sh, which stops the
	# instances itself, in order (SIGTERM, drain), not all at once.
	env ENV_FILE=/dev/null APP_ENV=production PORT="$port" DATABASE_URL="$CLUSTER_DATABASE_URL" \
		DATABASE_POOLER="${CLUSTER_POOLER:-transaction}" DB_MAX_OPEN_CONNS="${CLUSTER_DB_CONNS:-10}" \
		SESSION_SECRET="$(<"$DIR/secret")" LOG_SQL=false DEMO_ROUTES="${CLUSTER_DEMO_ROUTES:-false}" \
		TRUSTED_PROXIES=127.0.0.1 SHUTDOWN_DRAIN=1500ms SHUTDOWN_TIMEOUT=10s \
		setsid "$ROOT/bin/cse-motors" >>"$DIR/app$i.log" 2>&1 </dev/null &
	echo $! >"$DIR/app$i.pid"
	for _ in $(seq 100); do
		healthy "$port" && return 0
		alive "$DIR/app$i.pid" || die "instance $i exited at start; see .cluster/app$i.log"
		sleep 0.1
	done
	die "instance $i did not become healthy in 10 s; see .cluster/app$i.log"
}

# stop_pid PIDFILE SIGNAL: signal the process and wait (up to 20 s) until it is gone.
stop_pid() {
	local f="$1" sig="$2" pid
	[[ -f "$f" ]] || return 0
	pid="$(<"$f")"
	if kill -0 "$pid" 2>/dev/null; then
		kill "-$sig" "$pid" 2>/dev/null || true
		for _ in $(seq 200); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$f"
}

cmd_start() {
	local n="${1:-3}"
	[[ "$n" =~ ^[1-9][0-9]?$ ]] || die "N must be a number of instances from 1 to 99, got '$n'"
	if compgen -G "$DIR/*.pid" >/dev/null; then
		die "a cluster is already running (or was not stopped): run  scripts/cluster.sh stop  (make cluster-stop)"
	fi
	scripts/need.sh haproxy haproxy "make cluster (the load balancer)"
	scripts/need.sh pgbouncer pgbouncer "make cluster (the transaction pooler)"
	scripts/need.sh curl curl "make cluster (health checks)"
	scripts/db.sh up >/dev/null
	mkdir -p "$DIR"
	chmod 755 "$DIR" # PgBouncer, run as postgres when we are root, reads its files here
	go build -trimpath -o bin/cse-motors .

	# The cluster's own database, kept between runs (sessions survive a restart).
	local admin pw pg_port
	admin="$(scripts/db.sh admin-url)"
	echo "SELECT 'CREATE DATABASE cse_cluster' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'cse_cluster') \gexec" |
		psql "$admin" -qtAX >/dev/null
	pw="$(<.pg/password)"
	pg_port="$(<.pg/port)"
	[[ -f "$DIR/secret" ]] || (umask 077 && od -An -vtx1 -N64 /dev/urandom | tr -d ' \n' >"$DIR/secret")

	# PgBouncer: the committed configuration with this checkout's ports.
	sed -e "s|@PG_PORT@|$pg_port|" -e "s|@PGBOUNCER_PORT@|$PGB_PORT|" -e "s|@DIR@|$DIR|" \
		scripts/cluster/pgbouncer.ini >"$DIR/pgbouncer.ini"
	(umask 077 && printf '"cse_motors" "%s"\n' "$pw" >"$DIR/userlist.txt")
	local as=()
	if [[ "$(id -u)" -eq 0 ]]; then
		chown postgres: "$DIR/pgbouncer.ini" "$DIR/userlist.txt"
		as=(-u postgres) # PgBouncer refuses to run as root
	fi
	setsid "$(bin_of pgbouncer)" "${as[@]}" "$DIR/pgbouncer.ini" >>"$DIR/pgbouncer.log" 2>&1 </dev/null &
	echo $! >"$DIR/pgbouncer.pid"
	for _ in $(seq 50); do
		timeout 1 bash -c ": </dev/tcp/127.0.0.1/$PGB_PORT" 2>/dev/null && break
		alive "$DIR/pgbouncer.pid" || die "PgBouncer exited at start (is port $PGB_PORT taken? set CLUSTER_PGBOUNCER_PORT); see .cluster/pgbouncer.log"
		sleep 0.1
	done
	echo "CLUSTER_DATABASE_URL='postgres://cse_motors:$pw@127.0.0.1:$PGB_PORT/cse_cluster?sslmode=disable'" >"$DIR/env"
	echo "$n" >"$DIR/instances"

	# The instances. The first one migrates the schema alone; the others start together.
	start_instance 1
	local i starting=()
	for ((i = 2; i <= n; i++)); do
		start_instance "$i" &
		starting+=($!)
	done
	for i in "${starting[@]}"; do wait "$i" || die "an instance did not start"; done

	# HAProxy: the committed configuration plus one server line per instance.
	cp scripts/cluster/haproxy.cfg "$DIR/haproxy.cfg"
	for ((i = 1; i <= n; i++)); do
		echo "    server app$i 127.0.0.1:$((BASE_PORT + i - 1))" >>"$DIR/haproxy.cfg"
	done
	CLUSTER_ADDR="127.0.0.1:$CLUSTER_PORT" CLUSTER_STATS_ADDR="127.0.0.1:$STATS_PORT" \
		setsid "$(bin_of haproxy)" -db -f "$DIR/haproxy.cfg" >>"$DIR/haproxy.log" 2>&1 </dev/null &
	echo $! >"$DIR/haproxy.pid"
	for _ in $(seq 50); do
		curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$CLUSTER_PORT/healthz" && break
		alive "$DIR/haproxy.pid" || die "HAProxy exited at start (is port $CLUSTER_PORT taken? set CLUSTER_PORT); see .cluster/haproxy.log"
		sleep 0.1
	done
	echo "CSE Motors: $n instances (ports $BASE_PORT-$((BASE_PORT + n - 1))) behind HAProxy, on PgBouncer (transaction mode, port $PGB_PORT)"
	echo "  site:          http://127.0.0.1:$CLUSTER_PORT"
	echo "  HAProxy stats: http://127.0.0.1:$STATS_PORT"
	echo "  logs:          .cluster/*.log"
}

cmd_stop() {
	[[ -d "$DIR" ]] || {
		echo "no cluster"
		return 0
	}
	# The balancer first (no new requests), then each instance with SIGTERM
	# (it drains and finishes what it serves), then the pooler.
	stop_pid "$DIR/haproxy.pid" TERM
	local f stopping=()
	for f in "$DIR"/app*.pid; do
		if [[ -e "$f" ]]; then
			stop_pid "$f" TERM &
			stopping+=($!)
		fi
	done
	for f in "${stopping[@]}"; do wait "$f"; done
	stop_pid "$DIR/pgbouncer.pid" INT # INT: let clients finish, then exit
	echo "cluster stopped (PostgreSQL still runs: make db-stop stops it)"
}

cmd_run() {
	trap 'echo; cmd_stop; exit 0' INT TERM
	cmd_start "$@"
	echo "Ctrl-C (or make cluster-stop) stops it all."
	# Until Ctrl-C, or until make cluster-stop ends HAProxy.
	while alive "$DIR/haproxy.pid"; do sleep 0.5; done
	trap - INT TERM
	cmd_stop >/dev/null
	echo "cluster stopped"
}

# cmd_restart I SIGNAL: stop instance I with SIGNAL and start it again.
cmd_restart() {
	local i="$1" sig="$2"
	[[ -f "$DIR/app$i.pid" ]] || die "no instance $i running"
	stop_pid "$DIR/app$i.pid" "$sig"
	start_instance "$i"
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
run) cmd_run "$@" ;;
start) cmd_start "$@" ;;
stop) cmd_stop ;;
restart) cmd_restart "${1:?instance number}" TERM ;;
kill) cmd_restart "${1:?instance number}" KILL ;;
*)
	sed -n '6,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
	;;
esac
