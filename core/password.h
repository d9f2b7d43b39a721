/*
 * password.h - password hashes (Argon2id, libargon2) and the policy.
 *
 * Hashes are the standard encoded form ($argon2id$v=19$m=...,t=...,p=1$salt$hash),
 * so the cost can grow without breaking old hashes. The policy: at least
 * PASSWORD_MIN characters, not the login, email or phone, not one character
 * repeated; the list of common passwords is checked by the caller in the
 * database (table common_passwords).
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

#endif
