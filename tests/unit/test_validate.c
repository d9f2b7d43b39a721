#include "check.h"
#include "password.h"
#include "date.h"
#include "testutil.h"
#include "validate.h"

#include <stdlib.h>

/*
 * What a person types into the sign-up and staff forms, and what comes
 * back: the normalized value, or the stable code and a sentence whose key
 * words (the "hint" column) say what is allowed.
 */

typedef int (*check_fn)(const char *in, char *out, size_t outlen, const char **code,
                        const char **why);

struct vcase {
	const char *in;
	const char *want; /* the normalized value, or NULL for a refusal */
	const char *code; /* on a refusal */
	const char *hint; /* on a refusal: a fragment of the sentence */
};

static void run_cases(const char *what, check_fn fn, const struct vcase *cases, size_t n,
                      size_t outlen)
{
	char *out = malloc(outlen);

	for (size_t i = 0; i < n; i++) {
		const struct vcase *c = &cases[i];
		const char *code = NULL, *why = NULL;
		int rc;

		memset(out, 0, outlen);
		rc = fn(c->in, out, outlen, &code, &why);
		if (c->want) {
			if (rc != 0)
				fprintf(stderr, "%s \"%s\": refused: %s %s\n", what, c->in, code,
				        why);
			CHECK_INT(rc, 0);
			CHECK_STR(out, c->want);
			continue;
		}
		if (rc == 0 || code == NULL || strcmp(code, c->code) != 0 || why == NULL ||
		    strstr(why, c->hint) == NULL)
			fprintf(stderr, "%s \"%s\": rc=%d code=%s why=%s\n", what, c->in, rc,
			        code ? code : "(null)", why ? why : "(null)");
		CHECK_INT(rc, -1);
		CHECK_STR(code, c->code);
		CHECK(why != NULL && strstr(why, c->hint) != NULL);
	}
	free(out);
}

#define RUN_CASES(what, fn, cases, outlen)                                                         \
	run_cases(what, fn, cases, sizeof(cases) / sizeof(cases[0]), outlen)

static const struct vcase phone_cases[] = {
    {"8 (912) 345-67-89", "+79123456789", NULL, NULL},
    {"+7 912 345 67 89", "+79123456789", NULL, NULL},
    {"+7 (912) 345-67-89", "+79123456789", NULL, NULL},
    {"+79123456789", "+79123456789", NULL, NULL},
    {"89123456789", "+79123456789", NULL, NULL},
    {"79123456789", "+79123456789", NULL, NULL},
    {"9123456789", "+79123456789", NULL, NULL},
    {"912-345-67-89\t", "+79123456789", NULL, NULL},
    {" +7 912 345 67 89", "+79123456789", NULL, NULL}, /* pasted with a space */
    {"   ", NULL, "required", "+7XXXXXXXXXX"},
    {"", NULL, "required", "+7XXXXXXXXXX"},
    {NULL, NULL, "required", "+7XXXXXXXXXX"},
    {"912345678", NULL, "format", "+7 и 10 цифр"},       /* 9 digits */
    {"891234567890", NULL, "format", "+7 и 10 цифр"},    /* 12 digits */
    {"+7 912 345 67 8", NULL, "format", "+7 и 10 цифр"}, /* one short */
    {"+9123456789", NULL, "format", "+7 и 10 цифр"},     /* 10 digits need no '+' */
    {"8 912 ABC 67 89", NULL, "format", "+7 и 10 цифр"}, /* letters */
    {"+7 912 345 67 89 доб. 1", NULL, "format", "+7 и 10 цифр"},
    {"+7 912 345+67 89", NULL, "format", "+7 и 10 цифр"}, /* '+' inside */
    {"12345678901234567890123456789012345", NULL, "format", "+7 и 10 цифр"},
    {"+1 202 555 0143", NULL, "format", "+7 и 10 цифр"},           /* USA */
    {"+8 912 345 67 89", NULL, "format", "российский номер"},      /* "+8" is not Russia */
    {"+7 (495) 123-45-67", NULL, "not_mobile", "после +7 идёт 9"}, /* Moscow landline */
    {"8 (812) 123-45-67", NULL, "not_mobile", "мобильного"},
};

TEST(test_phone)
{
	char small[VALIDATE_PHONE_LEN];
	const char *code, *why;

	RUN_CASES("phone", validate_phone, phone_cases, VALIDATE_PHONE_LEN + 1);
	/* an output buffer without room for the NUL is refused, not overrun */
	CHECK_INT(validate_phone("+79123456789", small, sizeof(small), &code, &why), -1);
}

static const struct vcase email_cases[] = {
    {"ivan@example.ru", "ivan@example.ru", NULL, NULL},
    {"Ivan.Petrov@Example.RU", "ivan.petrov@example.ru", NULL, NULL}, /* all lower-cased */
    /* one form of an internationalized address, however it is typed */
    {"Анна@Пример.рф", "анна@пример.рф", NULL, NULL},
    {"АННА@ПРИМЕР.РФ", "анна@пример.рф", NULL, NULL},
    {"анна@xn--e1afmkfd.xn--p1ai", "анна@пример.рф", NULL, NULL},
    {"Анна@XN--E1AFMKFD.xn--P1AI", "анна@пример.рф", NULL, NULL},
    {"Ёлка@Bücher.DE", "ёлка@bücher.de", NULL, NULL},
    {"x@xn--bcher-kva.de", "x@bücher.de", NULL, NULL},
    {"ab--cd@ab--cd.ru", "ab--cd@ab--cd.ru", NULL, NULL}, /* plain ASCII stays as it is */
    {"x@xn--zz.ru", NULL, "format", "имя@домен.ru"},      /* broken punycode */
    {"x@\xd0.ru", NULL, "format", "имя@домен.ru"},        /* not UTF-8 */
    {"  a@b.ru \t", "a@b.ru", NULL, NULL},
    {"hr+cabinet@mail.example.com", "hr+cabinet@mail.example.com", NULL, NULL},
    {"info@пример.рф", "info@пример.рф", NULL, NULL},
    {"", NULL, "required", "электронной почты"},
    {NULL, NULL, "required", "электронной почты"},
    {"ivan.example.ru", NULL, "format", "имя@домен.ru"},
    {"@example.ru", NULL, "format", "имя@домен.ru"},
    {"ivan@", NULL, "format", "имя@домен.ru"},
    {"ivan@localhost", NULL, "format", "имя@домен.ru"},
    {"ivan@@example.ru", NULL, "format", "имя@домен.ru"},
    {"ivan@a@example.ru", NULL, "format", "имя@домен.ru"},
    {"ivan@example..ru", NULL, "format", "имя@домен.ru"},
    {"ivan@.example.ru", NULL, "format", "имя@домен.ru"},
    {"ivan@example.ru.", NULL, "format", "имя@домен.ru"},
    {"ivan@example-.ru", NULL, "format", "имя@домен.ru"},
    {"ivan@-example.ru", NULL, "format", "имя@домен.ru"},
    {"ivan@mail.-example.ru", NULL, "format", "имя@домен.ru"},
    {"ivan@example.ru-", NULL, "format", "имя@домен.ru"},
    {"ivan petrov@example.ru", NULL, "format", "имя@домен.ru"},
    {"<ivan>@example.ru", NULL, "format", "имя@домен.ru"},
    {"ivan@exa_mple.ru", NULL, "format", "имя@домен.ru"},
};

TEST(test_email)
{
	char longest[VALIDATE_EMAIL_MAX + 2];
	char out[VALIDATE_EMAIL_MAX + 1];
	const char *code = NULL, *why = NULL;

	RUN_CASES("email", validate_email, email_cases, VALIDATE_EMAIL_MAX + 1);

	/* 254 characters pass, 255 do not */
	memset(longest, 'a', sizeof(longest));
	memcpy(longest + VALIDATE_EMAIL_MAX - 7, "@mail.ru", 8);
	longest[VALIDATE_EMAIL_MAX + 1] = '\0';
	CHECK_INT(validate_email(longest + 1, out, sizeof(out), &code, &why), 0);
	CHECK_INT(strlen(out), VALIDATE_EMAIL_MAX);
	CHECK_INT(validate_email(longest, out, sizeof(out), &code, &why), -1);
	CHECK_STR(code, "length");
	CHECK(why && strstr(why, "254") != NULL);
}

static const struct vcase subdomain_cases[] = {
    {"romashka", "romashka", NULL, NULL},
    {"My-Company", "my-company", NULL, NULL},
    {"ABC", "abc", NULL, NULL},
    {"ooo-romashka-2025", "ooo-romashka-2025", NULL, NULL},
    {"123", "123", NULL, NULL},
    {"", NULL, "required", "латинские буквы, цифры и дефис"},
    {NULL, NULL, "required", "от 3 до 63"},
    {"ab", NULL, "length", "от 3 до 63"},
    {"-romashka", NULL, "format", "дефисом"},
    {"romashka-", NULL, "format", "дефисом"},
    {"my_company", NULL, "format", "латинские буквы, цифры и дефис"},
    {"my.company", NULL, "format", "латинские буквы, цифры и дефис"},
    {"my company", NULL, "format", "латинские буквы, цифры и дефис"},
    {"ромашка", NULL, "format", "латинские буквы, цифры и дефис"},
    {"xn--80aa", NULL, "format", "xn--"},
    {"www", NULL, "reserved", "зарезервирован"},
    {"admin", NULL, "reserved", "зарезервирован"},
    {"API", NULL, "reserved", "зарезервирован"},
    {"mail", NULL, "reserved", "зарезервирован"},
    {"no-reply", NULL, "reserved", "зарезервирован"},
};

TEST(test_subdomain)
{
	char in[VALIDATE_SUBDOMAIN_MAX + 2], out[VALIDATE_SUBDOMAIN_MAX + 1];
	const char *code = NULL, *why = NULL;

	RUN_CASES("subdomain", validate_subdomain, subdomain_cases, VALIDATE_SUBDOMAIN_MAX + 1);

	memset(in, 'a', sizeof(in));
	in[VALIDATE_SUBDOMAIN_MAX] = '\0'; /* 63: the longest DNS label */
	CHECK_INT(validate_subdomain(in, out, sizeof(out), &code, &why), 0);
	CHECK_INT(strlen(out), VALIDATE_SUBDOMAIN_MAX);
	in[VALIDATE_SUBDOMAIN_MAX] = 'a';
	in[VALIDATE_SUBDOMAIN_MAX + 1] = '\0'; /* 64 */
	CHECK_INT(validate_subdomain(in, out, sizeof(out), &code, &why), -1);
	CHECK_STR(code, "length");
	CHECK(why && strstr(why, "от 3 до 63") != NULL);
}

static const struct vcase name_cases[] = {
    {"Иванов Иван Иванович", "Иванов Иван Иванович", NULL, NULL},
    {"  Иванов   Иван\tИванович  ", "Иванов Иван Иванович", NULL, NULL},
    {"Ёлкина Алёна", "Ёлкина Алёна", NULL, NULL},
    {"Салтыков-Щедрин Михаил", "Салтыков-Щедрин Михаил", NULL, NULL},
    {"d'Artagnan Jr.", "d'Artagnan Jr.", NULL, NULL},
    {"Ли Ян", "Ли Ян", NULL, NULL},
    {"", NULL, "required", "фамилию, имя и отчество"},
    {"   ", NULL, "required", "фамилию, имя и отчество"},
    {NULL, NULL, "required", "фамилию, имя и отчество"},
    {"Иванов2", NULL, "format", "буквы, пробелы, дефис, апостроф и точка"},
    {"Иванов, Иван", NULL, "format", "буквы, пробелы, дефис, апостроф и точка"},
    {"Ivanov <script>", NULL, "format", "буквы, пробелы, дефис, апостроф и точка"},
    {"Ω Omega", NULL, "format", "буквы, пробелы, дефис, апостроф и точка"}, /* Greek */
    {"- . '", NULL, "format", "буквы"},
    {"Я", NULL, "format", "буквы"},
    /* a Latin look-alike inside a Cyrillic word (F22): the word and the letter */
    {"Перформер Пaвел Пaвлович", NULL, "mixed_script", "в слове «Пaвел» латинская буква «a»"},
    {"Сидоров-Иванoв Пётр", NULL, "mixed_script", "в слове «Иванoв» латинская буква «o»"},
    {"Ли Мин John", "Ли Мин John", NULL, NULL},
};

TEST(test_full_name)
{
	char in[2 * VALIDATE_NAME_MAX + 3], out[2 * VALIDATE_NAME_MAX + 3];
	const char *code = NULL, *why = NULL;

	RUN_CASES("full name", validate_full_name, name_cases, 2 * VALIDATE_NAME_MAX + 1);

	/* 300 Cyrillic letters (600 bytes) pass, 301 do not: characters count */
	for (int i = 0; i < VALIDATE_NAME_MAX + 1; i++)
		memcpy(in + 2 * i, "Ж", 2);
	in[2 * VALIDATE_NAME_MAX] = '\0';
	CHECK_INT(validate_full_name(in, out, sizeof(out), &code, &why), 0);
	memcpy(in + 2 * VALIDATE_NAME_MAX, "Ж", 2);
	in[2 * VALIDATE_NAME_MAX + 2] = '\0';
	CHECK_INT(validate_full_name(in, out, sizeof(out), &code, &why), -1);
	CHECK_STR(code, "length");
	CHECK(why && strstr(why, "300") != NULL);
	/* a too small output buffer is refused, not overrun */
	CHECK_INT(validate_full_name("Иванов Иван", out, 8, &code, &why), -1);
	CHECK_STR(code, "length");
}

TEST(test_login_key)
{
	char out[256];

	CHECK_INT(validate_login_key("  Ivan.Petrov@Example.RU ", out, sizeof(out)), 0);
	CHECK_STR(out, "ivan.petrov@example.ru");
	CHECK_INT(validate_login_key("8 (912) 345-67-89", out, sizeof(out)), 0);
	CHECK_STR(out, "+79123456789");
	CHECK_INT(validate_login_key(" +7 912 345 67 89 ", out, sizeof(out)), 0);
	CHECK_STR(out, "+79123456789");
	CHECK_INT(validate_login_key("Operator ", out, sizeof(out)), 0);
	CHECK_STR(out, "operator");
	/* an address, typed any way, is looked up in its canonical form */
	CHECK_INT(validate_login_key(" Анна@Пример.рф", out, sizeof(out)), 0);
	CHECK_STR(out, "анна@пример.рф");
	CHECK_INT(validate_login_key("анна@xn--e1afmkfd.xn--p1ai", out, sizeof(out)), 0);
	CHECK_STR(out, "анна@пример.рф");
	/* not an address or a phone: Unicode lower case all the same */
	CHECK_INT(validate_login_key("ОПЕРАТОР@", out, sizeof(out)), 0);
	CHECK_STR(out, "оператор@");
	CHECK_INT(validate_login_key("x\xd0", out, sizeof(out)), -1);
	CHECK_INT(validate_login_key("", out, sizeof(out)), -1);
	CHECK_INT(validate_login_key(" \t ", out, sizeof(out)), -1);
	CHECK_INT(validate_login_key(NULL, out, sizeof(out)), -1);
	CHECK_INT(validate_login_key("someone@example.ru", out, 8), -1);
}

/* The pure part of the password policy; common passwords are refused by
 * the caller against the common_passwords table (sql/0005). */
struct pcase {
	const char *password;
	const char *code; /* NULL: accepted */
	const char *hint;
};

static const struct pcase password_cases[] = {
    {"Correct-Horse-97", NULL, NULL},
    {"Пароль123456", NULL, NULL}, /* 12 characters, 18 bytes */
    {"abcdefghijkl", NULL, NULL}, /* the minimum; the common list is the database's job */
    {"", "too_short", "не короче 12 символов"},
    {"Short-1", "too_short", "не короче 12 символов"},
    {"Correct-Hor", "too_short", "не короче 12 символов"},
    {"Пароль12345", "too_short", "не короче 12 символов"}, /* 11 characters, 17 bytes */
    {"aaaaaaaaaaaa", "weak", "повторяющегося символа"},
    {"ЖЖЖЖЖЖЖЖЖЖЖЖ", "weak", "повторяющегося символа"},
    {"ivan.petrovich@example.ru", "personal", "логином, почтой или телефоном"},
    {"IVAN.PETROVICH@EXAMPLE.RU", "personal", "логином, почтой или телефоном"},
    {"ivan.petrovich", "personal", "логином, почтой или телефоном"}, /* the email's name */
    {"+79123456789", "personal", "логином, почтой или телефоном"},
    {"79123456789", "too_short", "не короче 12 символов"}, /* the phone without + */
    {"ivan-petrov-login", "personal", "логином, почтой или телефоном"},
};

TEST(test_password_check)
{
	const char *personal[] = {"ivan-petrov-login", "ivan.petrovich@example.ru", "+79123456789",
	                          NULL};
	char longest[PASSWORD_MAX + 2];
	const char *code, *why;

	for (size_t i = 0; i < sizeof(password_cases) / sizeof(password_cases[0]); i++) {
		const struct pcase *c = &password_cases[i];
		int rc;

		code = why = NULL;
		rc = password_check(c->password, personal, 4, &code, &why);
		if (c->code == NULL) {
			if (rc != 0)
				fprintf(stderr, "password \"%s\": %s %s\n", c->password, code, why);
			CHECK_INT(rc, 0);
			continue;
		}
		if (rc == 0 || code == NULL || strcmp(code, c->code) != 0)
			fprintf(stderr, "password \"%s\": rc=%d code=%s\n", c->password, rc,
			        code ? code : "(null)");
		CHECK_INT(rc, -1);
		CHECK_STR(code, c->code);
		CHECK(why != NULL && strstr(why, c->hint) != NULL);
	}

	/* the advice on how to choose one comes with the refusals about strength */
	CHECK_INT(password_check("Short-1", personal, 4, &code, &why), -1);
	CHECK(strstr(why, PASSWORD_ADVICE) != NULL);
	CHECK(strstr(why, "латинские буквы верхнего и нижнего регистров и цифры") != NULL);
	/* the length is said once, not again in the advice */
	CHECK(strstr(why, "12 символов") != NULL &&
	      strstr(strstr(why, "12 символов") + 1, "12 символов") == NULL);
	CHECK_INT(password_check("zzzzzzzzzzzz", personal, 4, &code, &why), -1);
	CHECK(strstr(why, PASSWORD_ADVICE) != NULL);

	/* no personal values at all, and NULL or empty ones, are fine */
	CHECK_INT(password_check("Correct-Horse-97", NULL, 0, &code, &why), 0);
	const char *blanks[] = {NULL, "", "+"};
	CHECK_INT(password_check("Correct-Horse-97", blanks, 3, &code, &why), 0);
	CHECK_INT(password_check(NULL, NULL, 0, &code, &why), -1);
	CHECK_STR(code, "too_short");

	/* 256 bytes pass, 257 do not */
	memset(longest, 'x', sizeof(longest));
	longest[0] = 'Y';
	longest[PASSWORD_MAX] = '\0';
	CHECK_INT(password_check(longest, NULL, 0, &code, &why), 0);
	longest[PASSWORD_MAX] = 'x';
	longest[PASSWORD_MAX + 1] = '\0';
	CHECK_INT(password_check(longest, NULL, 0, &code, &why), -1);
	CHECK_STR(code, "too_long");
	CHECK(strstr(why, "256") != NULL);
}

/* Russian identifiers: real-looking numbers with their check digits, and
 * the same with one digit changed. */
static const struct vcase snils_cases[] = {
    {"112-233-445 95", "11223344595", NULL, NULL},
    {"11223344595", "11223344595", NULL, NULL},
    {"001-001-997 00", "00100199700", NULL, NULL}, /* before check numbers */
    {"112-233-445 94", NULL, "checksum", "контрольное число"},
    {"112-233-445", NULL, "format", "11 цифр"},
    {"112.233.445 95", NULL, "format", "11 цифр"},
};

static int inn_person(const char *in, char *out, size_t n, const char **code, const char **why)
{
	return validate_inn(in, 12, out, n, code, why);
}

static int inn_any(const char *in, char *out, size_t n, const char **code, const char **why)
{
	return validate_inn(in, 0, out, n, code, why);
}

static const struct vcase inn_person_cases[] = {
    {"500100732259", "500100732259", NULL, NULL},
    {"500100732258", NULL, "checksum", "контрольные цифры"},
    {"7707083893", NULL, "format", "12 цифр"},
};

static const struct vcase inn_any_cases[] = {
    {"7707083893", "7707083893", NULL, NULL},
    {"7707083894", NULL, "checksum", "контрольные цифры"},
    {"500100732259", "500100732259", NULL, NULL},
    {"77070838", NULL, "format", "10 цифр"},
};

static const struct vcase kpp_cases[] = {
    {"773601001", "773601001", NULL, NULL},
    {"7736AB001", "7736AB001", NULL, NULL},
    {"7736ab001", NULL, "format", "9 знаков"},
    {"77360100", NULL, "format", "9 знаков"},
};

static const struct vcase okpo_cases[] = {
    {"00032537", "00032537", NULL, NULL},
    {"00032536", NULL, "checksum", "контрольная цифра"},
    {"0003253", NULL, "format", "8 цифр"},
};

/* The list of common passwords as the database holds it (sql/0005), and
 * the lookup auth_password_policy makes: any form of the password listed. */
struct common_list {
	char **words;
	size_t n;
	int hit;
	char found[4096]; /* "|form|form|": the listed forms */
};

static void common_list_load(struct common_list *l)
{
	char path[1024];
	struct buf b = BUF_INIT;

	memset(l, 0, sizeof(*l));
	test_path(path, sizeof(path), "sql/0005_common_passwords.sql");
	CHECK_INT(test_read_file(path, &b), 0);
	buf_putc(&b, '\0');
	for (char *p = b.data; p && (p = strstr(p, "\n    ('")) != NULL;) {
		char *start = p + 7, *end = strstr(start, "'),"), *w, *o;
		if (end == NULL)
			end = strstr(start, "');");
		if (end == NULL)
			break;
		w = o = strndup(start, (size_t)(end - start));
		for (const char *q = w; *q; q++) { /* '' is one ' */
			*o++ = *q;
			if (q[0] == '\'' && q[1] == '\'')
				q++;
		}
		*o = '\0';
		l->words = realloc(l->words, (l->n + 1) * sizeof(*l->words));
		l->words[l->n++] = w;
		p = end;
	}
	buf_free(&b);
}

static void common_list_emit(void *arg, const char *form)
{
	struct common_list *l = arg;
	size_t len = strlen(l->found);

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->words[i], form) == 0) {
			l->hit = 1;
			snprintf(l->found + len, sizeof(l->found) - len, "%s|", form);
			return;
		}
}

static int common_listed(struct common_list *l, const char *password)
{
	l->hit = 0;
	strcpy(l->found, "|");
	password_common_forms(password, common_list_emit, l);
	return l->hit;
}

TEST(test_password_common)
{
	/* derived from listed ones (trial-break4 B5), and a form of it that is listed */
	static const char *const refused[][2] = {
	    {"парольпароль", "пароль"},          /* a word repeated */
	    {"gfhjkmgfhjkm", "пароль"},          /* «пароль» twice, typed in QWERTY */
	    {"GFHJKM2026!!", "пароль"},          /* ... with a year and symbols */
	    {"qwertyuiop12", "qwertyuiop"},      /* a walk with digits after it */
	    {"1q2w3e4r5t6y7", "1q2w3e4r5t6y"},   /* a listed walk one key longer */
	    {"1q2w3e4r5t6y7u8", "1q2w3e4r5t6y"}, /* ... three keys longer */
	    {"йцукенгшщзхъ", "йцукенгшщзхъ"},    /* listed as it is */
	    {"ЙЦУКЕНГШЩЗХЪ", "йцукенгшщзхъ"},    /* in upper case */
	    {"qwertyuiop[]", "йцукенгшщзхъ"},    /* the same keys in QWERTY */
	    {"шдщмунщгшдщмунщг", "iloveyou"},    /* a QWERTY word typed in ЙЦУКЕН, twice */
	    {"ЗФЫЫЦЩКВ2026", "password"},        /* ... with a year */
	    {"Пароль123456", "пароль123456"},    /* as before */
	    {"Qwerty123456", "qwerty123456"},    /* as before */
	    {"!!!Пароль!!!2026", "пароль"},      /* symbols and digits at both ends */
	    {"пароль1пароль1", "пароль1"},       /* a word with a digit, twice */
	};
	/* passphrases and random ones are still accepted */
	static const char *const accepted[] = {
	    "Зелёный-трамвай-2026", "correct horse battery", "Correct-Horse-97",
	    "Kx9#mQ2$vL7p",         "Тёплый вечер у реки",   "синий-кит-и-луна",
	    "9f8e7d6c5b4a3210",     "Mor0zhenoe-Plombir",
	};
	struct common_list l;

	common_list_load(&l);
	CHECK(l.n > 4000); /* the list was read */
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char want[200];
		snprintf(want, sizeof(want), "|%s|", refused[i][1]);
		common_listed(&l, refused[i][0]);
		if (strstr(l.found, want) == NULL)
			fprintf(stderr, "password \"%s\": listed as %s, want %s\n", refused[i][0],
			        l.found, want);
		CHECK(strstr(l.found, want) != NULL);
	}
	for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		int hit = common_listed(&l, accepted[i]);
		if (hit)
			fprintf(stderr, "password \"%s\": listed as %s\n", accepted[i], l.found);
		CHECK_INT(hit, 0);
	}
	for (size_t i = 0; i < l.n; i++)
		free(l.words[i]);
	free(l.words);
}

TEST(test_identifiers)
{
	RUN_CASES("snils", validate_snils, snils_cases, VALIDATE_ID_MAX);
	RUN_CASES("inn12", inn_person, inn_person_cases, VALIDATE_ID_MAX);
	RUN_CASES("inn", inn_any, inn_any_cases, VALIDATE_ID_MAX);
	RUN_CASES("kpp", validate_kpp, kpp_cases, VALIDATE_ID_MAX);
	RUN_CASES("okpo", validate_okpo, okpo_cases, VALIDATE_ID_MAX);
}

TEST(test_passport_issued)
{
	const char *code = NULL;
	char why[512];
	int today = date_from_ymd(2026, 12, 2), birth = date_from_ymd(2000, 5, 20);

	/* on the 14th birthday and after it, up to today: fine */
	CHECK_INT(validate_passport_issued(date_from_ymd(2014, 5, 20), birth, today, &code, why,
	                                   sizeof(why)),
	          0);
	CHECK_INT(validate_passport_issued(today, birth, today, &code, why, sizeof(why)), 0);
	/* a day before the 14th birthday */
	CHECK_INT(validate_passport_issued(date_from_ymd(2014, 5, 19), birth, today, &code, why,
	                                   sizeof(why)),
	          -1);
	CHECK_STR(code, "range");
	CHECK_STR(why, "Дата выдачи паспорта 19.05.2014 раньше 14-летия (дата рождения "
	               "20.05.2000): паспорт гражданина РФ выдаётся с 14 лет, не раньше "
	               "20.05.2014. Проверьте дату выдачи");
	/* tomorrow */
	CHECK_INT(validate_passport_issued(date_from_ymd(2026, 12, 3), birth, today, &code, why,
	                                   sizeof(why)),
	          -1);
	CHECK_STR(why,
	          "Дата выдачи паспорта 03.12.2026 ещё не наступила: укажите дату из паспорта");
	/* no birth date known: only the future is refused */
	CHECK_INT(validate_passport_issued(date_from_ymd(1990, 1, 1), DATE_NONE, today, &code, why,
	                                   sizeof(why)),
	          0);
	/* born on 29 February: 14 on 28 February */
	birth = date_from_ymd(2012, 2, 29);
	CHECK_INT(validate_passport_issued(date_from_ymd(2026, 2, 28), birth, today, &code, why,
	                                   sizeof(why)),
	          0);
	CHECK_INT(validate_passport_issued(date_from_ymd(2026, 2, 27), birth, today, &code, why,
	                                   sizeof(why)),
	          -1);
}

int main(void)
{
	RUN(test_phone);
	RUN(test_email);
	RUN(test_subdomain);
	RUN(test_full_name);
	RUN(test_login_key);
	RUN(test_password_check);
	RUN(test_password_common);
	RUN(test_identifiers);
	RUN(test_passport_issued);
	return check_report();
}
