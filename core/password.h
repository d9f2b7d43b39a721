/*
 * password.h - password hashes (Argon2id, libargon2) and the policy.
 *
 * Hashes are the standard encoded form ($argon2id$v=19$m=...,t=...,p=1$salt$hash),
 * so the cost can grow without breaking old hashes. The policy: at least
 * PASSWORD_MIN characters, not the login, email or phone, not one character
 * repeated; the list of common passwords is checked by the caller in the
 * database (table common_passwords), with the forms password_common_forms
 * gives.
 */
#ifndef CABINET_PASSWORD_H
#define CABINET_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN      12 /* ASVS 4.0 2.1.1 */
#define PASSWORD_MAX      256
#define PASSWORD_HASH_MAX 160
/* how to choose a strong one; the length is a rule of its own, said where
 * it is broken (not twice in one message) */
#define PASSWORD_ADVICE                                                                            \
	"Рекомендуем сложный пароль: латинские буквы верхнего и нижнего регистров и цифры"

/* Hashes password into out (PASSWORD_HASH_MAX bytes); 0 or -1. */
int password_hash(const char *password, long memory_kib, long passes, char *out, size_t outlen);
/* 1 when password matches encoded, 0 when not (or encoded is NULL: then
 * the same work is done against a dummy hash, so timing does not tell
 * whether an account exists). */
int password_verify(const char *encoded, const char *password);
/* 0 when password passes the policy, else -1 with a stable code and a
 * Russian sentence. personal[0..npersonal): the user's login, email and
 * phone (entries may be NULL). */
int password_check(const char *password, const char *const *personal, int npersonal,
                   const char **code, const char **why);

/* Calls emit(arg, form) with every form of password that is looked up in
 * the list of common passwords (ASVS 2.1.7: derived ones are refused too):
 * in lower case; as typed, and as the same keys give in the other keyboard
 * layout (gfhjkm is «пароль» typed in QWERTY, йцукен is qwerty), both ways;
 * without the digits and symbols at either end (qwertyuiop12); a word
 * repeated, once (парольпароль); and a listed password of 8 characters or
 * more extended by up to 3 characters, as that password (1q2w3e4r5t6y7).
 * Forms shorter than 4 characters are left out; a form may come twice. */
void password_common_forms(const char *password, void (*emit)(void *arg, const char *form),
                           void *arg);

#endif
