/*
 * t13.h - time codes of the unified form T-13 (Goskomstat decree No 1 of
 * 05.01.2004): the letter code, its number, and what the engine does with it.
 *
 * The engine stores a code as its number (T13_* below, 1..36), which is what
 * a database column holds; the letters are for people and the JSON API.
 * All strings are UTF-8 literals owned by the module.
 */
#ifndef CABINET_T13_H
#define CABINET_T13_H

#include <stddef.h>

enum t13_number {
	T13_YA = 1, /* Я  work in the daytime */
	T13_N = 2,  /* Н  work at night */
	T13_RV = 3, /* РВ work on weekends and non-working holidays */
	T13_S = 4,  /* С  overtime */
	T13_VM = 5, /* ВМ rotational work */
	T13_K = 6,  /* К  business trip */
	T13_PK = 7,
	T13_PM = 8,
	T13_OT = 9,  /* ОТ annual basic paid vacation */
	T13_OD = 10, /* ОД annual additional paid vacation */
	T13_U = 11,
	T13_UV = 12,
	T13_UD = 13,
	T13_R = 14,
	T13_OZH = 15,
	T13_DO = 16, /* ДО unpaid leave granted by the employer */
	T13_OZ = 17,
	T13_DB = 18,
	T13_B = 19, /* Б  sick leave with benefit */
	T13_T = 20,
	T13_LCH = 21,
	T13_PV = 22,
	T13_G = 23,
	T13_PR = 24, /* ПР truancy */
	T13_NS = 25,
	T13_V = 26, /* В  weekly days off and non-working holidays */
	T13_OV = 27,
	T13_NV = 28,
	T13_ZB = 29,
	T13_NN = 30, /* НН absence for unknown reasons */
	T13_RP = 31,
	T13_NP = 32,
	T13_VP = 33,
	T13_NO = 34,
	T13_NB = 35,
	T13_NZ = 36,
};

#define T13_COUNT 36

/* What a code means to the payroll engine. */
enum t13_class {
	T13_CLASS_WORK,         /* Я, ВМ: worked time (timesheet rows) */
	T13_CLASS_NIGHT,        /* Н: night hours inside worked time (premium) */
	T13_CLASS_HOLIDAY_WORK, /* РВ: weekend/holiday work hours (premium) */
	T13_CLASS_OVERTIME,     /* С: overtime hours (premium) */
	T13_CLASS_ABSENCE,      /* whole days not worked: Б, ОТ, ДО, К, В, ... */
	T13_CLASS_PARTIAL,      /* ЛЧ, НС, УВ: hour-based reductions, timesheet only */
};

struct t13_code {
	int number;
	const char *letter;
	enum t13_class cls;
	const char *meaning; /* Russian */
};

/*
 * The code for its letters as a person types them, or NULL: "РВ", "рв",
 * " р в ", "PB" (Latin look-alikes B H C P K T O M A E X Y stand for the
 * Cyrillic letters, in either case; spaces and no-break spaces are ignored).
 */
const struct t13_code *t13_find(const char *letter);
/* The normalized form t13_find() looks up ("рв" -> "РВ") into out (n
 * bytes); 0, or -1 when in has a character no code has or out is short. */
int t13_normalize(const char *in, char *out, size_t n);
/* The code for a number 1..36, or NULL. */
const struct t13_code *t13_get(int number);

/*
 * 1 for the codes whose days are excluded from the period of average
 * earnings (decree 922 item 5, payroll.md "Vacation pay"): Б, Т, Р, ОЖ, ОТ,
 * ОД, У, УД, ДО, ОЗ, ДБ, К, ПК, ПМ, Г, ОВ, НВ, РП, НП, НО, НБ, ЗБ, and НН
 * until it is clarified. Truancy (ПР) is not excluded.
 */
int t13_average_excluded(int number);

#endif
