/*
 * ru.h - Russian wording: plural forms and month names.
 *
 * All strings are UTF-8 literals owned by the module (or the caller, for the
 * plural forms passed in); nothing is allocated.
 */
#ifndef CABINET_RU_H
#define CABINET_RU_H

#include <stddef.h>

/*
 * Picks the form for n: ru_plural(n, "день", "дня", "дней") gives
 * 1 день, 2 дня, 5 дней, 11 дней, 21 день, 22 дня, 112 дней. The sign of n
 * does not matter. Returns one of the three pointers passed in.
 */
const char *ru_plural(long long n, const char *one, const char *few, const char *many);

/*
 * A number of tenths (of a day: 355 = 35,5 days) as Russian text into out
 * (size n): "35" for a whole number (never "35,0"), "35,5", "-0,5";
 * returns out.
 */
char *ru_format_tenths(long long tenths, char *out, size_t n);
/*
 * The form for a number given in tenths: a whole number as ru_plural; a
 * fractional one takes the genitive singular, passed as fraction:
 * 35 дней, 35,5 дня, 21 день, 0,5 дня ("календарного дня" for
 * "календарный день"). Returns one of the pointers passed in.
 */
const char *ru_plural_tenths(long long tenths, const char *one, const char *few, const char *many,
                             const char *fraction);

/* "январь".."декабрь" for 1..12; NULL otherwise. */
const char *ru_month_name(int month);
/* "января".."декабря" (as in "22 ноября 2026"); NULL otherwise. */
const char *ru_month_genitive(int month);
/* "Январь".."Декабрь": the nominative capitalised, for headings. */
const char *ru_month_title(int month);

/* "пн".."вс" for an ISO weekday 1 (Monday)..7; NULL otherwise. */
const char *ru_weekday_short(int weekday);

/*
 * "22 ноября 2026 г." into out (size n); returns out. The date is a day
 * number of date.h.
 */
char *ru_format_date_long(int date, char *out, size_t n);

/*
 * How long to wait, as in "Повторите через 5 минут": "через 30 секунд"
 * under two minutes, "через 5 минут" under two hours, "через 3 часа" above
 * (rounded up; at least 1 second) into out (size n); returns out.
 */
char *ru_wait(long long seconds, char *out, size_t n);

/*
 * A size limit as people say it, never more than it is: "1 МБ", "1,5 МБ"
 * (tenths of a mebibyte down), "512 КБ", "100 байт" into out (size n);
 * returns out. scripts/run.sh words nginx's limits the same way.
 */
char *ru_format_size(long long bytes, char *out, size_t n);

/* A stored mobile number (+79121112233, validate_phone) for people:
 * "+7 912 111-22-33" into out (size n, at least RU_PHONE_BUFSZ); anything
 * else is copied as it is. Returns out. */
#define RU_PHONE_BUFSZ 32
char *ru_format_phone(const char *phone, char *out, size_t n);

/*
 * A message said after a colon, its first letter in lower case ("Строка 3:
 * не хватает столбца" of "Не хватает столбца"), the way Russian writes a
 * clause after a colon; an abbreviation (its second letter a capital too:
 * "НДФЛ", "ИНН") and anything not a capital letter stay as they are.
 * Returns s, or a copy in out (size n) when changed (cut to fit).
 */
const char *ru_after_colon(const char *s, char *out, size_t n);

/*
 * The grammatical gender of a person, told by the patronymic of a full name
 * "Фамилия Имя Отчество": -вич/-ич or "оглы"/"улы" masculine, -вна/-чна or
 * "кызы"/"гызы" feminine; a name without a patronymic (two words, initials)
 * tells nothing. One rule for history, notifications and mails: the
 * service never writes "отправил(а)".
 */
enum ru_gender { RU_GENDER_UNKNOWN = 0, RU_GENDER_MASCULINE, RU_GENDER_FEMININE };
enum ru_gender ru_gender_of(const char *full_name);

/*
 * The past-tense form agreeing with the person: ru_past(name, "согласовал",
 * "согласовала") gives one of the two, or NULL when the name does not tell
 * the gender; the caller then words the sentence without a verb, as a noun
 * phrase ("Согласование: Иванова Мария").
 */
const char *ru_past(const char *full_name, const char *masculine, const char *feminine);

/*
 * The addressee of an application in the dative, by a small rule (no
 * dictionary), into out (size n); returns out.
 *
 * ru_dative_position: a position as written, its leading adjectives
 * (-ый/-ой -> -ому, -кий/-гий/-хий -> -кому, other -ий -> -ему) and its
 * head noun (-ь/-й -> -ю, -а/-я -> -е, a consonant + у) put in the
 * dative, the rest kept («Генеральный директор» -> «Генеральному
 * директору», «Руководитель филиала» -> «Руководителю филиала»); the first
 * letter a capital. Words in capitals stay as they are.
 *
 * ru_dative_initials: "Фамилия Имя Отчество" as «Фамилии И. О.» (no-break spaces), the
 * surname by the gender of ru_gender_of (without a patronymic, by the
 * surname's own ending: -ова/-ина/-ская feminine, -ов/-ин/-ский
 * masculine). Feminine: -ова/-ева/-ина/-ына -> -овой…, -ая -> -ой,
 * -яя -> -ей, -ия -> -ии, other -а/-я -> -е, anything else unchanged
 * (Шмидт, Черных, Шевченко). Masculine: -ский/-цкий/-ый and longer
 * -ий/-ой as adjectives (Толстому), -ь/-й -> -ю, -ия -> -ии, -а/-я -> -е,
 * a consonant + у (Петрову, Шмидту), -их/-ых and vowels unchanged. Not
 * covered: fleeting vowels (Заяц -> Зайцу is written «Заяцу»); a gender
 * not told leaves the surname as written. Each part of a double surname is
 * declined on its own (Смирновой-Лебедевой, Римскому-Корсакову).
 */
char *ru_dative_position(const char *position, char *out, size_t n);
char *ru_dative_initials(const char *full_name, char *out, size_t n);

/*
 * The genitive, for «от …» (a notification's giver, an application's
 * applicant), by the same kind of rule into out (size n); returns out.
 *
 * ru_genitive_name: "Фамилия Имя Отчество" as «Фамилии Имени Отчества»
 * (initials != 0: «Фамилии И. О.», the surname and initials joined by no-break
 * spaces), the gender by ru_gender_of; a name that does not tell its gender
 * stays as written. Surnames as the dative's (Петровой, Толстого, Шмидта,
 * Шмидт, Черных); first names: a consonant + а, -ь/-й -> -я, -а -> -ы
 * (-и after г/к/х/ж/ш/ч/щ), -я/-ия -> -и/-ии, feminine -ь -> -и; Павел,
 * Лев, Пётр lose their vowel; patronymics -ич + а, -на -> -ны.
 *
 * ru_genitive_position: a position as written, its leading adjectives
 * (-ый/-ой/-кий -> -ого, other -ий -> -его) and its head noun (as a
 * masculine first name) in the genitive, the rest kept («менеджер по
 * продажам» -> «менеджера по продажам»); the case of letters kept.
 */
char *ru_genitive_name(const char *full_name, int initials, char *out, size_t n);

/*
 * The certificate of employment's sentence of where it is presented, from
 * the form's «Куда представляется» as the employee wrote it, into out (size
 * n); returns out. «в банк» / «В банк» -> «Справка выдана для представления
 * в банк.» (в, во, на, по, к); «для банка» -> «Справка выдана для банка.»;
 * «для представления в банк» said once; a bare name («Сбербанк») ->
 * «… для представления по месту требования: Сбербанк.»; empty -> «… по месту
 * требования.» The final period and spaces of the value are dropped.
 */
char *ru_certificate_purpose(const char *purpose, char *out, size_t n);
char *ru_genitive_position(const char *position, char *out, size_t n);

#endif
