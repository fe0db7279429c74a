#!/usr/bin/env bash
# scripts/db.sh - a private PostgreSQL cluster for local development and tests.
#
# Usage:
#   scripts/db.sh up          start (creating it the first time) the local cluster
#   scripts/db.sh stop        stop the local cluster (pg_ctl stop -m fast)
#   scripts/db.sh url         print the app database URL
#   scripts/db.sh admin-url   print a URL tests use to create throwaway databases
#   scripts/db.sh psql [ARGS] open psql on the app database
#
# When DATABASE_URL is set in the environment, nothing local is started and
# url/admin-url print DATABASE_URL unchanged.
#
# The cluster lives in .pg/ (git-ignored):
#   .pg/password      generated password (mode 600) of roles postgres and cse_motors
#   .pg/port          the port of this checkout's cluster
#   .pg/data          data directory (or a symlink to it, see below)
#   .pg/postgres.log  server log (or a symlink to it)
# It listens on 127.0.0.1 only and its Unix socket is in the data directory, so
# it never clashes with a system cluster. The port is PGPORT_LOCAL when set ("up"
# fails if another program has it), else the one in .pg/port, else 5433. When
# another program (e.g. another checkout's cluster) has that port, "up" moves to
# the next free one, says so and remembers it in .pg/port.
#
# PostgreSQL refuses to run as root, so when this script runs as root the server
# tools run as the "postgres" user. If that user cannot reach the project folder
# (e.g. a CI clone under /root, whose mode is 700), or the path is too long for
# a Unix socket, the data directory goes to /var/tmp/cse-motors-pg-<hash>/ and
# .pg/data and .pg/postgres.log are symlinks to it.
#
# PostgreSQL's server programs (postgres, initdb, pg_ctl) are looked for in
# PG_BIN when set, then on PATH (Homebrew, Postgres.app, Fedora's and Arch's
# /usr/bin), then in `pg_config --bindir`, then in Debian's and Ubuntu's
# /usr/lib/postgresql/<version>/bin (newest first; PG_DEBIAN_DIR moves that
# folder, for the tests), then in Homebrew's and Postgres.app's folders. When
# none has them, "up" names the install command of the machine's package
# manager (apt-get, dnf, pacman, brew), and runs it as root with apt-get.
#
# Deleting .pg/ (after "scripts/db.sh stop") resets the database.
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
PG_DIR="$ROOT/.pg"
PW_FILE="$PG_DIR/password"
PORT_FILE="$PG_DIR/port"
APP_ROLE="cse_motors"
APP_DB="cse_motors"
SERVER_USER="postgres" # OS user that runs the server when we are root

die() {
	echo "db.sh: $*" >&2
	exit 1
}

is_root() { [[ "$(id -u)" -eq 0 ]]; }

if [[ -n "${PGPORT_LOCAL:-}" ]]; then
	PORT="$PGPORT_LOCAL"
	[[ "$PORT" =~ ^[0-9]{1,5}$ ]] || die "PGPORT_LOCAL must be a port number, got '$PORT'"
elif [[ -f "$PORT_FILE" ]]; then
	PORT="$(<"$PORT_FILE")"
	[[ "$PORT" =~ ^[0-9]{1,5}$ ]] || die "$PORT_FILE does not hold a port number: delete it"
else
	PORT=5433
fi

AS_SERVER=() # the command prefix that runs a server tool as the cluster's OS user
if is_root; then AS_SERVER=(runuser -u "$SERVER_USER" --); fi

# run_pg CMD...: run a PostgreSQL server tool as the OS user owning the cluster,
# from / (root's working directory may be closed to "postgres"). File
# descriptor 9 (the "up" lock) is closed: a server started by pg_ctl would
# otherwise keep it, and the lock, for as long as it runs.
run_pg() { (cd / && "${AS_SERVER[@]}" "$@" 9>&-); }

# can_reach PATH: can the server's OS user enter PATH (and all its parents)?
can_reach() { "${AS_SERVER[@]}" test -x "$1" 2>/dev/null; }

# own_for_server PATH...: hand PATH over to the server's OS user (when root).
own_for_server() { if is_root; then chown "$SERVER_USER:" "$@"; fi; }

# --- Finding (or installing) PostgreSQL ---

# has_server DIR: does DIR hold PostgreSQL's server programs?
has_server() { [[ -x "$1/postgres" && -x "$1/initdb" && -x "$1/pg_ctl" ]]; }

# pg_bin_dirs: print the folders that may hold the server programs, best
# first (see the header). Some may not exist; callers check has_server.
pg_bin_dirs() {
	local p
	if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; fi
	# The folder as PATH names it, not resolved: a symlink farm works too.
	if p="$(command -v pg_ctl 2>/dev/null)"; then dirname -- "$p"; fi
	if command -v pg_config >/dev/null 2>&1; then pg_config --bindir 2>/dev/null || true; fi
	# sort -V orders 9.6 < 15 < 16 correctly.
	printf '%s\n' "${PG_DEBIAN_DIR:-/usr/lib/postgresql}"/*/bin | sort -rV
	printf '%s\n' /opt/homebrew/opt/postgresql*/bin /usr/local/opt/postgresql*/bin | sort -rV
	echo /Applications/Postgres.app/Contents/Versions/latest/bin
}

# newest_pg_bin: print the first folder of pg_bin_dirs with a server, or nothing.
newest_pg_bin() {
	local dir
	while IFS= read -r dir; do
		if has_server "$dir"; then
			echo "$dir"
			return 0
		fi
	done < <(pg_bin_dirs)
}

# pg_bin_for VERSION: print a folder whose server is major version VERSION
# (the version a data directory was made with), or nothing.
pg_bin_for() {
	local dir v
	while IFS= read -r dir; do
		has_server "$dir" || continue
		# "postgres (PostgreSQL) 15.18 (Debian ...)": major 15 (9.6 for 9.6.x)
		v="$("$dir/postgres" --version 2>/dev/null | sed -n 's/^[^0-9]*\([0-9][0-9]*\)\.\([0-9]*\).*/\1 \2/p')"
		if [[ "${v% *}" == "$1" || "${v/ /.}" == "$1" ]]; then
			echo "$dir"
			return 0
		fi
	done < <(pg_bin_dirs)
}

# psql_bin DIR: the psql beside the server in DIR, else the one on PATH
# (a folder of links may hold the server programs only).
psql_bin() {
	if [[ -n "$1" && -x "$1/psql" ]]; then
		echo "$1/psql"
	else
		command -v psql || true
	fi
}

# install_hint: the command that installs PostgreSQL's server on this machine.
install_hint() {
	if command -v apt-get >/dev/null 2>&1; then
		echo "sudo apt-get install -y postgresql"
	elif command -v dnf >/dev/null 2>&1; then
		echo "sudo dnf install -y postgresql-server"
	elif command -v pacman >/dev/null 2>&1; then
		echo "sudo pacman -S --needed postgresql"
	elif command -v brew >/dev/null 2>&1; then
		echo "brew install postgresql@17"
	else
		echo "install PostgreSQL (https://www.postgresql.org/download/) and put its bin folder on PATH"
	fi
}

# find_pg_bin: set PG_BIN, installing PostgreSQL when we can (root + apt-get).
find_pg_bin() {
	PG_BIN="$(newest_pg_bin)"
	if [[ -n "$PG_BIN" ]]; then
		return 0
	fi
	if is_root && command -v apt-get >/dev/null 2>&1; then
		echo "PostgreSQL is not installed: running apt-get update && apt-get install -y postgresql"
		DEBIAN_FRONTEND=noninteractive apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
		PG_BIN="$(newest_pg_bin)"
		[[ -n "$PG_BIN" ]] || die "apt-get installed postgresql but no server was found under /usr/lib/postgresql/*/bin"
		return 0
	fi
	echo "PostgreSQL's server (postgres, initdb, pg_ctl) was not found on PATH, in pg_config --bindir or in the usual folders." >&2
	echo "Install it:  $(install_hint)" >&2
	echo "(or set PG_BIN to its bin folder, or DATABASE_URL to a PostgreSQL you already have)" >&2
	exit 1
}

# --- Where the cluster lives ---

# external_dir: the fallback home of the cluster, unique per project path.
external_dir() {
	local hash
	hash="$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
	echo "/var/tmp/cse-motors-pg-$hash"
}

# needs_external: true when the data dir cannot live in .pg/ itself.
needs_external() {
	# The server user must be able to enter .pg/.
	can_reach "$PG_DIR" || return 0
	# Unix socket paths are limited to 107 bytes ("<dir>/.s.PGSQL.<port>"),
	# and the socket dir goes into a pg_ctl -o '...' string: keep it simple.
	local sock_path="$PG_DIR/data/.s.PGSQL.65535"
	((${#sock_path} <= 101)) || return 0
	[[ "$PG_DIR" =~ ^[A-Za-z0-9/._+-]+$ ]] || return 0
	return 1
}

# prepare_layout: make sure .pg/data and .pg/postgres.log exist (as real
# paths or symlinks) and set DATA_DIR and LOG_FILE to their real paths.
prepare_layout() {
	if [[ -d "$PG_DIR/data" ]]; then
		# Existing layout (symlinks are followed by -d).
		DATA_DIR="$(readlink -f "$PG_DIR/data")"
		LOG_FILE="$(readlink -f "$PG_DIR/postgres.log")"
		if ! can_reach "$DATA_DIR"; then
			die "the '$SERVER_USER' user cannot enter $DATA_DIR (was the project moved?): run  scripts/db.sh stop; rm -rf .pg  and try again"
		fi
		return 0
	fi

	# No data dir yet (or a dangling symlink, e.g. /var/tmp was cleaned).
	rm -f "$PG_DIR/data" "$PG_DIR/postgres.log"

	if needs_external; then
		local ext owner
		ext="$(external_dir)"
		if [[ -e "$ext" ]]; then
			# /var/tmp is world-writable: only reuse a folder we own.
			owner="$SERVER_USER"
			is_root || owner="$(id -un)"
			if [[ -L "$ext" || "$(stat -c %U "$ext")" != "$owner" ]]; then
				die "$ext exists but is not a folder owned by $owner: remove it"
			fi
		else
			mkdir -m 700 "$ext"
			own_for_server "$ext"
		fi
		echo "keeping the cluster in $ext (linked from .pg/)"
		DATA_DIR="$ext/data"
		LOG_FILE="$ext/postgres.log"
		ln -s "$DATA_DIR" "$PG_DIR/data"
		ln -s "$LOG_FILE" "$PG_DIR/postgres.log"
	else
		DATA_DIR="$PG_DIR/data"
		LOG_FILE="$PG_DIR/postgres.log"
	fi

	# An orphaned cluster (its password file was deleted with .pg/) cannot be
	# logged into any more: stop it and start from scratch.
	if [[ -f "$DATA_DIR/PG_VERSION" && ! -f "$PW_FILE" ]]; then
		echo "removing the orphaned cluster in $DATA_DIR (.pg/password is gone)"
		run_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast -s stop 2>/dev/null || true
		rm -rf "$DATA_DIR"
	fi

	[[ -d "$DATA_DIR" ]] || mkdir -m 700 "$DATA_DIR"
	touch "$LOG_FILE"
	own_for_server "$DATA_DIR" "$LOG_FILE"
}

# --- Password ---

ensure_password() {
	if [[ ! -f "$PW_FILE" ]]; then
		# 24 random bytes as hex: URL-safe and SQL-literal-safe.
		(umask 077 && od -An -vtx1 -N24 /dev/urandom | tr -d ' \n' >"$PW_FILE")
	fi
	chmod 600 "$PW_FILE"
}

# read_password: print the generated password, checking it is plain hex.
read_password() {
	[[ -f "$PW_FILE" ]] || die "no local cluster yet: run  scripts/db.sh up  first"
	local pw
	pw="$(<"$PW_FILE")"
	[[ "$pw" =~ ^[0-9a-f]{32,}$ ]] || die "$PW_FILE is not a hex password: run  scripts/db.sh stop; rm -rf .pg"
	echo "$pw"
}

# --- Server state and port ---

# server_pid: print the pid of the postmaster running DATA_DIR, or fail.
# Unlike "pg_ctl status" this is not fooled by a stale postmaster.pid whose pid
# was reused after a reboot (common in containers): the process must be a
# postgres whose working directory is our data directory.
server_pid() {
	local pid_file="$DATA_DIR/postmaster.pid" pid comm cwd
	[[ -f "$pid_file" ]] || return 1
	pid="$(head -n 1 "$pid_file")"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	if [[ -r "/proc/$pid/comm" ]]; then
		comm="$(<"/proc/$pid/comm")"
		[[ "$comm" == postgres* || "$comm" == postmaster* ]] || return 1
		cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
		if [[ -n "$cwd" && "$cwd" != "$(readlink -f "$DATA_DIR")" ]]; then
			return 1
		fi
	fi
	echo "$pid"
}

# server_port: the port the running server listens on (line 4 of postmaster.pid).
server_port() { sed -n 4p "$DATA_DIR/postmaster.pid"; }

# port_taken PORT: does something accept connections on 127.0.0.1:PORT? A
# connection that hangs (a listener with a full backlog) counts as taken.
port_taken() {
	local rc=0
	timeout 2 bash -c ": </dev/tcp/127.0.0.1/$1" 2>/dev/null || rc=$?
	((rc != 1))
}

# move_port: another program has PORT; switch to the next free port, or fail
# when the user chose PORT with PGPORT_LOCAL.
move_port() {
	if [[ -n "${PGPORT_LOCAL:-}" ]]; then
		die "port $PORT (PGPORT_LOCAL) is in use by another program: pick another one, or unset PGPORT_LOCAL to let db.sh choose a free port"
	fi
	local new
	for ((new = PORT + 1; new < PORT + 100 && new < 65536; new++)); do
		if ! port_taken "$new"; then
			echo "port $PORT is in use by another program (e.g. another checkout's cluster): using port $new for this checkout (remembered in .pg/port)"
			PORT="$new"
			return 0
		fi
	done
	die "no free port in $((PORT + 1))-$((new - 1)): set PGPORT_LOCAL"
}

# start_server: start the cluster on PORT, moving to a free port when another
# program has PORT (even one that took it while we were starting).
start_server() {
	if [[ -f "$DATA_DIR/postmaster.pid" ]]; then
		echo "removing a stale postmaster.pid (the server is not running)"
		rm -f "$DATA_DIR/postmaster.pid" "$DATA_DIR"/.s.PGSQL.*
	fi
	local out
	for _ in 1 2 3; do
		if port_taken "$PORT"; then
			move_port
		fi
		echo "starting PostgreSQL on 127.0.0.1:$PORT (log: .pg/postgres.log)"
		# The socket dir is quoted for the shell pg_ctl uses; needs_external()
		# guarantees the path has no quotes or spaces.
		if out="$(run_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 -s \
			-o "-c listen_addresses=127.0.0.1 -p $PORT -k '$DATA_DIR'" start 2>&1)"; then
			echo "$PORT" >"$PORT_FILE"
			return 0
		fi
		# Lost a race for the port (e.g. another checkout starting too): retry.
		if server_pid >/dev/null || ! port_taken "$PORT"; then
			break
		fi
	done
	echo "$out" >&2
	echo "PostgreSQL did not start; the end of $LOG_FILE says:" >&2
	tail -n 20 "$LOG_FILE" >&2 || true
	exit 1
}

stop_server() { run_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast -w -s stop; }

# --- Commands ---

cmd_up() {
	if [[ -n "${DATABASE_URL:-}" ]]; then
		echo "DATABASE_URL is set: using it, no local PostgreSQL started"
		return 0
	fi

	find_pg_bin
	if is_root && ! id -u "$SERVER_USER" >/dev/null 2>&1; then
		die "PostgreSQL refuses to run as root and there is no '$SERVER_USER' user to run it as: create one (useradd --system $SERVER_USER), or run as a normal user"
	fi

	mkdir -p "$PG_DIR"
	# One "up" at a time (make run and make test may race).
	exec 9>"$PG_DIR/lock"
	flock 9

	prepare_layout

	# A cluster made by an older major version needs that version's binaries.
	if [[ -f "$DATA_DIR/PG_VERSION" ]]; then
		local version
		version="$(<"$DATA_DIR/PG_VERSION")"
		if [[ -n "$(pg_bin_for "$version")" ]]; then
			PG_BIN="$(pg_bin_for "$version")"
		else
			die "the cluster in .pg/ was made by PostgreSQL $version, which is not installed: run  scripts/db.sh stop; rm -rf .pg"
		fi
	else
		ensure_password
		local locale=C pw_tmp
		if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
			locale=C.UTF-8
		fi
		echo "creating a PostgreSQL cluster in .pg/ ($PG_BIN, locale $locale)"
		# initdb reads the superuser password from a file the server user
		# can read; it only exists for the duration of initdb.
		pw_tmp="$(mktemp)"
		cat "$PW_FILE" >"$pw_tmp"
		own_for_server "$pw_tmp"
		if ! run_pg "$PG_BIN/initdb" -D "$DATA_DIR" -U postgres --pwfile="$pw_tmp" \
			--auth=scram-sha-256 --encoding=UTF8 --locale="$locale" >"$DATA_DIR.initdb.log" 2>&1; then
			rm -f "$pw_tmp"
			cat "$DATA_DIR.initdb.log" >&2 || true
			die "initdb failed"
		fi
		rm -f "$pw_tmp" "$DATA_DIR.initdb.log"
	fi

	if ! server_pid >/dev/null; then
		start_server
	elif [[ -z "${PGPORT_LOCAL:-}" || "$(server_port)" == "$PORT" ]]; then
		# Already running: keep its port.
		PORT="$(server_port)"
		echo "$PORT" >"$PORT_FILE"
	else
		if port_taken "$PORT"; then
			move_port # fails: the user chose PORT
		fi
		echo "PostgreSQL runs on port $(server_port), restarting it on $PORT"
		stop_server
		start_server
	fi

	# Create the app role and database (idempotent). The password is hex, so
	# it is safe inside a SQL literal; it goes through stdin, not argv.
	local pw
	pw="$(read_password)"
	PGPASSWORD="$pw" PGCONNECT_TIMEOUT=10 "$(psql_bin "$PG_BIN")" -X -q -v ON_ERROR_STOP=1 \
		-h 127.0.0.1 -p "$PORT" -U postgres -d postgres >/dev/null <<SQL
DO \$\$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP_ROLE') THEN
		CREATE ROLE $APP_ROLE;
	END IF;
END
\$\$;
ALTER ROLE $APP_ROLE WITH LOGIN CREATEDB PASSWORD '$pw';
SELECT 'CREATE DATABASE $APP_DB OWNER $APP_ROLE'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$APP_DB') \gexec
ALTER DATABASE $APP_DB OWNER TO $APP_ROLE;
SQL

	echo "PostgreSQL ready at postgres://$APP_ROLE:***@127.0.0.1:$PORT/$APP_DB"
}

cmd_stop() {
	if [[ ! -e "$PG_DIR/data" ]]; then
		echo "no local PostgreSQL cluster in .pg/"
		return 0
	fi
	DATA_DIR="$(readlink -f "$PG_DIR/data")"
	if server_pid >/dev/null; then
		PG_BIN="$(pg_bin_for "$(<"$DATA_DIR/PG_VERSION")")"
		[[ -n "$PG_BIN" ]] || die "PostgreSQL $(<"$DATA_DIR/PG_VERSION"), which made .pg/, is not found: stop the server by hand (kill $(server_pid))"
		stop_server
		echo "PostgreSQL stopped"
	else
		echo "PostgreSQL is not running"
	fi
}

# cmd_url DB: print the URL of database DB (admin-url: the maintenance database
# "postgres", where the app role, which has CREATEDB, makes test databases).
cmd_url() {
	if [[ -n "${DATABASE_URL:-}" ]]; then
		echo "$DATABASE_URL"
		return 0
	fi
	local pw
	pw="$(read_password)"
	echo "postgres://$APP_ROLE:$pw@127.0.0.1:$PORT/$1?sslmode=disable"
}

cmd_psql() {
	# The installed server's psql, else the one on PATH.
	local psql pw
	psql="$(psql_bin "$(newest_pg_bin)")"
	[[ -x "$psql" ]] || die "psql is not installed: $(install_hint)"
	if [[ -n "${DATABASE_URL:-}" ]]; then
		exec "$psql" "$DATABASE_URL" "$@"
	fi
	# Password via the environment so it does not show up in "ps".
	pw="$(read_password)"
	PGPASSWORD="$pw" exec "$psql" \
		"postgres://$APP_ROLE@127.0.0.1:$PORT/$APP_DB?sslmode=disable" "$@"
}

usage() {
	sed -n '4,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
up) cmd_up ;;
stop) cmd_stop ;;
url) cmd_url "$APP_DB" ;;
admin-url) cmd_url postgres ;;
psql) cmd_psql "$@" ;;
*) usage ;;
esac
