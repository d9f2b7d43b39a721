/*
 * cfg.h - cabinet.conf, one file for the core and both responders.
 *
 * Every key is one row of cfg_keys[] (cfg.c): name, type, default, limits,
 * whether SIGHUP may change it, and its help text. conf/cabinet.conf.example
 * documents every key (a unit test fails otherwise).
 *
 * Syntax: "key = value" per line; '#' starts a comment at the start of a line;
 * the value is the rest of the line, trimmed, or a "double-quoted" string.
 * Sizes take a k/m/g suffix; durations are in milliseconds (keys end in _ms);
 * uid lists are comma-separated user names or numbers.
 */
#ifndef CABINET_CFG_H
#define CABINET_CFG_H

#include <stddef.h>
#include <sys/types.h>

#define CFG_MAX_UIDS 16

struct cfg_uids {
	int count;
	uid_t uid[CFG_MAX_UIDS];
};

struct cfg {
	/* core */
	char *socket_path;
	long socket_mode;
	struct cfg_uids peer_uids;
	struct cfg_uids operator_uids;
	long workers;
	char *db_conninfo;
	char *db_migrate_conninfo;
	char *sql_dir;
	long max_request;
	long max_blob;
	/* files attached to requests (requests_files.c) */
	long attachments_max_size;
	long attachments_bytes_per_employee; /* bytes of files on one's own open requests */
	long requests_per_day;               /* requests one employee files in 24 hours */
	/* an organization's structure at most (exchange.c) */
	long max_positions, max_departments, max_employees;
	char *attachments_types;
	char *attachments_dir;
	long shutdown_timeout_ms;
	long log_level;
	int debug_ops;
	char *base_domain;
	char *public_scheme;
	long public_port;
	char *connect_policy;
	long session_idle_s;
	long session_max_s;
	long session_cache_size;
	long session_cache_ttl_s;
	long payslip_cache_size;
	long payslip_cache_ttl_s;
	long code_ttl_s;
	long code_attempts;
	long code_cooldown_s;
	long code_digits;
	long code_checks_per_hour;
	long code_checks_per_day;
	long code_sends_per_hour;
	long code_sends_per_day;
	long code_ip_checks_per_hour;
	long code_ip_checks_per_day;
	long code_ip_sends_per_hour;
	long code_ip_sends_per_day;
	long code_wrong_notify;
	long login_window_s;
	long cleanup_interval_s;
	long login_max_failures;
	long login_delay_s;
	long login_lock_s;
	long login_ip_max_failures;
	long device_ttl_s;
	long password_argon2_memory_kib;
	long password_argon2_passes;
	/* outbox */
	char *outbox_email;
	char *outbox_sms;
	char *outbox_file;
	long outbox_timeout_ms;
	long outbox_connect_timeout_ms;
	long outbox_read_timeout_ms;
	long sms_daily_limit_per_tenant;
	long outbox_max_attempts;
	long outbox_retry_s;
	char *smtp_url;
	char *smtp_from;
	char *smtp_user;
	char *smtp_password;
	int smtp_starttls;
	char *smtp_ca_file;
	char *sms_url;
	char *sms_content_type;
	char *sms_body;
	char *sms_auth_header;
	/* notifications: the pages' events through nginx (notifications.h) */
	char *notify_publish_socket;
	long notify_publish_timeout_ms;
	/* responders */
	char *api_socket;
	char *admin_socket;
	long responder_socket_mode;
	long responders;
	long max_body;
	long exchange_max_body;
	long core_timeout_ms;
	long core_connect_timeout_ms;
	char *templates_dir;
	/* nginx (rendered by scripts/run.sh) */
	char *trusted_proxies;
	/* where the config came from, for messages */
	char *path;
	int refs; /* see cfg_current_acquire() */
};

enum cfg_type { CFG_STR, CFG_INT, CFG_SIZE, CFG_MODE, CFG_BOOL, CFG_LEVEL, CFG_UIDS };

struct cfg_key {
	const char *name;
	enum cfg_type type;
	size_t offset;
	const char *def;
	long min, max;
	int reloadable;
	const char *help;
};

extern const struct cfg_key cfg_keys[];

/* Defaults, then the file at path (NULL: defaults only). NULL on error with
 * the file, line and key named in err. The caller owns the result. */
struct cfg *cfg_load(const char *path, char *err, size_t errlen);
/* Sets one key from text (also used by tests); 0 or -1 with err filled. */
int cfg_set(struct cfg *cfg, const char *key, const char *value, char *err, size_t errlen);
/* Names the first key that differs between a and b and may not be reloaded;
 * NULL when b can replace a on SIGHUP. */
const char *cfg_reload_blocker(const struct cfg *a, const struct cfg *b);
int cfg_uid_in(const struct cfg_uids *list, uid_t uid);
void cfg_free(struct cfg *cfg);

/* The process's live configuration, replaced on SIGHUP while requests run:
 * a reader holds a reference for the length of one request. */
void cfg_current_replace(struct cfg *cfg); /* takes ownership; NULL clears at exit */
const struct cfg *cfg_current_acquire(void);
void cfg_current_release(const struct cfg *cfg);

#endif
