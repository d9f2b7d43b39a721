#include "cfg.h"

#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY(name, type, def, min, max, reload, help)                                               \
	{#name, type, offsetof(struct cfg, name), def, min, max, reload, help}

const struct cfg_key cfg_keys[] = {
    KEY(socket_path, CFG_STR, "/run/cabinet/core.sock", 0, 0, 0,
        "Unix socket where cabinetd listens for the responders and cabinetctl."),
    KEY(socket_mode, CFG_MODE, "0660", 0, 0777, 0, "Permissions of the core socket (octal)."),
    KEY(peer_uids, CFG_UIDS, "", 0, 0, 1,
        "Users allowed to connect to the core socket besides root and the core's own user."),
    KEY(operator_uids, CFG_UIDS, "root", 0, 0, 1,
        "Users whose connections may run operator operations (cabinetctl)."),
    KEY(workers, CFG_INT, "4", 1, 64, 0,
        "Worker threads, each with its own PostgreSQL connection."),
    KEY(db_conninfo, CFG_STR, "dbname=cabinet user=cabinet_app", 0, 0, 0,
        "libpq connection string of the core's role (not the tables' owner)."),
    KEY(db_migrate_conninfo, CFG_STR, "dbname=cabinet user=cabinet", 0, 0, 0,
        "libpq connection string of the owner role, used by `cabinetd migrate` only."),
    KEY(sql_dir, CFG_STR, "/usr/share/cabinet/sql", 0, 0, 0,
        "Directory of the numbered SQL migrations and reference data."),
    KEY(max_request, CFG_SIZE, "1m", 1024, 1L << 30, 1,
        "Largest JSON request frame the core accepts."),
    KEY(max_blob, CFG_SIZE, "32m", 1024, 1L << 30, 1,
        "Largest uploaded file frame the core accepts."),
    KEY(attachments_max_size, CFG_SIZE, "10m", 1024, 1L << 30, 0,
        "Largest file attached to a request (scans, a performer's result); keep max_blob at "
        "least as large. The responders and nginx take request bodies this large on "
        "/api/requests/{id}/files."),
    KEY(attachments_bytes_per_employee, CFG_SIZE, "100m", 1024, 1L << 40, 1,
        "Quota of an employee's own files on their open requests (not done, rejected or "
        "cancelled), all together; a file beyond it is refused (422 naming the key). The "
        "files a performer attaches do not count."),
    KEY(requests_per_day, CFG_INT, "50", 1, 100000, 1,
        "Requests one employee may file (drafts too) in any 24 hours; one more is refused "
        "with 429 and Retry-After."),
    KEY(max_positions, CFG_INT, "20000", 1, 10000000, 1,
        "Positions one organization (tenant) may have at most; a batch or form that would "
        "make more is refused (422 naming the key). Far above real companies: it keeps one "
        "tenant from filling the service."),
    KEY(max_departments, CFG_INT, "20000", 1, 10000000, 1,
        "Departments one organization (tenant) may have at most (as max_positions)."),
    KEY(max_employees, CFG_INT, "100000", 1, 10000000, 1,
        "Employees (dismissed ones too) one organization (tenant) may have at most (as "
        "max_positions)."),
    KEY(attachments_types, CFG_STR, "pdf,jpeg,png", 0, 0, 1,
        "Kinds of files a request may carry, comma-separated, of pdf, jpeg, png and tiff (told "
        "by the file's first bytes, not its name)."),
    KEY(attachments_dir, CFG_STR, "", 0, 0, 0,
        "Folder for the files attached to requests (the core's user writes it); empty: they "
        "are kept in PostgreSQL."),
    KEY(shutdown_timeout_ms, CFG_INT, "10000", 0, 600000, 1,
        "On SIGTERM, how long to let in-flight requests finish."),
    KEY(log_level, CFG_LEVEL, "info", 0, 3, 1, "error, warn, info or debug."),
    KEY(debug_ops, CFG_BOOL, "off", 0, 1, 1,
        "Enables debug.* operations used by the test suite. Never on in production."),
    KEY(base_domain, CFG_STR, "localhost", 0, 0, 1,
        "Tenants live at <subdomain>.<base_domain>; the base host shows the connection page."),
    KEY(public_scheme, CFG_STR, "https", 0, 0, 1,
        "Scheme of the links the service sends: https, or http in development."),
    KEY(public_port, CFG_INT, "0", 0, 65535, 1,
        "Port of the links the service sends; 0 for the scheme's default."),
    KEY(connect_policy, CFG_STR, "token", 0, 0, 1,
        "Who may connect an organization: open, token (operator-issued) or closed."),
    KEY(session_idle_s, CFG_INT, "1800", 60, 2592000, 1,
        "A session unused this many seconds ends (background polling does not count)."),
    KEY(session_max_s, CFG_INT, "43200", 3600, 31536000, 1,
        "A session ends this many seconds after sign-in, used or not."),
    KEY(session_cache_size, CFG_INT, "4096", 0, 1000000, 0,
        "Signed-in sessions cabinetd keeps resolved in memory (about 300 bytes each), so "
        "most requests skip the session lookup in PostgreSQL; 0 turns the cache off."),
    KEY(session_cache_ttl_s, CFG_INT, "5", 1, 60, 1,
        "A cached session is looked up in PostgreSQL again after this many seconds: the "
        "longest a change made to the database behind cabinetd's back can go unseen."),
    KEY(payslip_cache_size, CFG_INT, "1024", 0, 1000000, 0,
        "Payslip answers cabinetd keeps in memory (about 2-16 KiB each), so an employee's "
        "repeated payslip read skips PostgreSQL; any write of the organization drops them; "
        "0 turns the cache off."),
    KEY(payslip_cache_ttl_s, CFG_INT, "5", 1, 300, 1,
        "A cached payslip is read from PostgreSQL again after this many seconds: the longest "
        "a change made to the database behind cabinetd's back can go unseen."),
    KEY(code_ttl_s, CFG_INT, "600", 60, 86400, 1, "A one-time code is valid this many seconds."),
    KEY(code_attempts, CFG_INT, "5", 1, 20, 1, "Wrong entries that burn a one-time code."),
    KEY(code_cooldown_s, CFG_INT, "60", 1, 3600, 1,
        "Seconds before another code may be sent for the same account."),
    KEY(code_digits, CFG_INT, "6", 6, 9, 1, "Digits of a one-time code."),
    KEY(code_checks_per_hour, CFG_INT, "10", 1, 10000, 1,
        "Code entries (activation, reset, invitation; wrong or right) per account in an hour."),
    KEY(code_checks_per_day, CFG_INT, "20", 1, 100000, 1, "Code entries per account in 24 hours."),
    KEY(code_sends_per_hour, CFG_INT, "5", 1, 10000, 1,
        "Codes sent to one account in an hour, whatever identifier asked."),
    KEY(code_sends_per_day, CFG_INT, "10", 1, 100000, 1, "Codes sent to one account in 24 hours."),
    KEY(code_ip_checks_per_hour, CFG_INT, "60", 1, 100000, 1,
        "Code entries from one client address in an hour."),
    KEY(code_ip_checks_per_day, CFG_INT, "300", 1, 1000000, 1,
        "Code entries from one client address in 24 hours."),
    KEY(code_ip_sends_per_hour, CFG_INT, "30", 1, 100000, 1,
        "Codes requested from one client address in an hour."),
    KEY(code_ip_sends_per_day, CFG_INT, "200", 1, 1000000, 1,
        "Codes requested from one client address in 24 hours."),
    KEY(code_wrong_notify, CFG_INT, "5", 1, 10000, 1,
        "At this many wrong code entries in an hour the account is told by its other channel."),
    KEY(login_window_s, CFG_INT, "900", 10, 86400, 1,
        "Failed sign-ins are counted in windows of this many seconds; then the count restarts."),
    KEY(cleanup_interval_s, CFG_INT, "60", 1, 3600, 1,
        "How often expired sessions, codes and sign-in counters are removed."),
    KEY(login_max_failures, CFG_INT, "5", 1, 100, 1,
        "Failed sign-ins of one login in a window before each next try waits."),
    KEY(login_delay_s, CFG_INT, "30", 1, 3600, 1,
        "The first wait after login_max_failures; it doubles with each failure."),
    KEY(login_lock_s, CFG_INT, "900", 1, 86400, 1,
        "The longest wait: the login is then locked for this long."),
    KEY(login_ip_max_failures, CFG_INT, "30", 1, 10000, 1,
        "Failed sign-ins from one address in a window before it must wait."),
    KEY(device_ttl_s, CFG_INT, "15552000", 3600, 63072000, 1,
        "A browser that signed in stays known to the account this long after its last sign-in."),
    KEY(password_argon2_memory_kib, CFG_INT, "19456", 1024, 1048576, 1,
        "Argon2id memory cost of new password hashes, KiB."),
    KEY(password_argon2_passes, CFG_INT, "2", 1, 20, 1, "Argon2id passes of new password hashes."),
    KEY(outbox_email, CFG_STR, "file", 0, 0, 1, "Email driver: file or smtp."),
    KEY(outbox_sms, CFG_STR, "file", 0, 0, 1, "SMS driver: file or sms_http."),
    KEY(outbox_file, CFG_STR, "/var/lib/cabinet/outbox.log", 0, 0, 1,
        "The file driver appends one JSON object per message here."),
    KEY(outbox_timeout_ms, CFG_INT, "15000", 100, 300000, 1,
        "How long one delivery attempt may take in all."),
    KEY(outbox_connect_timeout_ms, CFG_INT, "5000", 100, 60000, 1,
        "How long a delivery may wait to connect (for SMTP: up to the server's greeting, "
        "STARTTLS and login)."),
    KEY(outbox_read_timeout_ms, CFG_INT, "10000", 1000, 300000, 1,
        "How long the SMTP server or SMS gateway may stay silent in a delivery (whole "
        "seconds)."),
    KEY(sms_daily_limit_per_tenant, CFG_INT, "1000", 0, 10000000, 1,
        "SMS of one organization a day (in its time zone), every kind counted; the ones over it "
        "fail unsent. 0: no limit."),
    KEY(outbox_max_attempts, CFG_INT, "8", 1, 100, 1,
        "Attempts before a message is marked failed; waits grow from 10 s to 1 h."),
    KEY(outbox_retry_s, CFG_INT, "10", 1, 3600, 1,
        "The wait after the first failed attempt; it doubles with each next one, up to 1 h."),
    KEY(smtp_url, CFG_STR, "smtp://localhost:25", 0, 0, 1,
        "SMTP server: smtp://host:port (STARTTLS per smtp_starttls) or smtps://host:port."),
    KEY(smtp_from, CFG_STR, "cabinet@localhost", 0, 0, 1, "Sender address of the emails."),
    KEY(smtp_user, CFG_STR, "", 0, 0, 1, "SMTP login; empty for none."),
    KEY(smtp_password, CFG_STR, "", 0, 0, 1, "SMTP password."),
    KEY(smtp_starttls, CFG_BOOL, "on", 0, 1, 1, "Require STARTTLS on smtp:// URLs."),
    KEY(smtp_ca_file, CFG_STR, "", 0, 0, 1,
        "CA certificates to check the SMTP server with; empty for the system's."),
    KEY(sms_url, CFG_STR, "http://localhost:8090/sms", 0, 0, 1,
        "SMS gateway URL the sms_http driver POSTs to."),
    KEY(sms_content_type, CFG_STR, "application/json", 0, 0, 1,
        "Content type of the gateway request: application/json or "
        "application/x-www-form-urlencoded (placeholders are escaped accordingly)."),
    KEY(sms_body, CFG_STR, "{\"to\": \"{to}\", \"text\": \"{text}\"}", 0, 0, 1,
        "Body template of the gateway request; {to} and {text} are replaced."),
    KEY(sms_auth_header, CFG_STR, "", 0, 0, 1,
        "An extra request header for the gateway, e.g. \"Authorization: Bearer …\"."),
    KEY(notify_publish_socket, CFG_STR, "/run/cabinet-notify/publish.sock", 0, 0, 1,
        "Unix socket of nginx's nchan publisher (the nginx site's notify server): cabinetd "
        "tells open pages of new notifications there; empty: no push, pages see news when "
        "they fetch."),
    KEY(notify_publish_timeout_ms, CFG_INT, "1000", 10, 60000, 1,
        "How long one publish to nginx may take (connecting included)."),
    KEY(api_socket, CFG_STR, "/run/cabinet-api/api.sock", 0, 0, 0,
        "FastCGI socket of cabinet-api (nginx passes /api/ here)."),
    KEY(admin_socket, CFG_STR, "/run/cabinet-admin/admin.sock", 0, 0, 0,
        "FastCGI socket of cabinet-admin (nginx passes /admin/ here)."),
    KEY(responder_socket_mode, CFG_MODE, "0660", 0, 0777, 0,
        "Permissions of the responders' FastCGI sockets (octal)."),
    KEY(responders, CFG_INT, "4", 1, 256, 0,
        "Processes per responder; each serves one request at a time."),
    KEY(max_body, CFG_SIZE, "1m", 1024, 1L << 30, 0,
        "Largest HTTP request body; larger ones get 413."),
    KEY(exchange_max_body, CFG_SIZE, "32m", 1024, 1L << 30, 0,
        "Largest body of an exchange call (/api/exchange/v1/); keep max_blob at least as large."),
    KEY(core_timeout_ms, CFG_INT, "5000", 100, 600000, 0,
        "How long a responder waits for the core before answering 503."),
    KEY(core_connect_timeout_ms, CFG_INT, "1000", 10, 60000, 0,
        "How long a responder waits to connect to the core."),
    KEY(templates_dir, CFG_STR, "/usr/share/cabinet/templates", 0, 0, 0,
        "Directory of cabinet-admin's HTML templates."),
    KEY(trusted_proxies, CFG_STR, "", 0, 0, 1,
        "Reverse proxies whose X-Forwarded-For nginx believes (addresses or networks, "
        "comma-separated); scripts/run.sh renders them into the nginx site."),
    {NULL, CFG_STR, 0, NULL, 0, 0, 0, NULL},
};

static const struct cfg_key *cfg_key_find(const char *name)
{
	for (const struct cfg_key *k = cfg_keys; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static int cfg_parse_long(const char *value, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(value, &end, 10);
	return errno || end == value || *end ? -1 : 0;
}

static int cfg_parse_size(const char *value, long *out)
{
	char *end;
	long mult = 1;

	errno = 0;
	*out = strtol(value, &end, 10);
	if (errno || end == value)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case '\0': break;
	case 'k': mult = 1L << 10; end++; break;
	case 'm': mult = 1L << 20; end++; break;
	case 'g': mult = 1L << 30; end++; break;
	default: return -1;
	}
	if (*end || *out < 0 || *out > LONG_MAX / mult)
		return -1;
	*out *= mult;
	return 0;
}

static int cfg_parse_uids(const char *value, struct cfg_uids *out, char *err, size_t errlen)
{
	char copy[1024], *save = NULL, *tok;

	out->count = 0;
	if (strlen(value) >= sizeof(copy)) {
		snprintf(err, errlen, "list too long");
		return -1;
	}
	strcpy(copy, value);
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		long n;
		if (out->count == CFG_MAX_UIDS) {
			snprintf(err, errlen, "at most %d users", CFG_MAX_UIDS);
			return -1;
		}
		if (cfg_parse_long(tok, &n) == 0 && n >= 0) {
			out->uid[out->count++] = (uid_t)n;
		} else {
			struct passwd *pw = getpwnam(tok);
			if (pw == NULL) {
				snprintf(err, errlen, "unknown user \"%s\"", tok);
				return -1;
			}
			out->uid[out->count++] = pw->pw_uid;
		}
	}
	return 0;
}

int cfg_set(struct cfg *cfg, const char *key, const char *value, char *err, size_t errlen)
{
	const struct cfg_key *k = cfg_key_find(key);
	void *field;
	long n = 0;

	if (k == NULL) {
		snprintf(err, errlen, "unknown key \"%s\"", key);
		return -1;
	}
	field = (char *)cfg + k->offset;
	switch (k->type) {
	case CFG_STR: {
		char **s = field;
		free(*s);
		*s = strdup(value);
		if (*s == NULL)
			abort();
		return 0;
	}
	case CFG_INT:
	case CFG_SIZE:
		if ((k->type == CFG_INT ? cfg_parse_long(value, &n) : cfg_parse_size(value, &n)) < 0)
			goto bad;
		break;
	case CFG_MODE: {
		char *end;
		errno = 0;
		n = strtol(value, &end, 8);
		if (errno || end == value || *end)
			goto bad;
		break;
	}
	case CFG_BOOL:
		if (!strcmp(value, "on") || !strcmp(value, "yes") || !strcmp(value, "true") ||
		    !strcmp(value, "1"))
			*(int *)field = 1;
		else if (!strcmp(value, "off") || !strcmp(value, "no") ||
			 !strcmp(value, "false") || !strcmp(value, "0"))
			*(int *)field = 0;
		else
			goto bad;
		return 0;
	case CFG_LEVEL:
		n = log_level_parse(value);
		if (n < 0)
			goto bad;
		break;
	case CFG_UIDS:
		if (cfg_parse_uids(value, field, err, errlen) < 0) {
			char why[256];
			snprintf(why, sizeof(why), "%s", err);
			snprintf(err, errlen, "%s: %s", key, why);
			return -1;
		}
		return 0;
	}
	if (n < k->min || n > k->max) {
		snprintf(err, errlen, "%s = %s is out of range (%ld..%ld)", key, value, k->min,
			 k->max);
		return -1;
	}
	*(long *)field = n;
	return 0;
bad:
	snprintf(err, errlen, "%s: bad value \"%s\"", key, value);
	return -1;
}

/* Trims the line and splits it into key and value; returns 0 for a blank or
 * comment line, 1 for a setting, -1 for a malformed line. */
static int cfg_split(char *line, char **key, char **value)
{
	char *p = line, *eq, *end;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	eq = strchr(p, '=');
	if (eq == NULL)
		return -1;
	end = eq;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	*key = p;
	p = eq + 1;
	while (isspace((unsigned char)*p))
		p++;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	if (*p == '"') {
		char *w = p, *r = p + 1;
		for (; *r && *r != '"'; r++) {
			if (*r == '\\' && r[1])
				r++;
			*w++ = *r;
		}
		if (*r != '"' || r[1])
			return -1;
		*w = '\0';
	}
	*value = p;
	return **key ? 1 : -1;
}

static int cfg_one_of(const char *value, const char *const *choices)
{
	for (; *choices; choices++)
		if (strcmp(value, *choices) == 0)
			return 1;
	return 0;
}

/* Checks that need more than one key's type and range. */
static int cfg_check(const struct cfg *cfg, char *err, size_t errlen)
{
	static const struct {
		const char *key;
		size_t offset;
		const char *choices[4];
	} enums[] = {
		{"outbox_email", offsetof(struct cfg, outbox_email), {"file", "smtp", NULL}},
		{"outbox_sms", offsetof(struct cfg, outbox_sms), {"file", "sms_http", NULL}},
		{"connect_policy", offsetof(struct cfg, connect_policy), {"open", "token", "closed", NULL}},
		{"public_scheme", offsetof(struct cfg, public_scheme), {"http", "https", NULL}},
	};

	for (size_t i = 0; i < sizeof(enums) / sizeof(enums[0]); i++) {
		const char *v = *(char *const *)((const char *)cfg + enums[i].offset);
		if (!cfg_one_of(v, enums[i].choices)) {
			snprintf(err, errlen, "%s = %s: allowed are %s, %s%s%s", enums[i].key, v,
				 enums[i].choices[0], enums[i].choices[1],
				 enums[i].choices[2] ? ", " : "",
				 enums[i].choices[2] ? enums[i].choices[2] : "");
			return -1;
		}
	}
	if (strchr(cfg->base_domain, '/') || strchr(cfg->base_domain, ':') || !*cfg->base_domain) {
		snprintf(err, errlen, "base_domain = %s: a host name without scheme or port",
			 cfg->base_domain);
		return -1;
	}
	/* rendered into the nginx site: nothing but addresses, networks and
	 * separators may get there */
	if (strspn(cfg->trusted_proxies, "0123456789abcdefABCDEF.:/, ") !=
	    strlen(cfg->trusted_proxies)) {
		snprintf(err, errlen,
			 "trusted_proxies = %s: addresses or networks (10.0.0.5, 192.0.2.0/24, "
			 "2001:db8::/32), comma-separated",
			 cfg->trusted_proxies);
		return -1;
	}
	if (strchr(cfg->sms_auth_header, '\n') || strchr(cfg->sms_auth_header, '\r')) {
		snprintf(err, errlen, "sms_auth_header: one header line");
		return -1;
	}
	return 0;
}

struct cfg *cfg_load(const char *path, char *err, size_t errlen)
{
	struct cfg *cfg = calloc(1, sizeof(*cfg));
	char line[4096], why[512];
	FILE *f = NULL;
	int lineno = 0;

	if (cfg == NULL)
		abort();
	for (const struct cfg_key *k = cfg_keys; k->name; k++) {
		if (cfg_set(cfg, k->name, k->def, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "default of %s: %s", k->name, why);
			goto fail;
		}
	}
	if (path == NULL)
		return cfg;
	cfg->path = strdup(path);
	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	while (fgets(line, sizeof(line), f)) {
		char *key, *value;
		int r;
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			goto fail;
		}
		r = cfg_split(line, &key, &value);
		if (r == 0)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
			goto fail;
		}
		if (cfg_set(cfg, key, value, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			goto fail;
		}
	}
	fclose(f);
	f = NULL;
	if (cfg_check(cfg, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto fail;
	}
	return cfg;
fail:
	if (f)
		fclose(f);
	cfg_free(cfg);
	return NULL;
}

const char *cfg_reload_blocker(const struct cfg *a, const struct cfg *b)
{
	for (const struct cfg_key *k = cfg_keys; k->name; k++) {
		const char *fa = (const char *)a + k->offset, *fb = (const char *)b + k->offset;
		int same;
		if (k->reloadable)
			continue;
		switch (k->type) {
		case CFG_STR: same = strcmp(*(char *const *)fa, *(char *const *)fb) == 0; break;
		case CFG_BOOL: same = *(const int *)fa == *(const int *)fb; break;
		case CFG_UIDS: same = memcmp(fa, fb, sizeof(struct cfg_uids)) == 0; break;
		default: same = *(const long *)fa == *(const long *)fb; break;
		}
		if (!same)
			return k->name;
	}
	return NULL;
}

int cfg_uid_in(const struct cfg_uids *list, uid_t uid)
{
	for (int i = 0; i < list->count; i++)
		if (list->uid[i] == uid)
			return 1;
	return 0;
}

void cfg_free(struct cfg *cfg)
{
	if (cfg == NULL)
		return;
	for (const struct cfg_key *k = cfg_keys; k->name; k++)
		if (k->type == CFG_STR)
			free(*(char **)((char *)cfg + k->offset));
	free(cfg->path);
	free(cfg);
}

static pthread_mutex_t cfg_current_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cfg *cfg_current;

void cfg_current_replace(struct cfg *cfg)
{
	struct cfg *old;

	if (cfg)
		cfg->refs++;
	pthread_mutex_lock(&cfg_current_lock);
	old = cfg_current;
	cfg_current = cfg;
	pthread_mutex_unlock(&cfg_current_lock);
	if (old)
		cfg_current_release(old);
}

const struct cfg *cfg_current_acquire(void)
{
	struct cfg *cfg;

	pthread_mutex_lock(&cfg_current_lock);
	cfg = cfg_current;
	if (cfg)
		cfg->refs++;
	pthread_mutex_unlock(&cfg_current_lock);
	return cfg;
}

void cfg_current_release(const struct cfg *cfg)
{
	struct cfg *c = (struct cfg *)cfg;
	int last;

	if (c == NULL)
		return;
	pthread_mutex_lock(&cfg_current_lock);
	last = --c->refs == 0;
	pthread_mutex_unlock(&cfg_current_lock);
	if (last)
		cfg_free(c);
}
