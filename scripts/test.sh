#!/usr/bin/env bash
# scripts/test.sh - the whole test suite.
#
# First checks, once, that the unprivileged user the test stacks run as (as
# root) can read this checkout (`scripts/run.sh check`). Then installs what is
# missing (`scripts/run.sh deps test`: the build's and the stack's Debian
# packages and the tests' ones, all listed in scripts/deps.sh) and the
# browser tests' npm packages, then builds and runs ctest twice: a normal
# build (build/) and a sanitizer build (build-asan/, address + undefined),
# each with every label but `bench` (the browser page sweep, e2e_pages, in
# the normal pass only). Integration tests start their own stacks with
# scripts/run.sh in private directories on free ports, so a running
# development stack is not touched.
#
# Environment:
#   CABINET_TEST_JOBS   parallel ctest jobs (default 2)
#   CABINET_TEST_ONLY   normal | asan: run one of the two passes
#   CTEST_ARGS          extra arguments for ctest (e.g. "-L unit")
set -euo pipefail
umask 022 # the builds must be readable by the unprivileged user of the stacks

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JOBS=${CABINET_TEST_JOBS:-2}

# one message, before anything is built, instead of one per integration test
"$ROOT/scripts/run.sh" check || {
	echo "test.sh: the integration and browser tests cannot run from this checkout (see above)" >&2
	exit 1
}
"$ROOT/scripts/run.sh" deps test
# the browser tests' driver (playwright-core) and the OpenAPI check's packages,
# pinned in their package-lock.json
for d in tests/e2e tests/openapi; do
	(cd "$ROOT/$d" && npm ci --no-audit --no-fund --loglevel=error) ||
		{ echo "test.sh: npm ci in $d failed (it needs the npm registry)" >&2; exit 1; }
done

pass() { # pass NAME BUILD_DIR CMAKE_ARGS...
	local name=$1 dir=$2
	shift 2
	echo "test.sh: === $name build in $dir"
	cmake -S "$ROOT" -B "$dir" "$@" >/dev/null
	cmake --build "$dir" -j "$(nproc)" >/dev/null 2>"$dir/test-build.log" ||
		{ cat "$dir/test-build.log"; exit 1; }
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
	# the page sweep (e2e_pages, minutes of a browser) runs in the normal pass
	# only: it checks pages, not memory
	CTEST_ARGS="${CTEST_ARGS:-} -E e2e_pages" pass sanitizer "$ROOT/build-asan" -DCMAKE_BUILD_TYPE=Debug -DSANITIZE=ON
	;;
esac
echo "test.sh: all tests passed"
