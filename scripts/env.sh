#!/usr/bin/env bash
# scripts/env.sh - write a development .env (git-ignored, mode 600).
#
# An existing .env is kept. The only changes ever made to one are:
#   - a missing (or empty) SESSION_SECRET gets a fresh value;
#   - a missing (or empty) DATABASE_URL gets the local cluster's URL, unless
#     DATABASE_URL is set in the environment;
#   - a DATABASE_URL that points at the local cluster of scripts/db.sh with
#     an old password (the cluster was re-created after "rm -rf .pg") gets
#     the current one.
# See .env.example for what every key means.
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
ENV_FILE=".env"

# new_secret: 64 random bytes as 128 hex characters (od is in coreutils).
new_secret() {
	od -An -vtx1 -N64 /dev/urandom | tr -d ' \n'
}

# local_db_url: the URL of the local cluster, or nothing when DATABASE_URL is
# set in the environment (the app then reads it from there).
local_db_url() {
	if [[ -n "${DATABASE_URL:-}" ]]; then
		return 0
	fi
	if ! scripts/db.sh url; then
		echo "env.sh: run  scripts/db.sh up  first (or set DATABASE_URL)" >&2
		exit 1
	fi
}

# set_line KEY VALUE: replace the line KEY=... in .env by KEY=VALUE, keeping
# the file's mode. VALUE goes through the environment, not argv.
set_line() {
	local tmp
	tmp="$(umask 077 && mktemp "$ENV_FILE.XXXXXX")"
	KEY="$1" VALUE="$2" awk '
		index($0, ENVIRON["KEY"] "=") == 1 { print ENVIRON["KEY"] "=" ENVIRON["VALUE"]; next }
		{ print }
	' "$ENV_FILE" >"$tmp"
	chmod --reference="$ENV_FILE" "$tmp"
	mv "$tmp" "$ENV_FILE"
}

# append_line LINE: add LINE at the end of .env (after a newline if needed).
append_line() {
	if [[ -s "$ENV_FILE" && -n "$(tail -c 1 "$ENV_FILE")" ]]; then
		echo >>"$ENV_FILE"
	fi
	echo "$1" >>"$ENV_FILE"
}

if [[ ! -e "$ENV_FILE" ]]; then
	db_url="$(local_db_url)"
	secret="$(new_secret)"
	(
		umask 077
		{
			echo "# Written by scripts/env.sh for development; see .env.example."
			echo "APP_ENV=development"
			echo "PORT=5500"
			echo "HOST=localhost"
			if [[ -n "$db_url" ]]; then
				echo "DATABASE_URL=$db_url"
			fi
			echo "SESSION_SECRET=$secret"
			echo "LOG_SQL=true"
		} >"$ENV_FILE"
	)
	chmod 600 "$ENV_FILE"
	echo "wrote .env with a fresh SESSION_SECRET"
	exit 0
fi

echo ".env exists: kept"

# A missing or empty SESSION_SECRET: add a fresh one.
if ! grep -q '^SESSION_SECRET=' "$ENV_FILE"; then
	append_line "SESSION_SECRET=$(new_secret)"
	echo ".env had no SESSION_SECRET: appended a fresh one"
elif grep -qE '^SESSION_SECRET=[[:space:]]*$' "$ENV_FILE"; then
	set_line SESSION_SECRET "$(new_secret)"
	echo ".env had an empty SESSION_SECRET: filled in a fresh one"
fi

# DATABASE_URL, unless the environment has one: add it when missing or
# empty, refresh it when it is the local cluster's URL with an old password
# or an old port (scripts/db.sh moves to a free port when 5433 is taken).
if [[ -z "${DATABASE_URL:-}" ]]; then
	current="$(local_db_url)"
	line="$(grep -E '^DATABASE_URL=' "$ENV_FILE" | tail -n 1 || true)"
	# The local cluster's URL with any password and any port.
	rest="${current#*@127.0.0.1:}" # "5433/cse_motors?sslmode=disable"
	pattern="^DATABASE_URL=${current%%:*}://cse_motors:[^@]*@127\.0\.0\.1:[0-9]+/${rest#*/}\$"
	pattern="${pattern//\?/\\?}" # "?sslmode" is literal
	if [[ -z "$line" ]]; then
		append_line "DATABASE_URL=$current"
		echo ".env had no DATABASE_URL: added the local cluster's"
	elif [[ "$line" =~ ^DATABASE_URL=[[:space:]]*$ ]]; then
		set_line DATABASE_URL "$current"
		echo ".env had an empty DATABASE_URL: filled in the local cluster's"
	elif [[ "$line" != "DATABASE_URL=$current" ]] && grep -qE "$pattern" <<<"$line"; then
		set_line DATABASE_URL "$current"
		echo ".env: updated DATABASE_URL to the local cluster's current password and port"
	fi
fi
