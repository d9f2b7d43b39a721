#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *log_program = "cabinet";
static volatile int log_level = LOG_INFO;
static int log_journal;

static const char *const log_names[] = {"error", "warn", "info", "debug"};
/* syslog priorities for journald's "<N>" prefix */
static const int log_priorities[] = {3, 4, 6, 7};

void log_init(const char *program)
{
	log_program = program;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

void log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level log_get_level(void)
{
	return (enum log_level)log_level;
}

int log_level_parse(const char *name)
{
	for (unsigned i = 0; i < sizeof(log_names) / sizeof(log_names[0]); i++)
		if (strcmp(name, log_names[i]) == 0)
			return (int)i;
	return -1;
}

/* Copies src into dst, escaping control characters as \xNN. */
static size_t log_copy_escaped(char *dst, size_t cap, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (; *src && n + 5 < cap; src++) {
		unsigned char c = (unsigned char)*src;
		if (c < 0x20 || c == 0x7f) {
			dst[n++] = '\\';
			dst[n++] = 'x';
			dst[n++] = hex[c >> 4];
			dst[n++] = hex[c & 15];
		} else {
			dst[n++] = (char)c;
		}
	}
	dst[n] = '\0';
	return n;
}

void log_event(enum log_level level, const char *event, const char *fmt, ...)
{
	char body[2048], line[4096];
	char ts[40] = "";
	va_list ap;
	size_t n;
	int len;

	if ((int)level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);

	if (log_journal) {
		len = snprintf(line, sizeof(line), "<%d>level=%s event=%s ", log_priorities[level],
			       log_names[level], event);
	} else {
		struct timeval tv;
		struct tm tm;
		gettimeofday(&tv, NULL);
		gmtime_r(&tv.tv_sec, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
		len = snprintf(line, sizeof(line), "ts=%s.%03ldZ level=%s prog=%s event=%s ", ts,
			       (long)(tv.tv_usec / 1000), log_names[level], log_program, event);
	}
	if (len < 0 || (size_t)len >= sizeof(line))
		return;
	n = (size_t)len + log_copy_escaped(line + len, sizeof(line) - (size_t)len - 1, body);
	line[n++] = '\n';
	/* one write per line so lines from threads and processes do not interleave */
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}

const char *log_quote(const char *value, char *out, unsigned long outlen)
{
	size_t n = 0;

	if (outlen < 3) {
		if (outlen)
			out[0] = '\0';
		return out;
	}
	out[n++] = '"';
	for (; value && *value && n + 4 < outlen; value++) {
		unsigned char c = (unsigned char)*value;
		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c == '\n') {
			out[n++] = '\\';
			out[n++] = 'n';
		} else if (c < 0x20 || c == 0x7f) {
			out[n++] = ' ';
		} else {
			out[n++] = (char)c;
		}
	}
	out[n++] = '"';
	out[n] = '\0';
	return out;
}
