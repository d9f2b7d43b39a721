/*
 * check.h - the smallest unit-test harness that does the job.
 *
 * A test file defines functions with TEST(name), lists them in main() with
 * RUN(name) and ends with `return check_report();`. A failed CHECK prints the
 * file, line and expression and marks the run failed; the test goes on, so one
 * run shows every broken case.
 */
#ifndef CABINET_CHECK_H
#define CABINET_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_failed;
static int check_count;

#define TEST(name) static void name(void)

#define RUN(name)                                                                                  \
	do {                                                                                       \
		int check_before_ = check_failed;                                                  \
		name();                                                                            \
		printf("%s %s\n", check_failed == check_before_ ? "ok  " : "FAIL", #name);        \
	} while (0)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		check_count++;                                                                     \
		if (!(cond)) {                                                                     \
			check_failed++;                                                            \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);   \
		}                                                                                  \
	} while (0)

#define CHECK_INT(got, want)                                                                       \
	do {                                                                                       \
		long long check_g_ = (long long)(got), check_w_ = (long long)(want);               \
		check_count++;                                                                     \
		if (check_g_ != check_w_) {                                                        \
			check_failed++;                                                            \
			fprintf(stderr, "%s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__, #got, \
				check_g_, check_w_);                                               \
		}                                                                                  \
	} while (0)

#define CHECK_STR(got, want)                                                                       \
	do {                                                                                       \
		const char *check_g_ = (got), *check_w_ = (want);                                  \
		check_count++;                                                                     \
		if (check_g_ == NULL || strcmp(check_g_, check_w_) != 0) {                         \
			check_failed++;                                                            \
			fprintf(stderr, "%s:%d: %s = \"%s\", want \"%s\"\n", __FILE__, __LINE__,  \
				#got, check_g_ ? check_g_ : "(null)", check_w_);                   \
		}                                                                                  \
	} while (0)

static inline int check_report(void)
{
	printf("%d checks, %d failed\n", check_count, check_failed);
	return check_failed ? 1 : 0;
}

#endif
