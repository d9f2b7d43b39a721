#include "password.h"

#include <argon2.h>
#include <ctype.h>
#include <openssl/rand.h>
#include <string.h>

#define PASSWORD_SALT 16
#define PASSWORD_LEN  32

int password_hash(const char *password, long memory_kib, long passes, char *out, size_t outlen)
{
	unsigned char salt[PASSWORD_SALT];

	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return -1;
	return argon2id_hash_encoded((uint32_t)passes, (uint32_t)memory_kib, 1, password,
	                             strlen(password), salt, sizeof(salt), PASSWORD_LEN, out,
	                             outlen) == ARGON2_OK
	           ? 0
	           : -1;
}

int password_verify(const char *encoded, const char *password)
{
	if (encoded == NULL || strncmp(encoded, "$argon2id$", 10) != 0) {
		/* the work of a verification with the default cost, for nothing */
		static const unsigned char salt[PASSWORD_SALT] = "cabinet-dummy!!";
		unsigned char out[PASSWORD_LEN];
		argon2id_hash_raw(2, 19456, 1, password, strlen(password), salt, sizeof(salt), out,
		                  sizeof(out));
		return 0;
	}
	return argon2id_verify(encoded, password, strlen(password)) == ARGON2_OK;
}

static size_t password_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* 1 when s (non-empty) is one character, a whole UTF-8 sequence, repeated. */
static int password_one_char(const char *s)
{
	size_t l = 1, n = strlen(s);

	while (s[l] && ((unsigned char)s[l] & 0xc0) == 0x80)
		l++;
	if (n % l != 0)
		return 0;
	for (size_t i = l; i < n; i += l)
		if (memcmp(s + i, s, l) != 0)
			return 0;
	return 1;
}

static int password_same(const char *a, const char *b)
{
	return b && *b && strcasecmp(a, b) == 0;
}

int password_check(const char *password, const char *const *personal, int npersonal,
                   const char **code, const char **why)
{
	size_t n = password ? password_chars(password) : 0;

	if (n < PASSWORD_MIN) {
		*code = "too_short";
		*why = "Пароль должен быть не короче 12 символов. " PASSWORD_ADVICE;
		return -1;
	}
	if (strlen(password) > PASSWORD_MAX) {
		*code = "too_long";
		*why = "Пароль не длиннее 256 байт";
		return -1;
	}
	/* a password is not text (any letters, spaces, symbols), but a
	 * control character is no key anyone can type again */
	for (const unsigned char *p = (const unsigned char *)password; *p; p++)
		if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)) {
			*code = "control";
			*why = "Пароль не должен содержать управляющие символы (перевод строки, "
			       "табуляцию и т. п.)";
			return -1;
		}
	if (password_one_char(password)) {
		*code = "weak";
		*why = "Пароль из одного повторяющегося символа слишком простой. " PASSWORD_ADVICE;
		return -1;
	}
	for (int i = 0; i < npersonal; i++) {
		const char *v = personal[i], *at = v ? strchr(v, '@') : NULL;
		char local[256];
		if (password_same(password, v) ||
		    (v && v[0] == '+' && password_same(password, v + 1))) {
			*code = "personal";
			*why = "Пароль не должен совпадать с логином, почтой или телефоном";
			return -1;
		}
		if (at && (size_t)(at - v) < sizeof(local)) {
			memcpy(local, v, (size_t)(at - v));
			local[at - v] = '\0';
			if (password_same(password, local)) {
				*code = "personal";
				*why = "Пароль не должен совпадать с логином, почтой или телефоном";
				return -1;
			}
		}
	}
	return 0;
}

/* ---- the forms looked up in the list of common passwords ---- */

#define PASSWORD_CPS       PASSWORD_MAX /* code points: at most one a byte */
#define PASSWORD_EXTRA     3            /* a listed password extended by up to 3 characters */
#define PASSWORD_EXTRA_MIN 8            /* ... when the listed one has at least 8 */
#define PASSWORD_FORM_MIN  4            /* shorter forms are not looked up */

/* The ЙЦУКЕН keys and the QWERTY keys under the same fingers, in order. */
static const char password_cyr_keys[] = "йцукенгшщзхъфывапролджэячсмитьбюё";
static const char password_lat_keys[] = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";

struct password_form {
	unsigned cp[PASSWORD_CPS];
	size_t n;
};

/* UTF-8 -> code points (a malformed byte stands for itself). */
static void password_decode(const char *s, struct password_form *f)
{
	const unsigned char *p = (const unsigned char *)s;

	f->n = 0;
	while (*p && f->n < PASSWORD_CPS) {
		unsigned c = *p++;
		int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
		if (more) {
			c &= 0x3F >> more;
			for (; more && (*p & 0xC0) == 0x80; more--)
				c = (c << 6) | (*p++ & 0x3F);
		}
		f->cp[f->n++] = c;
	}
}

static size_t password_encode(const struct password_form *f, size_t from, size_t to, char *out)
{
	size_t o = 0;

	for (size_t i = from; i < to; i++) {
		unsigned c = f->cp[i];
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xC0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xE0 | (c >> 12));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[o++] = (char)(0xF0 | (c >> 18));
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		}
	}
	out[o] = '\0';
	return o;
}

/* Latin and Cyrillic letters in lower case (the list is in lower case). */
static unsigned password_lower(unsigned c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0x410 && c <= 0x42F) /* А..Я */
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40F) /* Ѐ..Џ, Ё among them */
		return c + 0x50;
	return c;
}

/* The character typed by the same key in the other layout (to_latin: from
 * ЙЦУКЕН to QWERTY, else back), or c itself; cyr and lat: the keys. */
static unsigned password_other_layout(unsigned c, int to_latin, const struct password_form *cyr,
                                      const struct password_form *lat)
{
	for (size_t i = 0; i < cyr->n; i++)
		if (c == (to_latin ? cyr->cp[i] : lat->cp[i]))
			return to_latin ? lat->cp[i] : cyr->cp[i];
	return c;
}

/* What is stripped from either end: ASCII digits (with digits) and the
 * ASCII characters that are neither letters nor digits. */
static int password_trimmed(unsigned c, int digits)
{
	return c < 0x80 && ((digits && c >= '0' && c <= '9') ||
	                    !((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z')));
}

static void password_trim(struct password_form *f, int digits)
{
	size_t a = 0, b = f->n;

	while (a < b && password_trimmed(f->cp[a], digits))
		a++;
	while (b > a && password_trimmed(f->cp[b - 1], digits))
		b--;
	memmove(f->cp, f->cp + a, (b - a) * sizeof(f->cp[0]));
	f->n = b - a;
}

/* A word repeated (парольпароль, abcabcabc) -> the word once. */
static void password_collapse(struct password_form *f)
{
	for (size_t p = 1; p <= f->n / 2; p++) {
		size_t i = p;
		if (f->n % p != 0)
			continue;
		while (i < f->n && f->cp[i] == f->cp[i - p])
			i++;
		if (i == f->n) {
			f->n = p;
			return;
		}
	}
}

/* f and what a listed password extended by a few characters leaves:
 * its prefixes up to PASSWORD_EXTRA characters shorter (1q2w3e4r5t6y7). */
static void password_emit(const struct password_form *f, void (*emit)(void *arg, const char *form),
                          void *arg)
{
	char out[PASSWORD_CPS * 4 + 1];

	for (size_t k = 0; k <= PASSWORD_EXTRA && k < f->n; k++) {
		size_t n = f->n - k;
		if (n < (k ? PASSWORD_EXTRA_MIN : PASSWORD_FORM_MIN))
			break;
		password_encode(f, 0, n, out);
		emit(arg, out);
	}
}

void password_common_forms(const char *password, void (*emit)(void *arg, const char *form),
                           void *arg)
{
	struct password_form base, c, d, cyr, lat;

	if (password == NULL)
		return;
	password_decode(password_cyr_keys, &cyr);
	password_decode(password_lat_keys, &lat);
	password_decode(password, &base);
	for (size_t i = 0; i < base.n; i++)
		base.cp[i] = password_lower(base.cp[i]);
	/* as typed, typed in the other layout one way, the other way */
	for (int layout = 0; layout < 3; layout++) {
		struct password_form b = base;
		if (layout)
			for (size_t i = 0; i < b.n; i++)
				b.cp[i] = password_other_layout(b.cp[i], layout == 1, &cyr, &lat);
		/* whole, without symbols around, without digits and symbols */
		for (int trim = 0; trim < 3; trim++) {
			c = b;
			if (trim)
				password_trim(&c, trim == 2);
			password_emit(&c, emit, arg);
			d = c;
			password_collapse(&d);
			if (d.n == c.n)
				continue;
			password_emit(&d, emit, arg);
			password_trim(&d, 1); /* пароль1пароль1 */
			password_emit(&d, emit, arg);
		}
	}
}
