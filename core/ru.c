#include "ru.h"

#include "date.h"

#include <stdio.h>
#include <string.h>

const char *ru_plural(long long n, const char *one, const char *few, const char *many)
{
	unsigned long long a = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	unsigned long long d10 = a % 10, d100 = a % 100;

	if (d100 >= 11 && d100 <= 14)
		return many;
	if (d10 == 1)
		return one;
	if (d10 >= 2 && d10 <= 4)
		return few;
	return many;
}

char *ru_format_tenths(long long tenths, char *out, size_t n)
{
	unsigned long long a =
	    tenths < 0 ? 0ULL - (unsigned long long)tenths : (unsigned long long)tenths;

	if (a % 10)
		snprintf(out, n, "%s%llu,%llu", tenths < 0 ? "-" : "", a / 10, a % 10);
	else
		snprintf(out, n, "%s%llu", tenths < 0 ? "-" : "", a / 10);
	return out;
}

const char *ru_plural_tenths(long long tenths, const char *one, const char *few, const char *many,
                             const char *fraction)
{
	if (tenths % 10)
		return fraction;
	return ru_plural(tenths / 10, one, few, many);
}

static const char *const ru_months[12] = {"январь",   "февраль", "март",   "апрель",
                                          "май",      "июнь",    "июль",   "август",
                                          "сентябрь", "октябрь", "ноябрь", "декабрь"};
static const char *const ru_months_gen[12] = {"января",   "февраля", "марта",  "апреля",
                                              "мая",      "июня",    "июля",   "августа",
                                              "сентября", "октября", "ноября", "декабря"};
static const char *const ru_months_title[12] = {"Январь",   "Февраль", "Март",   "Апрель",
                                                "Май",      "Июнь",    "Июль",   "Август",
                                                "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"};

const char *ru_month_name(int month)
{
	return month >= 1 && month <= 12 ? ru_months[month - 1] : NULL;
}

const char *ru_month_genitive(int month)
{
	return month >= 1 && month <= 12 ? ru_months_gen[month - 1] : NULL;
}

const char *ru_month_title(int month)
{
	return month >= 1 && month <= 12 ? ru_months_title[month - 1] : NULL;
}

const char *ru_weekday_short(int weekday)
{
	static const char *const names[7] = {"пн", "вт", "ср", "чт", "пт", "сб", "вс"};

	return weekday >= 1 && weekday <= 7 ? names[weekday - 1] : NULL;
}

char *ru_format_date_long(int date, char *out, size_t n)
{
	int y, m, d;

	date_to_ymd(date, &y, &m, &d);
	snprintf(out, n, "%d %s %d г.", d, ru_months_gen[m - 1], y);
	return out;
}

char *ru_wait(long long seconds, char *out, size_t n)
{
	if (seconds < 1)
		seconds = 1;
	if (seconds < 120) {
		snprintf(out, n, "через %lld %s", seconds,
		         ru_plural(seconds, "секунду", "секунды", "секунд"));
	} else if (seconds < 7200) {
		seconds = (seconds + 59) / 60;
		snprintf(out, n, "через %lld %s", seconds,
		         ru_plural(seconds, "минуту", "минуты", "минут"));
	} else {
		seconds = (seconds + 3599) / 3600;
		snprintf(out, n, "через %lld %s", seconds,
		         ru_plural(seconds, "час", "часа", "часов"));
	}
	return out;
}

char *ru_format_size(long long bytes, char *out, size_t n)
{
	const long long mib = 1LL << 20;

	if (bytes >= mib && (bytes % mib) * 10 / mib)
		snprintf(out, n, "%lld,%lld МБ", bytes / mib, (bytes % mib) * 10 / mib);
	else if (bytes >= mib)
		snprintf(out, n, "%lld МБ", bytes / mib);
	else if (bytes >= 1024)
		snprintf(out, n, "%lld КБ", bytes / 1024);
	else
		snprintf(out, n, "%lld %s", bytes, ru_plural(bytes, "байт", "байта", "байт"));
	return out;
}

char *ru_format_phone(const char *phone, char *out, size_t n)
{
	size_t len = phone ? strlen(phone) : 0;
	int digits = len == 12 && phone[0] == '+' && phone[1] == '7';

	for (size_t i = 1; digits && i < len; i++)
		digits = phone[i] >= '0' && phone[i] <= '9';
	if (digits)
		snprintf(out, n, "+7 %.3s %.3s-%.2s-%.2s", phone + 2, phone + 5, phone + 8,
		         phone + 10);
	else
		snprintf(out, n, "%s", phone ? phone : "");
	return out;
}

/* 1 when word (n bytes) ends with the UTF-8 suffix. */
static int ru_ends(const char *word, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(word + n - k, suffix, k) == 0;
}

enum ru_gender ru_gender_of(const char *full_name)
{
	const char *w[8];
	size_t len[8];
	int n = 0;

	/* the words, split at spaces */
	for (const char *p = full_name; p && *p && n < 8;) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		w[n] = p;
		len[n] = strcspn(p, " \t");
		p += len[n++];
	}
	if (n < 3)
		return RU_GENDER_UNKNOWN;
	/* Turkic patronymics: "Алиев Рашид Ахмед оглы", "Алиева Лейла Ахмед кызы" */
	if (ru_ends(w[n - 1], len[n - 1], "оглы") || ru_ends(w[n - 1], len[n - 1], "улы"))
		return RU_GENDER_MASCULINE;
	if (ru_ends(w[n - 1], len[n - 1], "кызы") || ru_ends(w[n - 1], len[n - 1], "гызы"))
		return RU_GENDER_FEMININE;
	if (ru_ends(w[2], len[2], "ич") || ru_ends(w[2], len[2], "ИЧ"))
		return RU_GENDER_MASCULINE;
	if (ru_ends(w[2], len[2], "вна") || ru_ends(w[2], len[2], "чна") ||
	    ru_ends(w[2], len[2], "ВНА") || ru_ends(w[2], len[2], "ЧНА"))
		return RU_GENDER_FEMININE;
	return RU_GENDER_UNKNOWN;
}

const char *ru_past(const char *full_name, const char *masculine, const char *feminine)
{
	switch (ru_gender_of(full_name)) {
	case RU_GENDER_MASCULINE:
		return masculine;
	case RU_GENDER_FEMININE:
		return feminine;
	default:
		return NULL;
	}
}

/* The lower case of a capital letter at p (Latin, Cyrillic А-Я, Ё) in
 * UTF-8 into lc (its length in *len); 0 when p is not a capital. */
static int ru_lower_at(const unsigned char *p, unsigned char lc[2], size_t *len)
{
	if (p[0] >= 'A' && p[0] <= 'Z') {
		lc[0] = (unsigned char)(p[0] + 32);
		*len = 1;
		return 1;
	}
	if (p[0] == 0xd0 && p[1] >= 0x90 && p[1] <= 0x9f) { /* А..П */
		lc[0] = 0xd0;
		lc[1] = (unsigned char)(p[1] + 0x20);
	} else if (p[0] == 0xd0 && p[1] >= 0xa0 && p[1] <= 0xaf) { /* Р..Я */
		lc[0] = 0xd1;
		lc[1] = (unsigned char)(p[1] - 0x20);
	} else if (p[0] == 0xd0 && p[1] == 0x81) { /* Ё */
		lc[0] = 0xd1;
		lc[1] = 0x91;
	} else {
		return 0;
	}
	*len = 2;
	return 1;
}

const char *ru_after_colon(const char *s, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lc[2], next[2];
	size_t len, nlen;

	if (s == NULL || !ru_lower_at(p, lc, &len))
		return s;
	if (ru_lower_at(p + len, next, &nlen))
		return s; /* an abbreviation */
	snprintf(out, n, "%.*s%s", (int)len, (const char *)lc, s + len);
	return out;
}

/* ---- the dative of an addressee («Генеральному директору … Петровой О. И.») ---- */

/* The word's Cyrillic letters are two bytes each in UTF-8: a suffix of k
 * letters is its last 2k bytes. */
static int ru_dat_put(char *out, size_t n, size_t *at, const char *s, size_t len)
{
	if (*at + len + 1 > n)
		return -1;
	memcpy(out + *at, s, len);
	*at += len;
	out[*at] = '\0';
	return 0;
}

/* 1 when the word (len bytes) ends with one of the letters of set (each a
 * two-byte Cyrillic letter), after dropping drop letters from its end. */
static int ru_dat_last_in(const char *w, size_t len, size_t drop, const char *set)
{
	if (len < 2 * (drop + 1))
		return 0;
	for (const char *p = set; *p; p += 2)
		if (memcmp(w + len - 2 * (drop + 1), p, 2) == 0)
			return 1;
	return 0;
}

#define RU_CONSONANTS "бвгджзклмнпрстфхцчшщ"

/* An adjective's masculine ending in the case: -ый, -ой -> -ому / -ого;
 * -кий, -гий, -хий -> -кому / -кого; other -ий -> -ему / -его
 * («Управляющий» -> «Управляющему», «ведущий» -> «ведущего»). The stem
 * (len - 4 bytes) is written by the caller. NULL when w is no such word. */
static const char *ru_adjective_ending(const char *w, size_t len, int genitive)
{
	int soft;

	if (ru_ends(w, len, "ый") || ru_ends(w, len, "ой"))
		soft = 0;
	else if (ru_ends(w, len, "ий"))
		soft = !ru_dat_last_in(w, len, 2, "кгх");
	else
		return NULL;
	if (genitive)
		return soft ? "его" : "ого";
	return soft ? "ему" : "ому";
}

/* The head noun of a position in the dative: -ь, -й -> -ю; -а, -я -> -е;
 * a consonant +у. */
static void ru_dat_noun(const char *w, size_t len, char *out, size_t n, size_t *at)
{
	if (ru_ends(w, len, "ь") || ru_ends(w, len, "й")) {
		ru_dat_put(out, n, at, w, len - 2);
		ru_dat_put(out, n, at, "ю", strlen("ю"));
	} else if (ru_ends(w, len, "а") || ru_ends(w, len, "я")) {
		ru_dat_put(out, n, at, w, len - 2);
		ru_dat_put(out, n, at, "е", strlen("е"));
	} else {
		ru_dat_put(out, n, at, w, len);
		if (ru_dat_last_in(w, len, 0, RU_CONSONANTS))
			ru_dat_put(out, n, at, "у", strlen("у"));
	}
}

static void ru_gen_noun(const char *w, size_t len, char *out, size_t n, size_t *at);

/* A position in the dative or the genitive: its leading adjectives and its
 * head noun decline, what follows the noun (a genitive: «директор
 * филиала») stays as written. */
static char *ru_position_case(const char *position, int genitive, char *out, size_t n)
{
	size_t at = 0;
	int noun_done = 0;

	out[0] = '\0';
	for (const char *p = position; p && *p;) {
		size_t sp = strspn(p, " "), len;
		const char *end;

		if (ru_dat_put(out, n, &at, p, sp) < 0)
			return out;
		p += sp;
		len = strcspn(p, " ");
		if (len == 0)
			break;
		if (noun_done) {
			ru_dat_put(out, n, &at, p, len);
		} else if ((end = ru_adjective_ending(p, len, genitive)) != NULL) {
			ru_dat_put(out, n, &at, p, len - 4);
			ru_dat_put(out, n, &at, end, strlen(end));
		} else {
			noun_done = 1;
			if (genitive)
				ru_gen_noun(p, len, out, n, &at);
			else
				ru_dat_noun(p, len, out, n, &at);
		}
		p += len;
	}
	return out;
}

char *ru_dative_position(const char *position, char *out, size_t n)
{
	ru_position_case(position, 0, out, n);
	/* the line starts with it: a capital first letter (а-п, р-я, ё) */
	unsigned char *u = (unsigned char *)out;
	if (u[0] == 0xd0 && u[1] >= 0xb0 && u[1] <= 0xbf) {
		u[1] = (unsigned char)(u[1] - 0x20);
	} else if (u[0] == 0xd1 && u[1] >= 0x80 && u[1] <= 0x8f) {
		u[0] = 0xd0;
		u[1] = (unsigned char)(u[1] + 0x20);
	} else if (u[0] == 0xd1 && u[1] == 0x91) {
		u[0] = 0xd0;
		u[1] = 0x81;
	}
	return out;
}

/* The surname's dative ending for the gender, written after its stem:
 * *keep bytes of the surname stay, then the returned ending ("" when the
 * surname does not change). */
static const char *ru_dat_surname(const char *w, size_t len, enum ru_gender g, size_t *keep)
{
	*keep = len;
	if (g == RU_GENDER_FEMININE) {
		if (ru_ends(w, len, "ова") || ru_ends(w, len, "ева") || ru_ends(w, len, "ёва") ||
		    ru_ends(w, len, "ина") || ru_ends(w, len, "ына")) {
			*keep = len - 2; /* Петрова -> Петровой */
			return "ой";
		}
		if (ru_ends(w, len, "ая")) {
			*keep = len - 4; /* Достоевская -> Достоевской */
			return "ой";
		}
		if (ru_ends(w, len, "яя")) {
			*keep = len - 4;
			return "ей";
		}
		if (ru_ends(w, len, "ия")) {
			*keep = len - 2;
			return "и";
		}
		if (ru_ends(w, len, "а") || ru_ends(w, len, "я")) {
			*keep = len - 2;
			return "е";
		}
		return ""; /* Шмидт, Черных, Шевченко */
	}
	if (g != RU_GENDER_MASCULINE)
		return "";
	if (ru_ends(w, len, "ских") || ru_ends(w, len, "их") || ru_ends(w, len, "ых"))
		return "";
	if (ru_ends(w, len, "ский") || ru_ends(w, len, "цкий") || ru_ends(w, len, "ый") ||
	    ((ru_ends(w, len, "ий") || ru_ends(w, len, "ой")) && len >= 10)) {
		*keep = len - 4;
		return ru_adjective_ending(w, len, 0);
	}
	if (ru_ends(w, len, "ь") || ru_ends(w, len, "й")) {
		*keep = len - 2;
		return "ю";
	}
	if (ru_ends(w, len, "ия")) {
		*keep = len - 2;
		return "и";
	}
	if (ru_ends(w, len, "а") || ru_ends(w, len, "я")) {
		*keep = len - 2;
		return "е";
	}
	return ru_dat_last_in(w, len, 0, RU_CONSONANTS) ? "у" : "";
}

static const char *ru_gen_word(const char *w, size_t len, enum ru_gender g, int what,
                               size_t *keep);

/* A surname in the dative or the genitive into out at *at: each part of a
 * double surname declined on its own («Смирнова-Лебедева» ->
 * «Смирновой-Лебедевой», «Римский-Корсаков» -> «Римского-Корсакова»). */
static void ru_put_surname(const char *w, size_t len, enum ru_gender g, int genitive, char *out,
                           size_t n, size_t *at)
{
	while (len > 0) {
		const char *dash = memchr(w, '-', len);
		size_t part = dash ? (size_t)(dash - w) : len, keep;
		const char *end = part == 0        ? ""
		                  : genitive ? ru_gen_word(w, part, g, 0, &keep)
		                             : ru_dat_surname(w, part, g, &keep);

		if (part == 0)
			keep = 0;
		ru_dat_put(out, n, at, w, keep);
		ru_dat_put(out, n, at, end, strlen(end));
		if (dash == NULL)
			break;
		ru_dat_put(out, n, at, "-", 1);
		len -= part + 1;
		w = dash + 1;
	}
}

char *ru_dative_initials(const char *full_name, char *out, size_t n)
{
	const char *w[3];
	size_t len[3], at = 0;
	int k = 0;
	enum ru_gender g = ru_gender_of(full_name);

	out[0] = '\0';
	for (const char *p = full_name; p && *p && k < 3;) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		w[k] = p;
		len[k] = strcspn(p, " \t");
		p += len[k++];
	}
	if (k == 0)
		return out;
	/* no patronymic: the surname's own ending tells (Петрова, Петров) */
	if (g == RU_GENDER_UNKNOWN) {
		if (ru_ends(w[0], len[0], "ова") || ru_ends(w[0], len[0], "ева") ||
		    ru_ends(w[0], len[0], "ина") || ru_ends(w[0], len[0], "ская") ||
		    ru_ends(w[0], len[0], "цкая"))
			g = RU_GENDER_FEMININE;
		else if (ru_ends(w[0], len[0], "ов") || ru_ends(w[0], len[0], "ев") ||
		         ru_ends(w[0], len[0], "ин") || ru_ends(w[0], len[0], "ский") ||
		         ru_ends(w[0], len[0], "цкий"))
			g = RU_GENDER_MASCULINE;
	}
	ru_put_surname(w[0], len[0], g, 0, out, n, &at);
	/* the initials: each name's first letter (one UTF-8 character) */
	for (int i = 1; i < k; i++) {
		size_t c = ((unsigned char)w[i][0] & 0x80) ? 2 : 1;
		if (c > len[i])
			c = len[i];
		ru_dat_put(out, n, &at, "\xc2\xa0",
		           2); /* a no-break space: «Петровой О. И.» on one line */
		ru_dat_put(out, n, &at, w[i], c);
		ru_dat_put(out, n, &at, ".", 1);
	}
	return out;
}

/* ---- the genitive of a person («от Белова Игоря Семёновича») ---- */

/* -а after г, к, х, ж, ш, ч, щ takes -и, other -а -ы; -я -и. */
static const char *ru_gen_a(const char *w, size_t len)
{
	if (ru_ends(w, len, "я"))
		return "и";
	return ru_dat_last_in(w, len, 1, "гкхжшчщ") ? "и" : "ы";
}

/* The genitive ending of a word for the gender, written after *keep bytes
 * of it; what: 0 a surname, 1 a first name, 2 a patronymic. */
static const char *ru_gen_word(const char *w, size_t len, enum ru_gender g, int what, size_t *keep)
{
	*keep = len;
	if (what == 2) {
		if (g == RU_GENDER_MASCULINE && ru_ends(w, len, "ич"))
			return "а";
		if (g == RU_GENDER_FEMININE && ru_ends(w, len, "на")) {
			*keep = len - 2;
			return "ы";
		}
		return ""; /* оглы, кызы */
	}
	if (what == 1 && g == RU_GENDER_MASCULINE) {
		/* the fleeting vowels of the usual names */
		static const char *const fleeting[][2] = {
		    {"Павел", "Павла"}, {"Лев", "Льва"}, {"Пётр", "Петра"}, {"Петр", "Петра"}};
		for (size_t i = 0; i < sizeof fleeting / sizeof fleeting[0]; i++)
			if (len == strlen(fleeting[i][0]) && memcmp(w, fleeting[i][0], len) == 0) {
				*keep = 0;
				return fleeting[i][1];
			}
	}
	if (ru_ends(w, len, "ия")) {
		*keep = len - 2;
		return "и";
	}
	if (g == RU_GENDER_FEMININE) {
		if (what == 0 &&
		    (ru_ends(w, len, "ова") || ru_ends(w, len, "ева") || ru_ends(w, len, "ёва") ||
		     ru_ends(w, len, "ина") || ru_ends(w, len, "ына"))) {
			*keep = len - 2; /* Петрова -> Петровой */
			return "ой";
		}
		if (what == 0 && ru_ends(w, len, "ая")) {
			*keep = len - 4;
			return "ой";
		}
		if (what == 0 && ru_ends(w, len, "яя")) {
			*keep = len - 4;
			return "ей";
		}
		if (ru_ends(w, len, "а") || ru_ends(w, len, "я")) {
			*keep = len - 2;
			return ru_gen_a(w, len);
		}
		if (what == 1 && ru_ends(w, len, "ь")) {
			*keep = len - 2; /* Любовь -> Любови */
			return "и";
		}
		return ""; /* Шмидт, Черных, Шевченко */
	}
	if (g != RU_GENDER_MASCULINE)
		return "";
	if (what == 0) {
		if (ru_ends(w, len, "их") || ru_ends(w, len, "ых"))
			return "";
		if (ru_ends(w, len, "ский") || ru_ends(w, len, "цкий") || ru_ends(w, len, "ый") ||
		    ((ru_ends(w, len, "ий") || ru_ends(w, len, "ой")) && len >= 10)) {
			*keep = len - 4; /* Толстой -> Толстого, Горький -> Горького */
			return ru_adjective_ending(w, len, 1);
		}
	}
	if (ru_ends(w, len, "ь") || ru_ends(w, len, "й")) {
		*keep = len - 2;
		return "я";
	}
	if (ru_ends(w, len, "а") || ru_ends(w, len, "я")) {
		*keep = len - 2; /* Никита -> Никиты, Илья -> Ильи */
		return ru_gen_a(w, len);
	}
	return ru_dat_last_in(w, len, 0, RU_CONSONANTS) ? "а" : "";
}

char *ru_genitive_name(const char *full_name, int initials, char *out, size_t n)
{
	const char *w[4];
	size_t len[4], at = 0, keep;
	int k = 0;
	enum ru_gender g = ru_gender_of(full_name);

	out[0] = '\0';
	for (const char *p = full_name; p && *p && k < 4;) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		w[k] = p;
		len[k] = strcspn(p, " \t");
		p += len[k++];
	}
	for (int i = 0; i < k; i++) {
		const char *end;

		if (i > 0)
			ru_dat_put(out, n, &at, initials ? "\xc2\xa0" : " ", initials ? 2 : 1);
		if (i > 0 && initials) {
			size_t c = ((unsigned char)w[i][0] & 0x80) ? 2 : 1;
			ru_dat_put(out, n, &at, w[i], c < len[i] ? c : len[i]);
			ru_dat_put(out, n, &at, ".", 1);
			if (i == 2)
				break;
			continue;
		}
		if (i == 0) {
			ru_put_surname(w[0], len[0], g, 1, out, n, &at);
			continue;
		}
		/* a name that does not tell its gender, and what follows a
		 * patronymic (оглы), stay as written */
		end = i <= 2 ? ru_gen_word(w[i], len[i], g, i, &keep) : "";
		if (i > 2)
			keep = len[i];
		ru_dat_put(out, n, &at, w[i], keep);
		ru_dat_put(out, n, &at, end, strlen(end));
	}
	return out;
}

/* The head noun of a position in the genitive: declined as a masculine
 * first name («бухгалтер» -> «бухгалтера», «водитель» -> «водителя»). */
static void ru_gen_noun(const char *w, size_t len, char *out, size_t n, size_t *at)
{
	size_t keep;
	const char *end = ru_gen_word(w, len, RU_GENDER_MASCULINE, 1, &keep);

	ru_dat_put(out, n, at, w, keep);
	ru_dat_put(out, n, at, end, strlen(end));
}

char *ru_genitive_position(const char *position, char *out, size_t n)
{
	return ru_position_case(position, 1, out, n);
}

/* ---- where a certificate is presented ---- */

/* 1 when s starts with the word w (lower-case Cyrillic, its first letter
 * among а..п) and a space, in either case of that first letter. */
static int ru_starts_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	if ((unsigned char)s[0] != 0xd0 || s[1] == '\0' ||
	    ((unsigned char)s[1] != (unsigned char)w[1] &&
	     (unsigned char)s[1] + 0x20 != (unsigned char)w[1]))
		return 0;
	return strncmp(s + 2, w + 2, n - 2) == 0 && s[n] == ' ';
}

char *ru_certificate_purpose(const char *purpose, char *out, size_t n)
{
	static const char *const preps[] = {"в", "во", "на", "по", "к", NULL};
	static const char again[] = "представления ";
	const char *p = purpose ? purpose : "";
	size_t len;

	p += strspn(p, " ");
	/* «для представления в банк»: the sentence has those words already */
	if (ru_starts_word(p, "для") && strncmp(p + strlen("для "), again, sizeof(again) - 1) == 0)
		p += strlen("для ") + sizeof(again) - 1;
	p += strspn(p, " ");
	len = strlen(p);
	while (len > 0 && (p[len - 1] == '.' || p[len - 1] == ' '))
		len--;
	if (len == 0) {
		snprintf(out, n, "Справка выдана для представления по месту требования.");
		return out;
	}
	for (int i = 0; preps[i]; i++)
		if (ru_starts_word(p, preps[i])) {
			/* «в банк», «В ПФР»: the preposition lower-case */
			size_t w = strlen(preps[i]);
			snprintf(out, n, "Справка выдана для представления %s%.*s.", preps[i],
			         (int)(len - w), p + w);
			return out;
		}
	if (ru_starts_word(p, "для")) {
		size_t w = strlen("для");
		snprintf(out, n, "Справка выдана для%.*s.", (int)(len - w), p + w);
		return out;
	}
	/* a name without a preposition («Сбербанк», «банк») */
	snprintf(out, n, "Справка выдана для представления по месту требования: %.*s.", (int)len,
	         p);
	return out;
}
