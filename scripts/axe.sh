#!/usr/bin/env bash
# scripts/axe.sh - fetch the axe-core accessibility engine for the tests.
#
# routes/axe_test.go injects axe-core into every page in headless Chromium
# and fails on any violation. Nothing of axe-core is committed: this
# downloads a pinned release from the npm registry, checks the tarball
# against the registry's sha512 integrity pinned below, and extracts only
# package/axe.min.js to .cache/axe/axe.min.js (.cache/ is gitignored, and
# outside tmp/, which `make dev` wipes when it stops). When that
# file is already there with the pinned checksum it does nothing.
#
# To upgrade: take the version, dist.tarball and dist.integrity from
# https://registry.npmjs.org/axe-core/<version>, and the sha256 of the
# tarball's package/axe.min.js (tar -xzOf axe-core-X.tgz package/axe.min.js | sha256sum).
set -euo pipefail

AXE_VERSION=4.14.1
AXE_TARBALL="https://registry.npmjs.org/axe-core/-/axe-core-${AXE_VERSION}.tgz"
AXE_INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
AXE_MIN_SHA256=29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c

cd "$(dirname "$0")/.."
dest=.cache/axe/axe.min.js

if [[ -f "$dest" ]] && [[ "$(sha256sum "$dest" | cut -d' ' -f1)" == "$AXE_MIN_SHA256" ]]; then
	exit 0
fi

if ! command -v curl >/dev/null 2>&1; then
	if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
		echo "curl is missing to fetch axe-core: installing Debian's curl package"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq curl ca-certificates >/dev/null
		if ! command -v curl >/dev/null 2>&1; then
			echo "axe.sh: installing curl failed" >&2
			exit 1
		fi
	else
		echo "curl is missing to fetch axe-core for the accessibility tests: run  sudo apt-get install -y curl ca-certificates" >&2
		exit 1
	fi
fi
for tool in tar sha256sum sha512sum base64 od; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "axe.sh: $tool is missing (it is part of Debian's coreutils/tar): run  sudo apt-get install -y coreutils tar" >&2
		exit 1
	fi
done

echo "Fetching axe-core ${AXE_VERSION} from the npm registry"
mkdir -p .cache/axe
work="$(mktemp -d .cache/axe/fetch.XXXXXX)"
trap 'rm -rf "$work"' EXIT

curl -fsSL --retry 3 --proto '=https' -o "$work/axe-core.tgz" "$AXE_TARBALL"

# dist.integrity is "sha512-" and the base64 digest: compare it as hex.
want="$(printf '%s' "${AXE_INTEGRITY#sha512-}" | base64 -d | od -An -v -tx1 | tr -d ' \n')"
got="$(sha512sum "$work/axe-core.tgz" | cut -d' ' -f1)"
if [[ "$got" != "$want" ]]; then
	echo "axe.sh: $AXE_TARBALL does not match the pinned integrity" >&2
	echo "  want sha512 $want" >&2
	echo "  got  sha512 $got" >&2
	exit 1
fi

tar -xzmf "$work/axe-core.tgz" -C "$work" package/axe.min.js
got="$(sha256sum "$work/package/axe.min.js" | cut -d' ' -f1)"
if [[ "$got" != "$AXE_MIN_SHA256" ]]; then
	echo "axe.sh: package/axe.min.js has sha256 $got; want $AXE_MIN_SHA256" >&2
	exit 1
fi
mv -f "$work/package/axe.min.js" "$dest"
echo "axe-core ${AXE_VERSION} is in $dest"
