#include "validate.h"

#include "date.h"

#include <ctype.h>
#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unistr.h>
#include <uninorm.h>

static const char *const validate_reserved[] = {
    "www",        "admin",      "api",     "mail",      "smtp",     "imap",       "pop",
    "pop3",       "ftp",        "static",  "assets",    "cdn",      "app",        "help",
    "support",    "status",     "docs",    "blog",      "dev",      "test",       "stage",
    "staging",    "ns1",        "ns2",     "root",      "cabinet",  "kabinet",    "login",
    "auth",       "connect",    "billing", "mx",        "webmail",  "autoconfig", "autodiscover",
    "postmaster", "hostmaster", "abuse",   "localhost", "operator", "system",     "security",
    "noreply",    "no-reply",   NULL,
};

#define FAIL(c, w)                                                                                 \
	do {                                                                                       \
		*code = (c);                                                                       \
		*why = (w);                                                                        \
		return -1;                                                                         \
	} while (0)

int validate_subdomain(const char *in, char *out, size_t outlen, const char **code,
                       const char **why)
{
	size_t n = in ? strlen(in) : 0;

	if (n == 0)
		FAIL("required",
		     "Укажите адрес: латинские буквы, цифры и дефис, от 3 до 63 символов");
	if (n < 3 || n > VALIDATE_SUBDOMAIN_MAX || n >= outlen)
		FAIL("length", "Адрес должен быть от 3 до 63 символов");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (!(isalnum(c) && c < 0x80) && c != '-')
			FAIL("format",
			     "В адресе можно использовать только латинские буквы, цифры и "
			     "дефис");
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	if (out[0] == '-' || out[n - 1] == '-')
		FAIL("format", "Адрес не может начинаться или заканчиваться дефисом");
	if (strncmp(out, "xn--", 4) == 0)
		FAIL("format", "Адрес не может начинаться с «xn--»");
	for (const char *const *r = validate_reserved; *r; r++)
		if (strcmp(out, *r) == 0)
			FAIL("reserved", "Этот адрес зарезервирован, выберите другой");
	return 0;
}

int validate_phone(const char *in, char *out, size_t outlen, const char **code, const char **why)
{
	char digits[32];
	size_t n = 0;
	const char *d;

	while (in && isspace((unsigned char)*in))
		in++; /* pasted numbers often start with a space */
	if (in == NULL || *in == '\0')
		FAIL("required", "Укажите мобильный телефон в формате +7XXXXXXXXXX");
	for (const char *p = in; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof(digits))
				FAIL("format",
				     "Мобильный телефон: +7 и 10 цифр, например +79123456789");
			digits[n++] = *p;
		} else if (!strchr(" -()+\t", *p) || (*p == '+' && p != in)) {
			FAIL("format", "Мобильный телефон: +7 и 10 цифр, например +79123456789");
		}
	}
	digits[n] = '\0';
	if (n == 11 && (digits[0] == '7' || digits[0] == '8'))
		d = digits + 1;
	else if (n == 10 && in[0] != '+')
		d = digits;
	else
		FAIL("format", "Мобильный телефон: +7 и 10 цифр, например +79123456789");
	if (in[0] == '+' && digits[0] != '7')
		FAIL("format", "Нужен российский номер: +7 и 10 цифр");
	if (d[0] != '9')
		FAIL("not_mobile", "Нужен номер мобильного телефона: после +7 идёт 9");
	if (outlen < VALIDATE_PHONE_LEN + 1)
		FAIL("format", "Мобильный телефон: +7 и 10 цифр");
	out[0] = '+';
	out[1] = '7';
	memcpy(out + 2, d, 10);
	out[12] = '\0';
	return 0;
}

static int validate_domain_label_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c >= 0x80;
}

/* Unicode lower case (NFC) of in[0..n) into out as a C string; -1 when it
 * is not UTF-8 or does not fit. libunistring's full case mapping, so
 * "АННА" and "анна" (and "Straße"/"STRASSE"-style pairs of one letter) meet. */
static int validate_lower(const char *in, size_t n, char *out, size_t outlen)
{
	size_t len = outlen;
	uint8_t *r;

	if (u8_check((const uint8_t *)in, n) != NULL)
		return -1;
	if (n == 0) {
		if (outlen == 0)
			return -1;
		out[0] = '\0';
		return 0;
	}
	r = u8_tolower((const uint8_t *)in, n, NULL, UNINORM_NFC, (uint8_t *)out, &len);
	if (r == NULL)
		return -1;
	if (r != (uint8_t *)out) { /* did not fit: libunistring allocated */
		free(r);
		return -1;
	}
	if (len >= outlen)
		return -1;
	out[len] = '\0';
	return 0;
}

int validate_fold(const char *in, char *out, size_t outlen)
{
	char lower[1024];
	size_t j = 0;

	if (validate_lower(in, strlen(in), lower, sizeof(lower)) < 0)
		return -1;
	for (size_t i = 0; lower[i]; i++) {
		unsigned char c = (unsigned char)lower[i];
		if (c == ' ' || c == '\t' || c == '-' || c == '_' || c == '.')
			continue;
		/* U+00A0 no-break space */
		if (c == 0xC2 && (unsigned char)lower[i + 1] == 0xA0) {
			i++;
			continue;
		}
		/* ё as е: people type either */
		if (c == 0xD1 && (unsigned char)lower[i + 1] == 0x91) {
			if (j + 2 >= outlen)
				return -1;
			out[j++] = (char)0xD0;
			out[j++] = (char)0xB5;
			i++;
			continue;
		}
		if (j + 1 >= outlen)
			return -1;
		out[j++] = (char)c;
	}
	out[j] = '\0';
	return 0;
}

/* The canonical form of a domain (already lower-cased): its Unicode form.
 * An internationalized domain (non-ASCII letters, or a label in punycode,
 * "xn--...") goes through IDNA2008 (libidn2) to its ASCII form and back, so
 * "Пример.РФ" and "xn--e1afmkfd.xn--p1ai" both become "пример.рф"; a plain
 * ASCII domain stays as it is. -1 when it is not a valid IDN. */
static int validate_domain(char *dom, size_t outlen)
{
	char *ace = NULL, *uni = NULL;
	int idn = strncmp(dom, "xn--", 4) == 0 || strstr(dom, ".xn--") != NULL, rc = -1;

	for (const char *p = dom; *p && !idn; p++)
		idn = (unsigned char)*p >= 0x80;
	if (!idn)
		return 0;
	if (idn2_lookup_u8((const uint8_t *)dom, (uint8_t **)&ace, IDN2_NONTRANSITIONAL) !=
	        IDN2_OK ||
	    idn2_to_unicode_8z8z(ace, &uni, 0) != IDN2_OK)
		goto out;
	rc = validate_lower(uni, strlen(uni), dom, outlen);
out:
	idn2_free(ace);
	idn2_free(uni);
	return rc;
}

int validate_email(const char *in, char *out, size_t outlen, const char **code, const char **why)
{
	const char *at, *dot;
	char local[VALIDATE_EMAIL_MAX * 2], domain[VALIDATE_EMAIL_MAX * 2];
	size_t n, nl;

	if (in == NULL || *in == '\0')
		FAIL("required", "Укажите адрес электронной почты");
	while (isspace((unsigned char)*in))
		in++;
	n = strlen(in);
	while (n && isspace((unsigned char)in[n - 1]))
		n--;
	if (n > VALIDATE_EMAIL_MAX || n >= outlen)
		FAIL("length", "Адрес электронной почты не длиннее 254 символов");
	at = memchr(in, '@', n);
	if (at == NULL || at == in || memchr(at + 1, '@', n - (size_t)(at - in) - 1))
		FAIL("format", "Адрес электронной почты в виде имя@домен.ru");
	for (const char *p = in; p < at; p++)
		if ((unsigned char)*p <= ' ' || strchr("\"(),:;<>[\\]", *p))
			FAIL("format", "Адрес электронной почты в виде имя@домен.ru");
	dot = NULL;
	for (const char *p = at + 1; p < in + n; p++) {
		if (*p == '.') {
			if (p == at + 1 || p[-1] == '.' || p[-1] == '-' || p + 1 == in + n ||
			    p[1] == '-')
				FAIL("format", "Адрес электронной почты в виде имя@домен.ru");
			dot = p;
		} else if (!validate_domain_label_char((unsigned char)*p) ||
		           (*p == '-' && (p == at + 1 || p + 1 == in + n))) {
			FAIL("format", "Адрес электронной почты в виде имя@домен.ru");
		}
	}
	if (dot == NULL)
		FAIL("format", "Адрес электронной почты в виде имя@домен.ru");
	/* one form for every spelling: the local part's letters and the domain
	 * lower-cased (Unicode), the domain in its Unicode form */
	if (validate_lower(in, (size_t)(at - in), local, sizeof(local)) < 0 ||
	    validate_lower(at + 1, n - (size_t)(at - in) - 1, domain, sizeof(domain)) < 0 ||
	    validate_domain(domain, sizeof(domain)) < 0)
		FAIL("format", "Адрес электронной почты в виде имя@домен.ru");
	nl = strlen(local);
	if (nl + 1 + strlen(domain) >= outlen ||
	    u8_mbsnlen((const uint8_t *)local, nl) + 1 +
	            u8_mbsnlen((const uint8_t *)domain, strlen(domain)) >
	        VALIDATE_EMAIL_MAX)
		FAIL("length", "Адрес электронной почты не длиннее 254 символов");
	snprintf(out, outlen, "%s@%s", local, domain);
	return 0;
}

/* Length in bytes of the UTF-8 sequence at p if it is a letter we accept
 * (Latin or Cyrillic incl. Ё/ё), else 0. */
static size_t validate_letter(const unsigned char *p)
{
	if (isalpha(*p))
		return 1;
	if ((p[0] == 0xd0 && p[1] >= 0x80 && p[1] <= 0xbf) ||
	    (p[0] == 0xd1 && p[1] >= 0x80 && p[1] <= 0x9f))
		return 2;
	return 0;
}

/* The first word of name in lower case, ё as е, into out; -1 when it does
 * not fit or is not UTF-8. */
static int validate_surname_key(const char *name, char *out, size_t outlen)
{
	size_t n = strcspn(name, " ");
	char *e;

	if (validate_lower(name, n, out, outlen) < 0)
		return -1;
	while ((e = strstr(out, "ё")) != NULL) /* the same two bytes long as "е" */
		memcpy(e, "е", 2);
	return 0;
}

int validate_same_surname(const char *a, const char *b)
{
	char ka[256], kb[256];

	if (a == NULL || b == NULL || validate_surname_key(a, ka, sizeof(ka)) < 0 ||
	    validate_surname_key(b, kb, sizeof(kb)) < 0)
		return 0;
	return ka[0] != '\0' && strcmp(ka, kb) == 0;
}

/* A word of a name with Cyrillic letters and a Latin one among them
 * ("Пaвел", its "a" Latin, a common slip of exports): -1 naming the word
 * and the letter (trial-break F22). A whole Latin word stays (Ли Мин John). */
static int validate_name_scripts(const char *name, const char **code, const char **why)
{
	static __thread char buf[400];
	const unsigned char *p = (const unsigned char *)name;

	while (*p) {
		const unsigned char *w = p, *latin = NULL;
		int cyr = 0;
		while (*p && *p != ' ' && *p != '-') {
			if ((*p == 0xD0 || *p == 0xD1) && p[1])
				cyr = 1;
			else if (isalpha(*p) && latin == NULL)
				latin = p;
			p += *p < 0x80 ? 1 : (*p < 0xE0 ? 2 : (*p < 0xF0 ? 3 : 4));
		}
		if (cyr && latin) {
			snprintf(
			    buf, sizeof(buf),
			    "ФИО: в слове «%.*s» латинская буква «%c» среди русских — исправьте "
			    "на русскую",
			    (int)(p - w), (const char *)w, *latin);
			*code = "mixed_script";
			*why = buf;
			return -1;
		}
		while (*p == ' ' || *p == '-')
			p++;
	}
	return 0;
}

int validate_full_name(const char *in, char *out, size_t outlen, const char **code,
                       const char **why)
{
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	size_t o = 0, chars = 0, letters = 0;
	int space = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	while (*p) {
		size_t l = validate_letter(p);
		if (*p == ' ' || *p == '\t') {
			space = 1;
			p++;
			continue;
		}
		if (l == 0 && !strchr("-'.", *p))
			FAIL("format", "ФИО: буквы, пробелы, дефис, апостроф и точка");
		if (space && o) {
			if (o + 1 >= outlen)
				FAIL("length", "ФИО не длиннее 300 символов");
			out[o++] = ' ';
			chars++;
		}
		space = 0;
		if (l == 0)
			l = 1;
		else
			letters++;
		if (o + l >= outlen)
			FAIL("length", "ФИО не длиннее 300 символов");
		memcpy(out + o, p, l);
		o += l;
		p += l;
		chars++;
	}
	out[o] = '\0';
	if (o == 0)
		FAIL("required", "Укажите фамилию, имя и отчество");
	if (letters < 2)
		FAIL("format", "ФИО должно содержать буквы");
	if (chars > VALIDATE_NAME_MAX)
		FAIL("length", "ФИО не длиннее 300 символов");
	return validate_name_scripts(out, code, why);
}

int validate_login_key(const char *in, char *out, size_t outlen)
{
	const char *code, *why;
	char copy[VALIDATE_EMAIL_MAX + 1];
	size_t n;

	if (in == NULL)
		return -1;
	while (isspace((unsigned char)*in))
		in++;
	n = strlen(in);
	while (n && isspace((unsigned char)in[n - 1]))
		n--;
	if (n == 0 || n >= outlen || n > VALIDATE_EMAIL_MAX)
		return -1;
	memcpy(copy, in, n);
	copy[n] = '\0';
	if (memchr(copy, '@', n) != NULL) {
		if (validate_email(copy, out, outlen, &code, &why) == 0)
			return 0;
	} else if (validate_phone(copy, out, outlen, &code, &why) == 0) {
		return 0;
	}
	/* not a valid address or phone: still one key per spelling */
	return validate_lower(copy, n, out, outlen);
}

/* The digits of in, spaces and hyphens dropped; -1 on anything else or
 * more than max digits. */
static int validate_digits(const char *in, char *out, size_t outlen, size_t max, size_t *n)
{
	*n = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (!isdigit((unsigned char)*p) || *n >= max || *n + 1 >= outlen)
			return -1;
		out[(*n)++] = *p;
	}
	out[*n] = '\0';
	return 0;
}

int validate_snils(const char *in, char *out, size_t outlen, const char **code, const char **why)
{
	size_t n;
	int sum = 0, check;

	if (validate_digits(in, out, outlen, 11, &n) < 0 || n != 11) {
		*code = "format";
		*why = "СНИЛС — 11 цифр, например 112-233-445 95";
		return -1;
	}
	for (int i = 0; i < 9; i++)
		sum += (out[i] - '0') * (9 - i);
	if (strncmp(out, "001001998", 9) <= 0)
		return 0; /* the first numbers were issued without a check number */
	check = sum < 100 ? sum : sum % 101 == 100 ? 0 : sum % 101;
	if (check != (out[9] - '0') * 10 + (out[10] - '0')) {
		*code = "checksum";
		*why = "СНИЛС с ошибкой: не сходится контрольное число, проверьте цифры";
		return -1;
	}
	return 0;
}

static int validate_inn_digit(const char *d, const int *w, int n)
{
	int sum = 0;

	for (int i = 0; i < n; i++)
		sum += (d[i] - '0') * w[i];
	return sum % 11 % 10;
}

int validate_inn(const char *in, int digits, char *out, size_t outlen, const char **code,
		 const char **why)
{
	static const int w10[] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
	static const int w11[] = {7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
	static const int w12[] = {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
	size_t n;
	int ok;

	if (validate_digits(in, out, outlen, 12, &n) < 0 || (n != 10 && n != 12) ||
	    (digits && n != (size_t)digits)) {
		*code = "format";
		*why = digits == 12   ? "ИНН физического лица — 12 цифр"
		       : digits == 10 ? "ИНН организации — 10 цифр"
				      : "ИНН — 10 цифр (организация) или 12 (индивидуальный "
					"предприниматель)";
		return -1;
	}
	if (n == 10)
		ok = validate_inn_digit(out, w10, 9) == out[9] - '0';
	else
		ok = validate_inn_digit(out, w11, 10) == out[10] - '0' &&
		     validate_inn_digit(out, w12, 11) == out[11] - '0';
	if (!ok) {
		*code = "checksum";
		*why = "ИНН с ошибкой: не сходятся контрольные цифры, проверьте номер";
		return -1;
	}
	return 0;
}

int validate_kpp(const char *in, char *out, size_t outlen, const char **code, const char **why)
{
	size_t n = strlen(in);

	if (n != 9 || outlen < 10)
		goto bad;
	for (size_t i = 0; i < 9; i++) {
		char c = in[i];
		if (!(isdigit((unsigned char)c) || ((i == 4 || i == 5) && c >= 'A' && c <= 'Z')))
			goto bad;
		out[i] = c;
	}
	out[9] = '\0';
	return 0;
bad:
	*code = "format";
	*why = "КПП — 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры";
	return -1;
}

static int validate_okpo_digit(const char *d, int n, int first)
{
	int sum = 0;

	for (int i = 0; i < n; i++)
		sum += (d[i] - '0') * ((first + i - 1) % 10 + 1);
	return sum % 11;
}

int validate_okpo(const char *in, char *out, size_t outlen, const char **code, const char **why)
{
	size_t n;
	int check;

	if (validate_digits(in, out, outlen, 10, &n) < 0 || (n != 8 && n != 10)) {
		*code = "format";
		*why = "ОКПО — 8 цифр (организация) или 10 (индивидуальный предприниматель)";
		return -1;
	}
	check = validate_okpo_digit(out, (int)n - 1, 1);
	if (check == 10)
		check = validate_okpo_digit(out, (int)n - 1, 3) % 10;
	if (check != out[n - 1] - '0') {
		*code = "checksum";
		*why = "ОКПО с ошибкой: не сходится контрольная цифра, проверьте код";
		return -1;
	}
	return 0;
}

#define VALIDATE_PASSPORT_AGE 14 /* years: Decree 828 of 08.07.1997 */

int validate_passport_issued(int issued, int birth, int today, const char **code, char *why,
                             size_t n)
{
	char d[DATE_BUFSZ], b[DATE_BUFSZ], from[DATE_BUFSZ];
	int fourteen;

	date_format_ru(issued, d);
	*code = "range";
	if (issued > today) {
		snprintf(why, n,
		         "Дата выдачи паспорта %s ещё не наступила: укажите дату из паспорта", d);
		return -1;
	}
	if (birth == DATE_NONE)
		return 0;
	/* the 14th birthday; one born on 29 February turns 14 on 28 February */
	fourteen = date_add_months(birth, VALIDATE_PASSPORT_AGE * 12);
	if (issued < fourteen) {
		date_format_ru(birth, b);
		date_format_ru(fourteen, from);
		snprintf(why, n,
		         "Дата выдачи паспорта %s раньше 14-летия (дата рождения %s): паспорт "
		         "гражданина РФ выдаётся с 14 лет, не раньше %s. Проверьте дату выдачи",
		         d, b, from);
		return -1;
	}
	return 0;
}
