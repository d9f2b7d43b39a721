/*
 * fuzz_validate.c - core/validate.h and the pure password policy of
 * core/password.h on what people type into forms and what the exchange
 * sends (СНИЛС, ИНН, КПП, ОКПО with their check digits).
 *
 * The input, up to its first NUL, is given to every check twice: with an
 * output buffer of the documented size, and with an exact-size heap buffer
 * of 1..32 bytes (so a write past outlen is caught). Checked promises: a
 * success gives the normalized form the header describes; a failure gives
 * a code and a sentence.
 */
#include "fuzz.h"
#include "password.h"
#include "validate.h"

#include <ctype.h>

typedef int (*fuzz_check_fn)(const char *in, char *out, size_t outlen, const char **code,
                             const char **why);

static void fuzz_subdomain_ok(const char *out)
{
	size_t n = strlen(out);

	FUZZ_ASSERT(n >= 3 && n <= VALIDATE_SUBDOMAIN_MAX);
	FUZZ_ASSERT(out[0] != '-' && out[n - 1] != '-');
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT((out[i] >= 'a' && out[i] <= 'z') || (out[i] >= '0' && out[i] <= '9') ||
		            out[i] == '-');
}

static void fuzz_phone_ok(const char *out)
{
	FUZZ_ASSERT(strlen(out) == VALIDATE_PHONE_LEN);
	FUZZ_ASSERT(out[0] == '+' && out[1] == '7' && out[2] == '9');
	for (int i = 1; i < VALIDATE_PHONE_LEN; i++)
		FUZZ_ASSERT(isdigit((unsigned char)out[i]));
}

static void fuzz_email_ok(const char *out)
{
	const char *at = strchr(out, '@');

	FUZZ_ASSERT(strlen(out) <= VALIDATE_EMAIL_MAX);
	FUZZ_ASSERT(at != NULL && at != out && strchr(at + 1, '@') == NULL);
	FUZZ_ASSERT(strchr(at, '.') != NULL);
	for (const char *p = at; *p; p++)
		FUZZ_ASSERT(!(*p >= 'A' && *p <= 'Z'));
}

static void fuzz_name_ok(const char *out)
{
	size_t n = strlen(out);

	FUZZ_ASSERT(n >= 2 && out[0] != ' ' && out[n - 1] != ' ');
	FUZZ_ASSERT(strstr(out, "  ") == NULL && strchr(out, '\t') == NULL);
}

/* СНИЛС, ИНН, КПП, ОКПО: digits only (КПП: two Latin capitals allowed),
 * of a documented length */
static void fuzz_digits_ok(const char *out, size_t a, size_t b)
{
	size_t n = strlen(out);

	FUZZ_ASSERT(n == a || n == b);
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(isdigit((unsigned char)out[i]) ||
		            (n == 9 && (i == 4 || i == 5) && out[i] >= 'A' && out[i] <= 'Z'));
}

static void fuzz_snils_ok(const char *out)
{
	fuzz_digits_ok(out, 11, 11);
}

static void fuzz_inn_ok(const char *out)
{
	fuzz_digits_ok(out, 10, 12);
}

static void fuzz_kpp_ok(const char *out)
{
	fuzz_digits_ok(out, 9, 9);
}

static void fuzz_okpo_ok(const char *out)
{
	fuzz_digits_ok(out, 8, 10);
}

static int fuzz_inn_any(const char *in, char *out, size_t n, const char **code, const char **why)
{
	return validate_inn(in, 0, out, n, code, why);
}

static void fuzz_one(fuzz_check_fn fn, void (*ok)(const char *), const char *in, size_t full,
                     size_t small)
{
	char *out = malloc(full);
	const char *code = NULL, *why = NULL;

	if (out == NULL)
		abort();
	if (fn(in, out, full, &code, &why) == 0)
		ok(out);
	else
		FUZZ_ASSERT(code && *code && why && *why);
	free(out);

	out = malloc(small);
	if (out == NULL)
		abort();
	code = why = NULL;
	if (fn(in, out, small, &code, &why) == 0) {
		FUZZ_ASSERT(memchr(out, 0, small) != NULL);
		ok(out);
	} else {
		FUZZ_ASSERT(code && *code && why && *why);
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_strdup(data, size);
	size_t small = size % 32 + 1;
	char key[256];
	const char *code, *why;

	fuzz_one(validate_subdomain, fuzz_subdomain_ok, in, VALIDATE_SUBDOMAIN_MAX + 1, small);
	fuzz_one(validate_phone, fuzz_phone_ok, in, VALIDATE_PHONE_LEN + 1, small);
	fuzz_one(validate_email, fuzz_email_ok, in, VALIDATE_EMAIL_MAX + 1, small);
	fuzz_one(validate_full_name, fuzz_name_ok, in, VALIDATE_NAME_MAX * 4 + 1, small);
	fuzz_one(validate_snils, fuzz_snils_ok, in, VALIDATE_ID_MAX, small);
	fuzz_one(fuzz_inn_any, fuzz_inn_ok, in, VALIDATE_ID_MAX, small);
	fuzz_one(validate_kpp, fuzz_kpp_ok, in, VALIDATE_ID_MAX, small);
	fuzz_one(validate_okpo, fuzz_okpo_ok, in, VALIDATE_ID_MAX, small);
	if (validate_login_key(in, key, sizeof(key)) == 0)
		FUZZ_ASSERT(key[0] != '\0' && strlen(key) < sizeof(key));

	/* the password policy, with the input also as one of the personal values */
	const char *personal[3] = {"user@example.ru", "+79123456789", in};
	code = why = NULL;
	if (password_check(in, personal, 2, &code, &why) != 0)
		FUZZ_ASSERT(code && *code && why && *why);
	FUZZ_ASSERT(password_check(in, personal, 3, &code, &why) != 0);
	free(in);
	return 0;
}
