/*
 * migrate.h - `cabinetd migrate`: the numbered SQL files of sql_dir, in order.
 *
 * Files are named NNNN_name.sql. Each is applied in its own transaction and
 * recorded in schema_migrations with its SHA-256; a file that changed after
 * it was applied is refused (migrations are never edited once landed: add a
 * new one). An advisory lock keeps two migrators from running at once.
 * Connects with db_migrate_conninfo (the owner of the tables).
 */
#ifndef CABINET_MIGRATE_H
#define CABINET_MIGRATE_H

#include "cfg.h"

/* 0 when the schema is up to date, -1 on any error (logged). */
int migrate_run(const struct cfg *cfg);

#endif
