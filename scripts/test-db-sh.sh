#!/usr/bin/env bash
# scripts/test-db-sh.sh - run by `make test`: scripts/db.sh on the layouts
# other machines have, simulated here.
#   1. PostgreSQL's programs only on PATH (macOS with Homebrew or
#      Postgres.app, Fedora, Arch): a folder of links to them first on PATH,
#      no Debian folder, no pg_config; "up" must find them there, create and
#      start a cluster that answers, and "stop" must stop it.
#   2. No PostgreSQL at all: "up" must fail with the install command of the
#      machine's package manager (dnf, pacman, brew; apt-get is tried only
#      when not root, since as root db.sh installs with it).
# Everything happens in a throwaway copy of the project; the checkout's own
# .pg/ is not touched.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
fail() {
	echo "test-db-sh: FAIL: $*" >&2
	exit 1
}

# The real server programs, wherever this machine has them.
real="$(
	for d in /usr/lib/postgresql/*/bin "$(pg_config --bindir 2>/dev/null || true)"; do
		[[ -x "$d/postgres" && -x "$d/initdb" && -x "$d/pg_ctl" ]] && echo "$d" && break
	done
)"
[[ -n "$real" ]] || fail "no PostgreSQL server on this machine to link to (make test runs scripts/db.sh up first)"

tmp="$(mktemp -d)"
chmod 755 "$tmp" # the "postgres" user (when we are root) must reach the copy's .pg/
cleanup() {
	if [[ -d "$tmp/project/.pg" ]]; then
		PATH="$tmp/bin:/usr/sbin:/usr/bin:/sbin:/bin" PG_DEBIAN_DIR=/nonexistent "$tmp/project/scripts/db.sh" stop >/dev/null 2>&1 || true
		rm -rf "$(readlink -f "$tmp/project/.pg/data")/.." 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/project/scripts" "$tmp/bin" "$tmp/sandbox"
cp scripts/db.sh "$tmp/project/scripts/"

# 1. Programs on PATH only. /usr/local/bin is left out: some images link
# the server programs there, which would be PATH too, but not this test's.
for p in postgres initdb pg_ctl psql; do
	[[ -x "$real/$p" ]] && ln -s "$real/$p" "$tmp/bin/$p"
done
out="$(PATH="$tmp/bin:/usr/sbin:/usr/bin:/sbin:/bin" PG_DEBIAN_DIR=/nonexistent PGPORT_LOCAL= "$tmp/project/scripts/db.sh" up 2>&1)" ||
	fail "db.sh up with the programs on PATH only:"$'\n'"$out"
grep -q "creating a PostgreSQL cluster in .pg/ ($tmp/bin," <<<"$out" ||
	fail "db.sh up did not use the programs on PATH ($tmp/bin):"$'\n'"$out"
url="$(PATH="$tmp/bin:/usr/sbin:/usr/bin:/sbin:/bin" "$tmp/project/scripts/db.sh" url)"
[[ "$(psql "$url" -tAXc 'SELECT 40 + 2')" == 42 ]] || fail "the cluster started from PATH does not answer"
out="$(PATH="$tmp/bin:/usr/sbin:/usr/bin:/sbin:/bin" PG_DEBIAN_DIR=/nonexistent "$tmp/project/scripts/db.sh" stop 2>&1)" ||
	fail "db.sh stop with the programs on PATH only:"$'\n'"$out"
grep -q "PostgreSQL stopped" <<<"$out" || fail "db.sh stop: $out"
echo "test-db-sh: programs on PATH only: found in PATH, cluster created, answered, stopped"

# 2. No PostgreSQL: a PATH with the few tools db.sh runs before it looks,
# and a stand-in for one package manager at a time.
for t in bash dirname id sort sed; do ln -s "$(command -v "$t")" "$tmp/sandbox/$t"; done
check_hint() { # MANAGER WANT
	rm -f "$tmp/sandbox/apt-get" "$tmp/sandbox/dnf" "$tmp/sandbox/pacman" "$tmp/sandbox/brew"
	printf '#!/bin/sh\nexit 0\n' >"$tmp/sandbox/$1"
	chmod +x "$tmp/sandbox/$1"
	local out
	if out="$(PATH="$tmp/sandbox" PG_DEBIAN_DIR=/nonexistent "$tmp/sandbox/bash" "$tmp/project/scripts/db.sh" up 2>&1)"; then
		fail "db.sh up succeeded without PostgreSQL ($1)"
	fi
	grep -qF "Install it:  $2" <<<"$out" || fail "with $1 only, db.sh up said:"$'\n'"$out"$'\n'"want: Install it:  $2"
	echo "test-db-sh: no PostgreSQL, $1: \"$2\""
}
rm -rf "$tmp/project/.pg"
check_hint dnf "sudo dnf install -y postgresql-server"
check_hint pacman "sudo pacman -S --needed postgresql"
check_hint brew "brew install postgresql@17"
if [[ "$(id -u)" -ne 0 ]]; then
	check_hint apt-get "sudo apt-get install -y postgresql"
fi
