/*
 * conn.h - one client connection of the core socket.
 *
 * A connection reads frames until a request is complete, waits while a
 * worker serves it (one request at a time per connection), writes the reply
 * and reads again. Owned by the server's connection list; freed by
 * server.c only when no job refers to it.
 */
#ifndef CABINET_CONN_H
#define CABINET_CONN_H

#include "buf.h"
#include "cfg.h"
#include "worker.h"

#include <stdint.h>
#include <sys/types.h>

enum conn_state { CONN_READING, CONN_BUSY, CONN_WRITING };

struct conn {
	int kind; /* first member: tells a conn from the server's own fds in epoll */
	struct conn *prev, *next;
	int fd;
	uid_t uid;
	int operator;
	enum conn_state state;
	struct buf in;
	struct buf out;
	struct job *partial; /* a request waiting for its blob frame */
	int close_after_write;
	int hangup; /* the peer left while its request was being served */
};

enum conn_frame_result {
	CONN_NEED_MORE = 0,
	CONN_JOB_READY = 1,
	CONN_CLOSE = -1,      /* protocol violation: drop the connection */
	CONN_REPLY_CLOSE = -2 /* an error reply is in out: write it, then close */
};

struct conn *conn_new(int fd, uid_t uid, int operator);
/* Takes the next complete request out of c->in. On CONN_JOB_READY *job is a
 * new job for the pool (owned by the caller). */
int conn_take_request(struct conn *c, const struct cfg *cfg, struct job **job);
void conn_free(struct conn *c);

#endif
