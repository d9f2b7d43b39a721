/* core/textenc.h: UTF-8 checks, uploaded files in Windows-1251 or with a
 * byte-order mark converted, anything else refused naming its line. */
#include "check.h"
#include "textenc.h"

struct tcase {
	const char *name;
	const char *in;
	size_t len;           /* 0: strlen(in) */
	const char *declared; /* NULL: none */
	const char *out;      /* the UTF-8 text, or NULL: refused */
	int line;             /* refused: the line named */
};

/* "Привет\nмир" in the encodings people save files in */
#define CP1251 "\xcf\xf0\xe8\xe2\xe5\xf2\n\xec\xe8\xf0"
#define UTF16LE                                                                                    \
	"\xff\xfe\x1f\x04\x40\x04\x38\x04\x32\x04\x35\x04\x42\x04\n\0\x3c\x04\x38\x04\x40\x04"
#define UTF16BE                                                                                    \
	"\xfe\xff\x04\x1f\x04\x40\x04\x38\x04\x32\x04\x35\x04\x42\0\n\x04\x3c\x04\x38\x04\x40"
#define HELLO "Привет\nмир"

static const struct tcase cases[] = {
    {"utf-8 as it is", HELLO, 0, NULL, HELLO, 0},
    {"utf-8 declared", HELLO, 0, "UTF-8", HELLO, 0},
    {"ascii declared", "abc", 0, "us-ascii", "abc", 0},
    {"utf-8 byte-order mark dropped", "\xef\xbb\xbf" HELLO, 0, NULL, HELLO, 0},
    {"windows-1251 declared", CP1251, 0, "windows-1251", HELLO, 0},
    {"cp1251 declared, any case", CP1251, 0, "CP1251", HELLO, 0},
    {"utf-16 le with its mark", UTF16LE, sizeof(UTF16LE) - 1, NULL, HELLO, 0},
    {"utf-16 be with its mark", UTF16BE, sizeof(UTF16BE) - 1, NULL, HELLO, 0},
    {"the mark wins over a declaration", UTF16LE, sizeof(UTF16LE) - 1, "windows-1251", HELLO, 0},
    {"windows-1251 without a declaration", "a\nb\n" CP1251, 0, NULL, NULL, 3},
    {"a byte windows-1251 does not have", "a\nb\nc\x98", 0, "windows-1251", NULL, 3},
    {"utf-8 cut short at the end", "a\n\xd0", 0, NULL, NULL, 2},
    {"overlong utf-8", "\xc0\xaf", 0, NULL, NULL, 1},
    {"utf-16 cut in half", UTF16LE, sizeof(UTF16LE) - 2, NULL, NULL, 2},
    {"an encoding we do not take", "abc", 0, "koi8-r", NULL, 1},
    {"a NUL byte", "a\nb\nc\nd\0e", 9, NULL, NULL, 4},
};

TEST(test_to_utf8)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];
		struct buf out = BUF_INIT;
		const char *why = NULL;
		int line = -1, rc;

		buf_puts(&out, "keep:");
		rc = textenc_to_utf8(c->in, c->len ? c->len : strlen(c->in), c->declared, &out,
		                     &line, &why);
		if ((rc == 0) != (c->out != NULL))
			fprintf(stderr, "%s: rc %d (%s)\n", c->name, rc, why ? why : "");
		if (c->out) {
			CHECK_INT(rc, 0);
			CHECK_INT(out.len, strlen(c->out) + 5);
			CHECK(out.data && strcmp(out.data + 5, c->out) == 0);
		} else {
			CHECK_INT(rc, -1);
			if (line != c->line)
				fprintf(stderr, "%s: line %d, want %d\n", c->name, line, c->line);
			CHECK_INT(line, c->line);
			CHECK(why && *why);
			CHECK_STR(out.data, "keep:");
		}
		buf_free(&out);
	}
}

TEST(test_xml_encoding)
{
	static const struct {
		const char *in, *want;
	} xcases[] = {
	    {"<?xml version=\"1.0\" encoding=\"windows-1251\"?><calendar/>", "windows-1251"},
	    {"<?xml version='1.0' encoding = 'UTF-8' ?>", "UTF-8"},
	    {"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>", "utf-8"},
	    {"<?xml version=\"1.0\"?><calendar encoding=\"cp1251\"/>", ""},
	    {"<calendar/>", ""},
	    {"<?xml version=\"1.0\" encoding=\"" /* unterminated */, ""},
	    {"<?xml version=\"1.0\" xencoding=\"cp1251\"?>", ""},
	};
	char out[32];

	for (size_t i = 0; i < sizeof(xcases) / sizeof(xcases[0]); i++) {
		textenc_xml_encoding(xcases[i].in, strlen(xcases[i].in), out, sizeof(out));
		CHECK_STR(out, xcases[i].want);
	}
	textenc_xml_encoding("<?xml encoding=\"a-very-long-encoding-name\"?>", 44, out, 8);
	CHECK_STR(out, "");
}

TEST(test_utf8_valid)
{
	CHECK(textenc_utf8_valid("Привет", strlen("Привет")));
	CHECK(!textenc_utf8_valid("\xed\xa0\x80", 3));     /* a surrogate */
	CHECK(!textenc_utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
	CHECK_INT(textenc_utf8_bad_at("ab\xff", 3), 2);
	CHECK_INT(textenc_utf8_bad_at("ab", 2), 2);
}

/* What text for people may not hold (bidi controls, zero-width and other
 * invisible characters) and what it keeps. */
TEST(test_invisible_characters)
{
	static const struct {
		const char *text;
		int lines;
		long at; /* -1: none */
		unsigned cp;
	} inv[] = {
	    {"Иванов Иван Иванович", 0, -1, 0},
	    {"Ёлкин Пётр, «№ 5» — 30\u00a0500,00\u00a0₽ (\u2009)", 0, -1, 0},
	    {"строка\nи\tвторая\r\n", 1, -1, 0},
	    {"строка\nвторая", 0, 12, '\n'},
	    {"счёт\u202efdp.exe", 0, 8, 0x202E},
	    {"a\u202ab", 0, 1, 0x202A},
	    {"a\u202bb", 0, 1, 0x202B},
	    {"a\u202cb", 0, 1, 0x202C},
	    {"a\u202db", 0, 1, 0x202D},
	    {"a\u2066b", 0, 1, 0x2066},
	    {"a\u2067b", 0, 1, 0x2067},
	    {"a\u2068b", 0, 1, 0x2068},
	    {"a\u2069b", 0, 1, 0x2069},
	    {"a\u200eb", 0, 1, 0x200E},
	    {"a\u200fb", 0, 1, 0x200F},
	    {"a\u061cb", 0, 1, 0x061C},
	    {"Ива\u200bнов", 0, 6, 0x200B},
	    {"Ива\u200dнов", 0, 6, 0x200D},
	    {"Ива\u00adнов", 0, 6, 0x00AD},
	    {"\ufeffИванов", 0, 0, 0xFEFF},
	    {"a\u2060b", 0, 1, 0x2060},
	    {"a\u2028b", 1, 1, 0x2028},
	    {"a\xc2\x85"
	     "b",
	     1, 1, 0x85},
	    {"a\x7f", 0, 1, 0x7F},
	    {"a\U000E0041", 0, 1, 0xE0041},
	    /* emoji joined by U+200D are one picture */
	    {"Готово 👨\u200d💻 🏳\ufe0f\u200d🌈 ❤\ufe0f\u200d🔥", 0, -1, 0},
	    {"👨\u200d", 0, 4, 0x200D},
	    {"a\u200d💻", 0, 1, 0x200D},
	};

	for (size_t i = 0; i < sizeof(inv) / sizeof(inv[0]); i++) {
		const char *t = inv[i].text, *what = NULL;
		unsigned cp = 0;
		size_t at = textenc_invisible_at(t, strlen(t), inv[i].lines, &cp, &what);
		if (at != (inv[i].at < 0 ? strlen(t) : (size_t)inv[i].at))
			fprintf(stderr, "case %zu: %s: at %zu\n", i, t, at);
		CHECK_INT(at, inv[i].at < 0 ? (long)strlen(t) : inv[i].at);
		if (inv[i].at >= 0) {
			CHECK_INT(cp, inv[i].cp);
			CHECK(what != NULL);
		}
	}
	{
		char why[160];
		CHECK_STR(
		    textenc_invisible_why(0x202E, "смена направления текста", why, sizeof(why)),
		    "Невидимый символ U+202E (смена направления текста): удалите его");
	}
}

int main(void)
{
	RUN(test_to_utf8);
	RUN(test_xml_encoding);
	RUN(test_utf8_valid);
	RUN(test_invisible_characters);
	return check_report();
}
