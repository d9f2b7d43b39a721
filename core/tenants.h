/*
 * tenants.h - connecting organizations and the operator's tenant commands
 * (operations in tenants_ops, see tenants.c).
 */
#ifndef CABINET_TENANTS_H
#define CABINET_TENANTS_H

#include "worker.h"

struct ctx;

/* The organization's address with its trailing slash
 * ("https://romashka.example.ru/"), as emails and pages show it; in arena
 * memory. */
const char *tenants_url(struct ctx *ctx, const char *subdomain);

/* The task "tenants.create": builds the cabinets of pending tenants. */
void tenants_task(struct db *db, struct arena *arena, void *arg);

#endif
