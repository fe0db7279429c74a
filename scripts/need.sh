#!/usr/bin/env bash
# scripts/need.sh TOOL "PACKAGES" WHAT - make sure the command TOOL exists:
# as root on Debian/Ubuntu, install PACKAGES with apt; otherwise stop with
# the exact command to run. WHAT says what needs it, for the message.
#
#   scripts/need.sh gcc "gcc libc6-dev" "the race detector (go test -race)"
set -euo pipefail
tool="$1" packages="$2" what="$3"
# Servers such as pgbouncer and haproxy go to /usr/sbin, which is often off
# a user's PATH.
have() { command -v "$tool" >/dev/null 2>&1 || [[ -x "/usr/sbin/$tool" ]]; }
have && exit 0
if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
	echo "$tool is missing for $what: installing $packages (Debian packages)"
	apt-get update -qq
	# shellcheck disable=SC2086 # PACKAGES is a list
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
	have && exit 0
	echo "need.sh: installing $packages did not provide $tool" >&2
	exit 1
fi
echo "$tool is missing for $what: run  sudo apt-get install -y $packages" >&2
exit 1
