/*
 * validate.h - checks and normalization of what people type: subdomains,
 * mobile phones, email addresses, full names, sign-in logins.
 *
 * Each check returns 0 and writes the normalized value to out, or -1 with
 * *code set to a stable code ("format", "reserved", ...) and *why to a
 * Russian sentence that says what is allowed. Both are static strings.
 */
#ifndef CABINET_VALIDATE_H
#define CABINET_VALIDATE_H

#include <stddef.h>

#define VALIDATE_SUBDOMAIN_MAX 63
#define VALIDATE_PHONE_LEN     12 /* +7XXXXXXXXXX */
#define VALIDATE_EMAIL_MAX     254
#define VALIDATE_NAME_MAX      300

/* Latin letters, digits and hyphen, 3..63, no hyphen at either end, lower
 * case, not a reserved name (www, admin, api, mail, ...). */
int validate_subdomain(const char *in, char *out, size_t outlen, const char **code,
		       const char **why);
/* A Russian mobile number in any usual spelling (+7 912 345-67-89,
 * 8 (912) 3456789, 9123456789) -> +79123456789. */
int validate_phone(const char *in, char *out, size_t outlen, const char **code, const char **why);
/* name@domain.tld, lower-cased domain, at most 254 characters. */
int validate_email(const char *in, char *out, size_t outlen, const char **code, const char **why);
/* Letters (Cyrillic or Latin), spaces, hyphens, apostrophes and dots;
 * spaces trimmed and collapsed; 2..300 characters. */
int validate_full_name(const char *in, char *out, size_t outlen, const char **code,
		       const char **why);
/* The form a login is looked up in: an email lower-cased, a phone
 * normalized, anything else lower-cased and trimmed. Returns 0, or -1 for
 * an empty or oversized login. */
int validate_login_key(const char *in, char *out, size_t outlen);

#endif
