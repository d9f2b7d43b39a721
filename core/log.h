/*
 * log.h - one line per event, logfmt (key=value), on stderr.
 *
 * Under journald (JOURNAL_STREAM set) lines get a "<N>" priority prefix and no
 * timestamp; otherwise they start with ts=. Control characters in the line are
 * escaped so a value cannot forge a second line. Never pass passwords, codes,
 * tokens or personal data values: log identifiers (req, tenant, user, op).
 */
#ifndef CABINET_LOG_H
#define CABINET_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void log_init(const char *program);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parses "error", "warn", "info", "debug"; returns -1 for anything else. */
int log_level_parse(const char *name);

/* log_event(LOG_INFO, "started", "workers=%d", 4) prints
 * "ts=... level=info prog=cabinetd event=started workers=4". */
void log_event(enum log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Quotes a value for logfmt: "a b" -> "\"a b\"", escapes quotes, backslashes
 * and control characters, truncates to fit. Returns out. */
const char *log_quote(const char *value, char *out, unsigned long outlen);

#define log_error(ev, ...) log_event(LOG_ERROR, ev, __VA_ARGS__)
#define log_warn(ev, ...)  log_event(LOG_WARN, ev, __VA_ARGS__)
#define log_info(ev, ...)  log_event(LOG_INFO, ev, __VA_ARGS__)
#define log_debug(ev, ...)                                                                         \
	do {                                                                                       \
		if (log_get_level() >= LOG_DEBUG)                                                  \
			log_event(LOG_DEBUG, ev, __VA_ARGS__);                                     \
	} while (0)

#endif
