/*
 * validate.h - checks and normalization of what people type: subdomains,
 * mobile phones, email addresses, full names, sign-in logins.
 *
 * Each check returns 0 and writes the normalized value to out, or -1 with
 * *code set to a stable code ("format", "reserved", ...) and *why to a
 * Russian sentence that says what is allowed. Both are static strings.
 */
#ifndef CABINET_VALIDATE_H
#define CABINET_VALIDATE_H

#include <stddef.h>

#define VALIDATE_SUBDOMAIN_MAX 63
#define VALIDATE_PHONE_LEN     12 /* +7XXXXXXXXXX */
#define VALIDATE_EMAIL_MAX     254
#define VALIDATE_NAME_MAX      300

/* Latin letters, digits and hyphen, 3..63, no hyphen at either end, lower
 * case, not a reserved name (www, admin, api, mail, ...). */
int validate_subdomain(const char *in, char *out, size_t outlen, const char **code,
                       const char **why);
/* A Russian mobile number in any usual spelling (+7 912 345-67-89,
 * 8 (912) 3456789, 9123456789) -> +79123456789. */
int validate_phone(const char *in, char *out, size_t outlen, const char **code, const char **why);
/* name@domain.tld, at most 254 characters, into its one canonical form
 * (every place that stores or looks up an address uses it): the local
 * part's letters and the domain in Unicode lower case (NFC), an
 * internationalized domain in its Unicode form whether typed in Unicode or
 * in punycode ("Анна@Пример.РФ", "анна@xn--e1afmkfd.xn--p1ai" ->
 * "анна@пример.рф"; libunistring, libidn2). */
int validate_email(const char *in, char *out, size_t outlen, const char **code, const char **why);
/* Letters (Cyrillic or Latin), spaces, hyphens, apostrophes and dots;
 * spaces trimmed and collapsed; 2..300 characters. */
int validate_full_name(const char *in, char *out, size_t outlen, const char **code,
                       const char **why);
/* 1 when two full names (as validate_full_name leaves them) begin with the
 * same surname: the first word, compared in Unicode lower case with ё read
 * as е ("Пётр" and "ПЕТР" meet). The test for "the same person" where a
 * contact alone would merge two people (the responsible person's employee,
 * exchange.c). */
int validate_same_surname(const char *a, const char *b);
/* The form a login is looked up in: an email in its canonical form
 * (validate_email), a phone normalized (validate_phone), anything else
 * trimmed and in Unicode lower case. Returns 0, or -1 for an empty or
 * oversized login or one that is not UTF-8. */
int validate_login_key(const char *in, char *out, size_t outlen);

/*
 * Russian identifiers of people and organizations, with their check digits.
 * Spaces and hyphens between the digits are allowed and dropped; out gets
 * the digits only.
 */
#define VALIDATE_ID_MAX 16
/* СНИЛС: 11 digits; the last two are the check number of the first nine
 * (weights 9..1, sum mod 101, 100 -> 00); numbers up to 001-001-998 have
 * no check number. */
int validate_snils(const char *in, char *out, size_t outlen, const char **code, const char **why);
/* ИНН of a person (12 digits, two check digits) when digits == 12, of an
 * organization (10 digits, one) when 10, either when 0. */
int validate_inn(const char *in, int digits, char *out, size_t outlen, const char **code,
		 const char **why);
/* КПП: 9 characters, 4 digits, 2 digits or Latin capitals, 3 digits. */
int validate_kpp(const char *in, char *out, size_t outlen, const char **code, const char **why);
/* ОКПО: 8 digits (organizations) or 10 (individual entrepreneurs), the last
 * a check digit (weights 1..n, mod 11; on 10, weights 3..n+2; 10 -> 0). */
int validate_okpo(const char *in, char *out, size_t outlen, const char **code, const char **why);

/* A text folded for comparing what people type: Unicode lower case, ё as
 * е, without spaces, hyphens, underscores and dots ("Иванов Иван" and
 * "иванов-иван" meet). 0, or -1 when it is not UTF-8 or does not fit. */
int validate_fold(const char *in, char *out, size_t outlen);

/* The issue date of a passport of the Russian Federation (day numbers,
 * date.h) against its holder's birth date (DATE_NONE when unknown) and
 * today: not after today, and not before the 14th birthday - the passport
 * is issued from the age of 14 (the Regulation on the passport, Decree of
 * the Government No. 828 of 08.07.1997). 0, or -1 with *code ("range") and
 * a Russian sentence naming the dates in why[n]. Every place that writes a
 * passport checks its issue date with it. */
int validate_passport_issued(int issued, int birth, int today, const char **code, char *why,
                             size_t n);

#endif
