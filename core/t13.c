#include "t13.h"

#include <stddef.h>
#include <string.h>

static const struct t13_code t13_codes[T13_COUNT] = {
    {T13_YA, "Я", T13_CLASS_WORK, "продолжительность работы в дневное время"},
    {T13_N, "Н", T13_CLASS_NIGHT, "продолжительность работы в ночное время"},
    {T13_RV, "РВ", T13_CLASS_HOLIDAY_WORK,
     "продолжительность работы в выходные и нерабочие праздничные дни"},
    {T13_S, "С", T13_CLASS_OVERTIME, "продолжительность сверхурочной работы"},
    {T13_VM, "ВМ", T13_CLASS_WORK, "продолжительность работы вахтовым методом"},
    {T13_K, "К", T13_CLASS_ABSENCE, "служебная командировка"},
    {T13_PK, "ПК", T13_CLASS_ABSENCE, "повышение квалификации с отрывом от работы"},
    {T13_PM, "ПМ", T13_CLASS_ABSENCE,
     "повышение квалификации с отрывом от работы в другой местности"},
    {T13_OT, "ОТ", T13_CLASS_ABSENCE, "ежегодный основной оплачиваемый отпуск"},
    {T13_OD, "ОД", T13_CLASS_ABSENCE, "ежегодный дополнительный оплачиваемый отпуск"},
    {T13_U, "У", T13_CLASS_ABSENCE,
     "дополнительный отпуск в связи с обучением с сохранением среднего заработка"},
    {T13_UV, "УВ", T13_CLASS_PARTIAL,
     "сокращённая продолжительность рабочего времени для обучающихся"},
    {T13_UD, "УД", T13_CLASS_ABSENCE,
     "дополнительный отпуск в связи с обучением без сохранения заработной платы"},
    {T13_R, "Р", T13_CLASS_ABSENCE, "отпуск по беременности и родам"},
    {T13_OZH, "ОЖ", T13_CLASS_ABSENCE, "отпуск по уходу за ребёнком до достижения им трёх лет"},
    {T13_DO, "ДО", T13_CLASS_ABSENCE,
     "отпуск без сохранения заработной платы, предоставленный с разрешения работодателя"},
    {T13_OZ, "ОЗ", T13_CLASS_ABSENCE,
     "отпуск без сохранения заработной платы в случаях, предусмотренных законом"},
    {T13_DB, "ДБ", T13_CLASS_ABSENCE,
     "ежегодный дополнительный отпуск без сохранения заработной платы"},
    {T13_B, "Б", T13_CLASS_ABSENCE, "временная нетрудоспособность с назначением пособия"},
    {T13_T, "Т", T13_CLASS_ABSENCE, "временная нетрудоспособность без назначения пособия"},
    {T13_LCH, "ЛЧ", T13_CLASS_PARTIAL,
     "сокращённая продолжительность рабочего времени в случаях, предусмотренных законом"},
    {T13_PV, "ПВ", T13_CLASS_ABSENCE, "время вынужденного прогула"},
    {T13_G, "Г", T13_CLASS_ABSENCE, "невыходы на время исполнения государственных обязанностей"},
    {T13_PR, "ПР", T13_CLASS_ABSENCE, "прогулы"},
    {T13_NS, "НС", T13_CLASS_PARTIAL,
     "продолжительность работы в режиме неполного рабочего времени по инициативе работодателя"},
    {T13_V, "В", T13_CLASS_ABSENCE, "выходные и нерабочие праздничные дни"},
    {T13_OV, "ОВ", T13_CLASS_ABSENCE, "дополнительные выходные дни (оплачиваемые)"},
    {T13_NV, "НВ", T13_CLASS_ABSENCE,
     "дополнительные выходные дни без сохранения заработной платы"},
    {T13_ZB, "ЗБ", T13_CLASS_ABSENCE, "забастовка"},
    {T13_NN, "НН", T13_CLASS_ABSENCE, "неявки по невыясненным причинам"},
    {T13_RP, "РП", T13_CLASS_ABSENCE, "время простоя по вине работодателя"},
    {T13_NP, "НП", T13_CLASS_ABSENCE,
     "время простоя по причинам, не зависящим от работодателя и работника"},
    {T13_VP, "ВП", T13_CLASS_ABSENCE, "время простоя по вине работника"},
    {T13_NO, "НО", T13_CLASS_ABSENCE, "отстранение от работы с оплатой"},
    {T13_NB, "НБ", T13_CLASS_ABSENCE, "отстранение от работы без начисления заработной платы"},
    {T13_NZ, "НЗ", T13_CLASS_ABSENCE,
     "время приостановки работы в случае задержки выплаты заработной платы"},
};

/* The Cyrillic capital (UTF-8, 2 bytes) a Latin look-alike stands for, or NULL. */
static const char *t13_lookalike(char c)
{
	static const char latin[] = "BHCPKTOMAEXY";
	static const char *const cyrillic[] = {"В", "Н", "С", "Р", "К", "Т",
	                                       "О", "М", "А", "Е", "Х", "У"};
	const char *at;

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	at = c ? strchr(latin, c) : NULL;
	return at ? cyrillic[at - latin] : NULL;
}

int t13_normalize(const char *in, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0;

	while (*p) {
		unsigned char c0 = p[0], c1 = c0 ? p[1] : 0;
		const char *latin;
		if (c0 == ' ' || c0 == '\t') {
			p++;
			continue;
		}
		if (c0 == 0xc2 && c1 == 0xa0) { /* a no-break space */
			p += 2;
			continue;
		}
		if (o + 3 > n)
			return -1;
		if (c0 < 0x80 && (latin = t13_lookalike((char)c0)) != NULL) {
			memcpy(out + o, latin, 2);
			o += 2;
			p++;
		} else if (c0 == 0xd0 && c1 >= 0xb0 && c1 <= 0xbf) { /* а..п */
			out[o++] = (char)0xd0;
			out[o++] = (char)(c1 - 0x20);
			p += 2;
		} else if (c0 == 0xd1 && c1 >= 0x80 && c1 <= 0x8f) { /* р..я */
			out[o++] = (char)0xd0;
			out[o++] = (char)(c1 + 0x20);
			p += 2;
		} else if (c0 >= 0xd0 && c0 <= 0xd1 && c1 >= 0x80 && c1 <= 0xbf) {
			out[o++] = (char)c0; /* another Cyrillic letter, as is */
			out[o++] = (char)c1;
			p += 2;
		} else {
			return -1; /* not a letter of any code */
		}
	}
	out[o] = '\0';
	return o ? 0 : -1;
}

const struct t13_code *t13_find(const char *letter)
{
	char norm[16];
	int i;

	if (letter == NULL || t13_normalize(letter, norm, sizeof(norm)) < 0)
		return NULL;
	for (i = 0; i < T13_COUNT; i++)
		if (strcmp(t13_codes[i].letter, norm) == 0)
			return &t13_codes[i];
	return NULL;
}

const struct t13_code *t13_get(int number)
{
	if (number < 1 || number > T13_COUNT)
		return NULL;
	return &t13_codes[number - 1];
}

int t13_average_excluded(int number)
{
	switch (number) {
	case T13_B:
	case T13_T:
	case T13_R:
	case T13_OZH:
	case T13_OT:
	case T13_OD:
	case T13_U:
	case T13_UD:
	case T13_DO:
	case T13_OZ:
	case T13_DB:
	case T13_K:
	case T13_PK:
	case T13_PM:
	case T13_G:
	case T13_OV:
	case T13_NV:
	case T13_RP:
	case T13_NP:
	case T13_NO:
	case T13_NB:
	case T13_ZB:
	case T13_NN:
		return 1;
	default:
		return 0;
	}
}
