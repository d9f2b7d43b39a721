#!/usr/bin/env bash
# scripts/test.sh - the whole test suite.
#
# Installs what is missing (as scripts/run.sh does, plus the test tools),
# plus Chromium and the browser tests' npm packages, then builds and runs
# ctest twice: a normal build (build/) and a sanitizer
# build (build-asan/, address + undefined), each with every label but
# `bench`. Integration tests start their own stacks with scripts/run.sh in
# private directories on free ports, so a running development stack is not
# touched.
#
# Environment:
#   CABINET_TEST_JOBS   parallel ctest jobs (default 2)
#   CABINET_TEST_ONLY   normal | asan: run one of the two passes
#   CTEST_ARGS          extra arguments for ctest (e.g. "-L unit")
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JOBS=${CABINET_TEST_JOBS:-2}

EXTRA="python3 python3-aiosmtpd systemd wrk procps chromium"
command -v npm >/dev/null || EXTRA="$EXTRA nodejs npm"
CABINET_EXTRA_PACKAGES=$EXTRA "$ROOT/scripts/run.sh" deps
# the browser tests' driver (playwright-core, pinned in package-lock.json)
(cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$ROOT/tests/openapi" && npm ci --no-audit --no-fund --loglevel=error)

pass() { # pass NAME BUILD_DIR CMAKE_ARGS...
	local name=$1 dir=$2
	shift 2
	echo "test.sh: === $name build in $dir"
	cmake -S "$ROOT" -B "$dir" "$@" >/dev/null
	cmake --build "$dir" -j "$(nproc)" >/dev/null 2>"$dir.build.log" ||
		{ cat "$dir.build.log"; exit 1; }
	# shellcheck disable=SC2086
	(cd "$dir" && ctest --output-on-failure -j "$JOBS" -LE bench ${CTEST_ARGS:-})
}

case "${CABINET_TEST_ONLY:-}" in
"" | normal) pass normal "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo ;;
esac
case "${CABINET_TEST_ONLY:-}" in
"" | asan)
	# detect_leaks needs ptrace-free LSan; halt on the first error in any process
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	pass sanitizer "$ROOT/build-asan" -DCMAKE_BUILD_TYPE=Debug -DSANITIZE=ON
	;;
esac
echo "test.sh: all tests passed"
