/*
 * fuzz.h - what every fuzz target in tests/fuzz/ provides and may use.
 *
 * A target is one file defining LLVMFuzzerTestOneInput. It is linked either
 * with replay.c (gcc, ctest label "fuzz": runs the saved corpus) or with
 * libFuzzer (clang, -DFUZZ=ON). data[0..size) is never NUL-terminated: a
 * target that needs a C string makes its own copy (fuzz_strdup).
 *
 * A target checks the properties the module's header promises and calls
 * FUZZ_ASSERT on them, so a broken promise stops the run like a crash does.
 */
#ifndef CABINET_FUZZ_H
#define CABINET_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed\n", __FILE__, __LINE__,     \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* data[0..size) up to its first NUL, as a new C string (free it). */
static inline char *fuzz_strdup(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t n = nul ? (size_t)(nul - data) : size;
	char *s = malloc(n + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

#endif
