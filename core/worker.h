/*
 * worker.h - the worker threads and the jobs they run.
 *
 * The main thread (server.c) reads frames and submits jobs; each of N worker
 * threads owns one PostgreSQL connection and one arena and runs a job as
 * plain blocking code. A finished job goes back to the main thread through
 * the pool's done callback, which must be thread-safe.
 */
#ifndef CABINET_WORKER_H
#define CABINET_WORKER_H

#include "arena.h"
#include "buf.h"
#include "db.h"

#include <json-c/json.h>
#include <stdint.h>
#include <sys/types.h>

struct conn;

struct job {
	struct job *next;
	/* a request from a connection ... */
	struct conn *conn; /* not owned; the connection waits for this job */
	uint32_t frame_id;
	json_object *request; /* owned */
	unsigned char *blob;  /* owned, may be NULL */
	size_t blob_len;
	uid_t peer_uid;
	int peer_operator;
	/* ... or a background task (conn is NULL) */
	void (*task)(struct db *db, struct arena *arena, void *arg);
	void *task_arg;
	/* the encoded reply frames, filled by the worker */
	struct buf reply;
};

void job_free(struct job *job);

struct pool;

typedef void (*pool_done_fn)(struct job *job, void *arg);

struct pool *pool_start(int workers, const char *conninfo, pool_done_fn done, void *arg);
void pool_submit(struct pool *pool, struct job *job);
/* Lets the workers finish what is queued, joins them, closes their
 * connections and frees the pool. */
void pool_stop(struct pool *pool);

#endif
