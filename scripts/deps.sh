# scripts/deps.sh - every Debian package the project needs, in one place.
# Sourced by scripts/run.sh (`deps_install build run`) and, through
# `scripts/run.sh deps test`, by scripts/test.sh (`deps_install build run test`).
#
# Checked against a minimal Debian 12: `debootstrap --variant=minbase bookworm`
# plus git, curl, ca-certificates and sudo, with empty apt lists
# (../shared/tools/fresh-debian.sh). Packages are installed with
# --no-install-recommends, so every package something here runs or links is
# named, not left to a Recommends. All are in bookworm main.
# shellcheck shell=bash

# The build: compiler and C library headers, CMake, and the libraries found
# with pkg-config (CMakeLists.txt). python3 too: configuring tests/ needs it.
# libcsv, expat, libidn2 and libunistring are for CSV import, XML and
# internationalized e-mail domains; cairo (with its fontconfig and FreeType
# headers) for the PDF documents (core/pdf.c).
DEPS_BUILD=(gcc libc6-dev make cmake pkg-config python3
	libpq-dev libjson-c-dev libfcgi-dev libssl-dev libcurl4-openssl-dev
	libargon2-dev libsystemd-dev libxlsxwriter-dev zlib1g-dev
	libcsv-dev libcairo2-dev libexpat1-dev libidn2-dev libunistring-dev)

# The running stack (scripts/run.sh): PostgreSQL (it reads time zones from
# tzdata), nginx with its nchan module (the pages' notification streams,
# held by nginx instead of a responder), curl for the health check, setpriv (util-linux) and useradd
# (passwd) to run as the unprivileged user, procps, CA certificates for the
# SMTP and SMS gateways, and fonts with Cyrillic letters for generated PDFs.
DEPS_RUN=(postgresql nginx libnginx-mod-nchan curl ca-certificates tzdata procps util-linux passwd
	fonts-dejavu-core)

# The tests (scripts/test.sh): the SMTP sink (aiosmtpd) and openssl for its
# TLS certificate, systemd-analyze for the unit files, wrk for the flood and
# benchmarks, Debian's Chromium, Node.js and npm for the browser tests
# (playwright-core, tests/e2e), pdftotext (poppler-utils), xxd and file.
DEPS_TEST=(python3-aiosmtpd openssl systemd wrk chromium nodejs npm
	poppler-utils xxd file)

# deps_have PACKAGE: installed, or its command comes from elsewhere (Node.js
# from NodeSource carries npm and conflicts with Debian's npm package).
deps_have() {
	case "$1" in
	nodejs) command -v node >/dev/null && return 0 ;;
	npm) command -v npm >/dev/null && return 0 ;;
	esac
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# deps_missing GROUP...: the packages of the groups (build, run, test) that
# are not installed, one per line.
deps_missing() {
	local g p list
	for g in "$@"; do
		case "$g" in
		build) list=("${DEPS_BUILD[@]}") ;;
		run) list=("${DEPS_RUN[@]}") ;;
		test) list=("${DEPS_TEST[@]}") ;;
		*) echo "deps: unknown group $g" >&2; return 2 ;;
		esac
		for p in "${list[@]}"; do deps_have "$p" || echo "$p"; done
	done | awk '!seen[$0]++'
}

deps_lists_empty() { # no package lists yet (a fresh system, or after apt-get clean of lists)
	! ls /var/lib/apt/lists/ 2>/dev/null | grep -q '_Packages'
}

# deps_install GROUP...: installs what is missing with apt-get, updating the
# package lists first when there are none and again when an install fails;
# names the packages no configured source offers. Output of apt goes to a log
# whose end is shown on failure. Uses sudo when not root.
deps_install() {
	local missing
	mapfile -t missing < <(deps_missing "$@")
	[ ${#missing[@]} -eq 0 ] && return 0
	local sudo=()
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
			sudo=(sudo -n)
		elif command -v sudo >/dev/null && [ -t 0 ]; then
			sudo=(sudo)
		else
			printf 'deps: error: missing Debian packages; install them as root with:\n    apt-get update && apt-get install -y --no-install-recommends %s\n' \
				"${missing[*]}" >&2
			return 1
		fi
	fi
	local log
	log=$(mktemp "${TMPDIR:-/tmp}/cabinet-apt.XXXXXX")
	apt_get() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y "$@" >>"$log" 2>&1; }
	echo "deps: installing Debian packages (minutes on a fresh machine): ${missing[*]}"
	if deps_lists_empty; then
		echo "deps: no apt package lists yet: apt-get update"
		apt_get update || { deps_fail "$log" "apt-get update failed"; return 1; }
	fi
	if ! apt_get install --no-install-recommends "${missing[@]}"; then
		echo "deps: apt-get install failed; updating the package lists and trying again"
		apt_get update || { deps_fail "$log" "apt-get update failed"; return 1; }
		if ! apt_get install --no-install-recommends "${missing[@]}"; then
			local p none=()
			for p in "${missing[@]}"; do
				apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]' || none+=("$p")
			done
			if [ ${#none[@]} -gt 0 ]; then
				deps_fail "$log" "no configured apt source offers ${none[*]}
    (all are in Debian 12 \"bookworm\" main: check that /etc/apt/sources.list or
    /etc/apt/sources.list.d/ names a bookworm mirror with the main component)"
			else
				deps_fail "$log" "apt-get could not install ${missing[*]}"
			fi
			return 1
		fi
	fi
	rm -f "$log"
	mapfile -t missing < <(deps_missing "$@")
	if [ ${#missing[@]} -gt 0 ]; then
		printf 'deps: error: still missing after apt-get install: %s\n' "${missing[*]}" >&2
		return 1
	fi
}

deps_fail() { # deps_fail LOG MESSAGE
	printf 'deps: error: %s\n    the last lines of %s:\n' "$2" "$1" >&2
	tail -n 15 "$1" | sed 's/^/    | /' >&2
}
