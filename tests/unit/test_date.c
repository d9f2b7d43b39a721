/* Tables for date.h and ru.h. */
#include "check.h"
#include "date.h"
#include "ru.h"

TEST(test_date_known_days)
{
	CHECK_INT(date_from_ymd(1970, 1, 1), 0);
	CHECK_INT(date_from_ymd(1969, 12, 31), -1);
	CHECK_INT(date_from_ymd(2000, 3, 1), 11017);
	CHECK_INT(date_weekday(date_from_ymd(1970, 1, 1)), DATE_THU);
	CHECK_INT(date_weekday(date_from_ymd(2026, 11, 22)), DATE_SUN);
	CHECK_INT(date_weekday(date_from_ymd(2025, 11, 1)), DATE_SAT);
	CHECK_INT(date_weekday(date_from_ymd(1900, 1, 1)), DATE_MON);
	CHECK_INT(date_weekday(date_from_ymd(2199, 12, 31)), DATE_TUE);
	CHECK_INT(date_from_ymd(2026, 1, 1) - date_from_ymd(2025, 1, 1), 365);
	CHECK_INT(date_from_ymd(2025, 1, 1) - date_from_ymd(2024, 1, 1), 366);
}

/* Every day 1900..2199 goes to y-m-d and back, and the weekday steps by one. */
TEST(test_date_round_trip_all)
{
	int d, y, m, dd, bad = 0, prev_wd = 0;
	int first = date_from_ymd(1900, 1, 1), last = date_from_ymd(2199, 12, 31);
	char iso[DATE_BUFSZ];
	int back;

	for (d = first; d <= last; d++) {
		int wd = date_weekday(d);

		date_to_ymd(d, &y, &m, &dd);
		if (date_from_ymd(y, m, dd) != d || !date_valid(y, m, dd))
			bad++;
		if (prev_wd && wd != prev_wd % 7 + 1)
			bad++;
		prev_wd = wd;
		date_format(d, iso);
		if (date_parse(iso, &back) != 0 || back != d)
			bad++;
	}
	CHECK_INT(bad, 0);
}

TEST(test_date_days_in_month)
{
	CHECK_INT(date_days_in_month(2024, 2), 29);
	CHECK_INT(date_days_in_month(2025, 2), 28);
	CHECK_INT(date_days_in_month(1900, 2), 28);
	CHECK_INT(date_days_in_month(2000, 2), 29);
	CHECK_INT(date_days_in_month(2100, 2), 28);
	CHECK_INT(date_days_in_month(2025, 4), 30);
	CHECK_INT(date_days_in_month(2025, 12), 31);
	CHECK_INT(date_days_in_month(2025, 13), 0);
	CHECK_INT(date_days_in_month(2025, 0), 0);
	CHECK(date_is_leap(2024) && !date_is_leap(2100) && date_is_leap(2000));
}

struct parse_case {
	const char *text;
	int ok;
	int y, m, d;
};

static const struct parse_case parse_cases[] = {
    {"2025-01-01", 1, 2025, 1, 1},    {"2024-02-29", 1, 2024, 2, 29}, {"2025-02-29", 0, 0, 0, 0},
    {"2100-02-29", 0, 0, 0, 0},       {"2000-02-29", 1, 2000, 2, 29}, {"1900-01-01", 1, 1900, 1, 1},
    {"2199-12-31", 1, 2199, 12, 31},  {"1899-12-31", 0, 0, 0, 0},     {"2200-01-01", 0, 0, 0, 0},
    {"2025-04-31", 0, 0, 0, 0},       {"2025-13-01", 0, 0, 0, 0},     {"2025-00-10", 0, 0, 0, 0},
    {"2025-01-00", 0, 0, 0, 0},       {"2025-1-01", 0, 0, 0, 0},      {"2025-01-1", 0, 0, 0, 0},
    {"2025/01/01", 0, 0, 0, 0},       {"2025-01-01 ", 0, 0, 0, 0},    {" 2025-01-01", 0, 0, 0, 0},
    {"2025-01-01T00:00", 0, 0, 0, 0}, {"01.01.2025", 0, 0, 0, 0},     {"", 0, 0, 0, 0},
    {"2025-01", 0, 0, 0, 0},          {"+025-01-01", 0, 0, 0, 0},
};

TEST(test_date_parse)
{
	size_t i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		int d = 12345, rc = date_parse(c->text, &d);

		if ((rc == 0) != c->ok)
			fprintf(stderr, "date_parse(\"%s\")\n", c->text);
		CHECK_INT(rc == 0, c->ok);
		CHECK_INT(d, c->ok ? date_from_ymd(c->y, c->m, c->d) : 12345);
	}
	CHECK(date_parse(NULL, NULL) == -1);
}

TEST(test_date_parse_month)
{
	int y = 0, m = 0;

	CHECK(date_parse_month("2017-04", &y, &m) == 0 && y == 2017 && m == 4);
	CHECK(date_parse_month("2199-12", &y, &m) == 0 && y == 2199 && m == 12);
	CHECK(date_parse_month("2017-4", &y, &m) == -1);
	CHECK(date_parse_month("2017-13", &y, &m) == -1);
	CHECK(date_parse_month("2017-00", &y, &m) == -1);
	CHECK(date_parse_month("2017-04-01", &y, &m) == -1);
	CHECK(date_parse_month("1899-12", &y, &m) == -1);
	CHECK(date_parse_month("", &y, &m) == -1);
}

TEST(test_date_format)
{
	char b[DATE_BUFSZ], mb[DATE_MONTH_BUFSZ];
	int d = date_from_ymd(2026, 11, 22);

	date_format(d, b);
	CHECK_STR(b, "2026-11-22");
	date_format_ru(d, b);
	CHECK_STR(b, "22.11.2026");
	date_format_ru(date_from_ymd(2025, 1, 5), b);
	CHECK_STR(b, "05.01.2025");
	date_format_month(2017, 4, mb);
	CHECK_STR(mb, "2017-04");
}

TEST(test_date_add)
{
	int d = date_from_ymd(2025, 1, 31), y, m, dd;

	CHECK_INT(date_add_days(d, 1), date_from_ymd(2025, 2, 1));
	CHECK_INT(date_add_days(d, -31), date_from_ymd(2024, 12, 31));
	CHECK_INT(date_add_months(d, 1), date_from_ymd(2025, 2, 28));
	CHECK_INT(date_add_months(date_from_ymd(2024, 1, 31), 1), date_from_ymd(2024, 2, 29));
	CHECK_INT(date_add_months(d, 12), date_from_ymd(2026, 1, 31));
	CHECK_INT(date_add_months(d, -1), date_from_ymd(2024, 12, 31));
	CHECK_INT(date_add_months(d, -2), date_from_ymd(2024, 11, 30));
	CHECK_INT(date_add_months(date_from_ymd(2025, 3, 15), -15), date_from_ymd(2023, 12, 15));
	CHECK_INT(date_add_months(date_from_ymd(2025, 3, 15), 0), date_from_ymd(2025, 3, 15));
	date_to_ymd(date_add_months(date_from_ymd(2025, 5, 31), 25), &y, &m, &dd);
	CHECK(y == 2027 && m == 6 && dd == 30);
	CHECK_INT(date_month_first(2025, 2), date_from_ymd(2025, 2, 1));
	CHECK_INT(date_month_last(2024, 2), date_from_ymd(2024, 2, 29));
	CHECK_INT(date_year(date_from_ymd(2025, 12, 31)), 2025);
	CHECK_INT(date_year(date_from_ymd(2026, 1, 1)), 2026);
}

struct plural_case {
	long long n;
	const char *want;
};

static const struct plural_case plural_cases[] = {
    {0, "дней"},   {1, "день"},   {2, "дня"},     {3, "дня"},        {4, "дня"},    {5, "дней"},
    {10, "дней"},  {11, "дней"},  {12, "дней"},   {14, "дней"},      {15, "дней"},  {20, "дней"},
    {21, "день"},  {22, "дня"},   {25, "дней"},   {101, "день"},     {111, "дней"}, {112, "дней"},
    {113, "дней"}, {121, "день"}, {1001, "день"}, {1011, "дней"},    {1022, "дня"}, {-1, "день"},
    {-12, "дней"}, {28, "дней"},  {31, "день"},   {1000000, "дней"},
};

TEST(test_ru_plural)
{
	size_t i;

	for (i = 0; i < sizeof(plural_cases) / sizeof(plural_cases[0]); i++) {
		const char *got = ru_plural(plural_cases[i].n, "день", "дня", "дней");

		if (strcmp(got, plural_cases[i].want) != 0)
			fprintf(stderr, "n = %lld\n", plural_cases[i].n);
		CHECK_STR(got, plural_cases[i].want);
	}
	CHECK_STR(ru_plural(3, "час", "часа", "часов"), "часа");
	CHECK_STR(ru_plural(8, "час", "часа", "часов"), "часов");
}

/* vacation balances: "35 дней" (not "35,0 дней"), "35,5 дня", "0,5 дня" */
TEST(test_ru_tenths)
{
	char b[32];

	CHECK_STR(ru_format_tenths(350, b, sizeof b), "35");
	CHECK_STR(ru_format_tenths(355, b, sizeof b), "35,5");
	CHECK_STR(ru_format_tenths(-5, b, sizeof b), "-0,5");
	CHECK_STR(ru_format_tenths(0, b, sizeof b), "0");
	CHECK_STR(ru_plural_tenths(350, "день", "дня", "дней", "дня"), "дней");
	CHECK_STR(ru_plural_tenths(355, "день", "дня", "дней", "дня"), "дня");
	CHECK_STR(ru_plural_tenths(210, "день", "дня", "дней", "дня"), "день");
	CHECK_STR(ru_plural_tenths(5, "день", "дня", "дней", "дня"), "дня");
	CHECK_STR(ru_plural_tenths(-215, "календарный день", "календарных дня", "календарных дней",
	                           "календарного дня"),
	          "календарного дня");
	CHECK_STR(ru_plural_tenths(-30, "день", "дня", "дней", "дня"), "дня");
}

/* size limits as the 413 answers and the attachments say them */
TEST(test_ru_size)
{
	char b[32];

	CHECK_STR(ru_format_size(1 << 20, b, sizeof b), "1 МБ");
	CHECK_STR(ru_format_size(32LL << 20, b, sizeof b), "32 МБ");
	CHECK_STR(ru_format_size(3 << 19, b, sizeof b), "1,5 МБ");
	CHECK_STR(ru_format_size((1 << 20) + 1000, b, sizeof b), "1 МБ"); /* never above it */
	CHECK_STR(ru_format_size(512 * 1024, b, sizeof b), "512 КБ");
	CHECK_STR(ru_format_size(1, b, sizeof b), "1 байт");
	CHECK_STR(ru_format_size(2, b, sizeof b), "2 байта");
	CHECK_STR(ru_format_size(5, b, sizeof b), "5 байт");
	CHECK_STR(ru_format_size(11, b, sizeof b), "11 байт");
	CHECK_STR(ru_format_size(21, b, sizeof b), "21 байт");
	CHECK_STR(ru_format_size(22, b, sizeof b), "22 байта");
	CHECK_STR(ru_format_size(25, b, sizeof b), "25 байт");
}

TEST(test_ru_phone)
{
	char b[RU_PHONE_BUFSZ];

	CHECK_STR(ru_format_phone("+79121112233", b, sizeof b), "+7 912 111-22-33");
	/* not a stored mobile number: as it is */
	CHECK_STR(ru_format_phone("+7912111223", b, sizeof b), "+7912111223");
	CHECK_STR(ru_format_phone("+7912111223x", b, sizeof b), "+7912111223x");
	CHECK_STR(ru_format_phone(NULL, b, sizeof b), "");
}

TEST(test_ru_months)
{
	char b[64];

	CHECK_STR(ru_month_name(11), "ноябрь");
	CHECK_STR(ru_month_genitive(11), "ноября");
	CHECK_STR(ru_month_name(1), "январь");
	CHECK_STR(ru_month_genitive(5), "мая");
	CHECK_STR(ru_month_genitive(3), "марта");
	CHECK_STR(ru_month_title(12), "Декабрь");
	CHECK(ru_month_name(0) == NULL && ru_month_name(13) == NULL);
	CHECK(ru_month_genitive(13) == NULL);
	CHECK_STR(ru_format_date_long(date_from_ymd(2026, 11, 22), b, sizeof(b)),
	          "22 ноября 2026 г.");
	CHECK_STR(ru_format_date_long(date_from_ymd(2025, 5, 1), b, sizeof(b)), "1 мая 2025 г.");
}

/* The verb agrees with the person by the patronymic; without one the
 * caller words it without a verb (NULL). */
TEST(test_ru_gender)
{
	CHECK(ru_gender_of("Иванов Иван Иванович") == RU_GENDER_MASCULINE);
	CHECK(ru_gender_of("Петров Пётр Ильич") == RU_GENDER_MASCULINE);
	CHECK(ru_gender_of("Иванова Мария Петровна") == RU_GENDER_FEMININE);
	CHECK(ru_gender_of("Кузнецова Анна Ильинична") == RU_GENDER_FEMININE);
	CHECK(ru_gender_of("Алиев Рашид Ахмед оглы") == RU_GENDER_MASCULINE);
	CHECK(ru_gender_of("Алиева Лейла Ахмед кызы") == RU_GENDER_FEMININE);
	CHECK(ru_gender_of("  Орлова   Елена   Николаевна ") == RU_GENDER_FEMININE);
	CHECK(ru_gender_of("Смит Джон") == RU_GENDER_UNKNOWN);
	CHECK(ru_gender_of("Иванов И. И.") == RU_GENDER_UNKNOWN);
	CHECK(ru_gender_of("") == RU_GENDER_UNKNOWN);
	CHECK(ru_gender_of(NULL) == RU_GENDER_UNKNOWN);
	CHECK_STR(ru_past("Орлова Елена Николаевна", "согласовал", "согласовала"), "согласовала");
	CHECK_STR(ru_past("Соколов Михаил Дмитриевич", "согласовал", "согласовала"), "согласовал");
	CHECK(ru_past("Ли Мин", "согласовал", "согласовала") == NULL);
}

TEST(test_ru_after_colon)
{
	char b[128];

	CHECK_STR(ru_after_colon("Не хватает столбца", b, sizeof b), "не хватает столбца");
	CHECK_STR(ru_after_colon("Ёлка", b, sizeof b), "ёлка");
	CHECK_STR(ru_after_colon("Согласована, ждёт исполнителя", b, sizeof b),
	          "согласована, ждёт исполнителя");
	CHECK_STR(ru_after_colon("Expected a string", b, sizeof b), "expected a string");
	CHECK_STR(ru_after_colon("НДФЛ не удержан", b, sizeof b), "НДФЛ не удержан");
	CHECK_STR(ru_after_colon("уже так", b, sizeof b), "уже так");
	CHECK_STR(ru_after_colon("1 строка", b, sizeof b), "1 строка");
	CHECK_STR(ru_after_colon("", b, sizeof b), "");
}

/* «от …» in the genitive (ru.h's rule). */
TEST(test_ru_genitive)
{
	char b[256];

	CHECK_STR(ru_genitive_name("Белов Игорь Семёнович", 0, b, sizeof b),
	          "Белова Игоря Семёновича");
	CHECK_STR(ru_genitive_name("Иванова Анна Петровна", 0, b, sizeof b),
	          "Ивановой Анны Петровны");
	CHECK_STR(ru_genitive_name("Ёлкина Ольга Ильинична", 0, b, sizeof b),
	          "Ёлкиной Ольги Ильиничны");
	CHECK_STR(ru_genitive_name("Толстой Лев Николаевич", 0, b, sizeof b),
	          "Толстого Льва Николаевича");
	CHECK_STR(ru_genitive_name("Горький Павел Ильич", 0, b, sizeof b), "Горького Павла Ильича");
	CHECK_STR(ru_genitive_name("Гоголь Никита Андреевич", 0, b, sizeof b),
	          "Гоголя Никиты Андреевича");
	CHECK_STR(ru_genitive_name("Цой Илья Алексеевич", 0, b, sizeof b), "Цоя Ильи Алексеевича");
	CHECK_STR(ru_genitive_name("Достоевская Мария Сергеевна", 0, b, sizeof b),
	          "Достоевской Марии Сергеевны");
	CHECK_STR(ru_genitive_name("Шмидт Любовь Оттовна", 0, b, sizeof b), "Шмидт Любови Оттовны");
	CHECK_STR(ru_genitive_name("Черных Пётр Олегович", 0, b, sizeof b),
	          "Черных Петра Олеговича");
	CHECK_STR(ru_genitive_name("Алиев Рашид Ахмед оглы", 0, b, sizeof b),
	          "Алиева Рашида Ахмед оглы");
	CHECK_STR(ru_genitive_name("Smith John", 0, b, sizeof b), "Smith John");
	/* each part of a double surname (trial-user4 F7) */
	CHECK_STR(ru_genitive_name("Смирнова-Лебедева Ольга Викторовна", 1, b, sizeof b),
	          "Смирновой-Лебедевой\xc2\xa0О.\xc2\xa0В.");
	CHECK_STR(ru_genitive_name("Римский-Корсаков Николай Андреевич", 0, b, sizeof b),
	          "Римского-Корсакова Николая Андреевича");
	CHECK_STR(ru_genitive_name("Салтыков-Щедрин Михаил Евграфович", 0, b, sizeof b),
	          "Салтыкова-Щедрина Михаила Евграфовича");
	CHECK_STR(ru_genitive_name("Иванова-Шмидт Анна Петровна", 0, b, sizeof b),
	          "Ивановой-Шмидт Анны Петровны");
	CHECK_STR(ru_genitive_name("Кузнецов Алексей Петрович", 1, b, sizeof b),
	          "Кузнецова\xc2\xa0А.\xc2\xa0П.");
	CHECK_STR(ru_genitive_position("менеджер по продажам", b, sizeof b),
	          "менеджера по продажам");
	CHECK_STR(ru_genitive_position("Главный бухгалтер", b, sizeof b), "Главного бухгалтера");
	CHECK_STR(ru_genitive_position("ведущий специалист", b, sizeof b), "ведущего специалиста");
	CHECK_STR(ru_genitive_position("водитель", b, sizeof b), "водителя");
	CHECK_STR(ru_genitive_position("руководитель отдела", b, sizeof b), "руководителя отдела");
}

/* The certificate's «для представления …» for what people type (trial-user4 F8). */
TEST(test_ru_certificate_purpose)
{
	char b[512];

	CHECK_STR(ru_certificate_purpose("в банк", b, sizeof b),
	          "Справка выдана для представления в банк.");
	CHECK_STR(ru_certificate_purpose(" В ПАО «Сбербанк». ", b, sizeof b),
	          "Справка выдана для представления в ПАО «Сбербанк».");
	CHECK_STR(ru_certificate_purpose("во Внешэкономбанк", b, sizeof b),
	          "Справка выдана для представления во Внешэкономбанк.");
	CHECK_STR(ru_certificate_purpose("По месту требования", b, sizeof b),
	          "Справка выдана для представления по месту требования.");
	CHECK_STR(ru_certificate_purpose("для банка", b, sizeof b), "Справка выдана для банка.");
	CHECK_STR(ru_certificate_purpose("Для визы", b, sizeof b), "Справка выдана для визы.");
	CHECK_STR(ru_certificate_purpose("для представления в банк", b, sizeof b),
	          "Справка выдана для представления в банк.");
	CHECK_STR(ru_certificate_purpose("Сбербанк", b, sizeof b),
	          "Справка выдана для представления по месту требования: Сбербанк.");
	CHECK_STR(ru_certificate_purpose("", b, sizeof b),
	          "Справка выдана для представления по месту требования.");
	CHECK_STR(ru_certificate_purpose(NULL, b, sizeof b),
	          "Справка выдана для представления по месту требования.");
	CHECK_STR(ru_certificate_purpose("ввод", b, sizeof b),
	          "Справка выдана для представления по месту требования: ввод.");
}

/* The addressee of an application in the dative (ru.h's rule). */
TEST(test_ru_dative)
{
	char b[256];

	CHECK_STR(ru_dative_position("Генеральный директор", b, sizeof b),
	          "Генеральному директору");
	CHECK_STR(ru_dative_position("директор", b, sizeof b), "Директору");
	CHECK_STR(ru_dative_position("Руководитель филиала", b, sizeof b), "Руководителю филиала");
	CHECK_STR(ru_dative_position("Главный бухгалтер", b, sizeof b), "Главному бухгалтеру");
	CHECK_STR(ru_dative_position("Управляющий", b, sizeof b), "Управляющему");
	CHECK_STR(ru_dative_position("Исполнительный директор по развитию", b, sizeof b),
	          "Исполнительному директору по развитию");
	CHECK_STR(ru_dative_position("Глава", b, sizeof b), "Главе");
	CHECK_STR(ru_dative_position("ДИРЕКТОР", b, sizeof b), "ДИРЕКТОР");
	CHECK_STR(ru_dative_initials("Петрова Ольга Ивановна", b, sizeof b),
	          "Петровой\xc2\xa0О.\xc2\xa0И.");
	CHECK_STR(ru_dative_initials("Петров Пётр Петрович", b, sizeof b),
	          "Петрову\xc2\xa0П.\xc2\xa0П.");
	CHECK_STR(ru_dative_initials("Пушкина Анна Сергеевна", b, sizeof b),
	          "Пушкиной\xc2\xa0А.\xc2\xa0С.");
	CHECK_STR(ru_dative_initials("Достоевская Анна Григорьевна", b, sizeof b),
	          "Достоевской\xc2\xa0А.\xc2\xa0Г.");
	CHECK_STR(ru_dative_initials("Достоевский Фёдор Михайлович", b, sizeof b),
	          "Достоевскому\xc2\xa0Ф.\xc2\xa0М.");
	CHECK_STR(ru_dative_initials("Толстой Лев Николаевич", b, sizeof b),
	          "Толстому\xc2\xa0Л.\xc2\xa0Н.");
	CHECK_STR(ru_dative_initials("Горький Максим Алексеевич", b, sizeof b),
	          "Горькому\xc2\xa0М.\xc2\xa0А.");
	CHECK_STR(ru_dative_initials("Цой Виктор Робертович", b, sizeof b),
	          "Цою\xc2\xa0В.\xc2\xa0Р.");
	CHECK_STR(ru_dative_initials("Гоголь Николай Васильевич", b, sizeof b),
	          "Гоголю\xc2\xa0Н.\xc2\xa0В.");
	CHECK_STR(ru_dative_initials("Шмидт Отто Юльевич", b, sizeof b),
	          "Шмидту\xc2\xa0О.\xc2\xa0Ю.");
	CHECK_STR(ru_dative_initials("Шмидт Анна Оттовна", b, sizeof b),
	          "Шмидт\xc2\xa0А.\xc2\xa0О.");
	CHECK_STR(ru_dative_initials("Шевченко Тарас Григорьевич", b, sizeof b),
	          "Шевченко\xc2\xa0Т.\xc2\xa0Г.");
	CHECK_STR(ru_dative_initials("Черных Ирина Олеговна", b, sizeof b),
	          "Черных\xc2\xa0И.\xc2\xa0О.");
	CHECK_STR(ru_dative_initials("Черных Иван Олегович", b, sizeof b),
	          "Черных\xc2\xa0И.\xc2\xa0О.");
	CHECK_STR(ru_dative_initials("Сковорода Григорий Саввич", b, sizeof b),
	          "Сковороде\xc2\xa0Г.\xc2\xa0С.");
	CHECK_STR(ru_dative_initials("Берия Нина Теймуразовна", b, sizeof b),
	          "Берии\xc2\xa0Н.\xc2\xa0Т.");
	CHECK_STR(ru_dative_initials("Алиев Рашид Ахмед оглы", b, sizeof b),
	          "Алиеву\xc2\xa0Р.\xc2\xa0А.");
	/* no patronymic: the surname's ending tells, else it stays */
	CHECK_STR(ru_dative_initials("Иванова Мария", b, sizeof b), "Ивановой\xc2\xa0М.");
	CHECK_STR(ru_dative_initials("Смирнова-Лебедева Ольга Викторовна", b, sizeof b),
	          "Смирновой-Лебедевой\xc2\xa0О.\xc2\xa0В.");
	CHECK_STR(ru_dative_initials("Римский-Корсаков Николай Андреевич", b, sizeof b),
	          "Римскому-Корсакову\xc2\xa0Н.\xc2\xa0А.");
	CHECK_STR(ru_dative_initials("Смит Джон", b, sizeof b), "Смит\xc2\xa0Д.");
}

/* Input also takes DD.MM.YYYY (DESIGN.md); answers stay ISO. */
TEST(test_date_parse_input)
{
	static const struct {
		const char *in;
		int y, m, d; /* y == 0: refused */
	} cases[] = {
	    {"2025-04-01", 2025, 4, 1},  {"01.04.2025", 2025, 4, 1},
	    {"29.02.2024", 2024, 2, 29}, {"31.12.2199", 2199, 12, 31},
	    {"01.01.1900", 1900, 1, 1},  {"29.02.2025", 0, 0, 0},
	    {"31.04.2025", 0, 0, 0},     {"1.04.2025", 0, 0, 0},
	    {"01.4.2025", 0, 0, 0},      {"01.04.25", 0, 0, 0},
	    {"01.04.2025x", 0, 0, 0},    {"01-04-2025", 0, 0, 0},
	    {"01.04.1899", 0, 0, 0},     {"", 0, 0, 0},
	    {"01.04.", 0, 0, 0},
	};
	int d;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = date_parse_input(cases[i].in, &d);
		if (cases[i].y == 0) {
			if (rc == 0)
				fprintf(stderr, "accepted %s\n", cases[i].in);
			CHECK_INT(rc, -1);
		} else {
			CHECK_INT(rc, 0);
			CHECK_INT(d, date_from_ymd(cases[i].y, cases[i].m, cases[i].d));
		}
	}
	CHECK_INT(date_parse_input(NULL, &d), -1);
	/* the strict parser stays strict */
	CHECK_INT(date_parse("01.04.2025", &d), -1);
}

/* A date typed right but missing from the calendar gets its own message. */
TEST(test_date_input_no_such_day)
{
	static const char *const missing[] = {"31.11.2026", "29.02.2027", "2026-04-31",
	                                      "30.02.2024"};
	static const char *const other[] = {"30.11.2026", "29.02.2024", "32.01.2026", "01.13.2026",
	                                    "00.01.2026", "31.11.1899", "31-11-2026", "31.11.26",
	                                    "",           "abc"};

	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
		CHECK_INT(date_input_no_such_day(missing[i]), 1);
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		CHECK_INT(date_input_no_such_day(other[i]), 0);
	CHECK_INT(date_input_no_such_day(NULL), 0);
}

int main(void)
{
	RUN(test_date_parse_input);
	RUN(test_date_input_no_such_day);
	RUN(test_date_known_days);
	RUN(test_date_round_trip_all);
	RUN(test_date_days_in_month);
	RUN(test_date_parse);
	RUN(test_date_parse_month);
	RUN(test_date_format);
	RUN(test_date_add);
	RUN(test_ru_plural);
	RUN(test_ru_tenths);
	RUN(test_ru_size);
	RUN(test_ru_phone);
	RUN(test_ru_months);
	RUN(test_ru_gender);
	RUN(test_ru_after_colon);
	RUN(test_ru_genitive);
	RUN(test_ru_dative);
	RUN(test_ru_certificate_purpose);
	return check_report();
}
