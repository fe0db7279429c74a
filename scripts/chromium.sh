#!/usr/bin/env bash
# scripts/chromium.sh - make sure a Chromium for the browser tests exists.
#
# The end-to-end tests drive headless Chromium; they fail rather than skip
# without it. As root with apt this installs Debian's chromium package;
# otherwise it names the command to run and fails.
set -euo pipefail

for name in chromium chromium-browser google-chrome google-chrome-stable; do
	if command -v "$name" >/dev/null 2>&1; then
		exit 0
	fi
done
if [[ -n "${CHROME_PATH:-}" && -x "${CHROME_PATH}" ]]; then
	exit 0
fi

if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
	echo "Chromium is missing for the browser tests: installing Debian's chromium package"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq chromium >/dev/null
	command -v chromium >/dev/null 2>&1 && exit 0
	echo "chromium.sh: installing chromium failed" >&2
	exit 1
fi

echo "Chromium is missing for the browser tests: run  sudo apt-get install -y chromium  (or set CHROME_PATH)" >&2
exit 1
