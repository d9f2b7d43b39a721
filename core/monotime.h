/*
 * monotime.h - the monotonic clock (CLOCK_MONOTONIC), for timeouts,
 * durations and cache ages: never the wall clock, which an operator or NTP
 * may move.
 */
#ifndef CABINET_MONOTIME_H
#define CABINET_MONOTIME_H

#include <stdint.h>

/* Milliseconds since an arbitrary point (boot). */
int64_t monotime_ms(void);
/* Microseconds since the same point. */
int64_t monotime_us(void);

#endif
