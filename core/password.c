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
