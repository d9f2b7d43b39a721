#include "conn.h"

#include "dispatch.h"
#include "jsonx.h"
#include "log.h"
#include "proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct conn *conn_new(int fd, uid_t uid, int operator)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		abort();
	c->kind = 1;
	c->fd = fd;
	c->uid = uid;
	c->operator= operator;
	c->state = CONN_READING;
	return c;
}

void conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	if (c->fd >= 0)
		close(c->fd);
	job_free(c->partial);
	buf_free(&c->in);
	buf_free(&c->out);
	free(c);
}

static int conn_reject(struct conn *c, const char *reason, const struct proto_header *h)
{
	log_warn("frame_rejected", "fd=%d uid=%u reason=%s type=%u length=%u", c->fd,
	         (unsigned)c->uid, reason, h ? h->type : 0, h ? h->length : 0);
	return CONN_CLOSE;
}

/* The most room an idle connection keeps for its input (bytes). */
#define CONN_KEEP_BUF (64 * 1024)

int conn_take_request(struct conn *c, const struct cfg *cfg, struct job **out)
{
	struct proto_header h;
	const char *err;
	int r;

	*out = NULL;
	for (;;) {
		if (c->in.len < PROTO_HEADER_SIZE)
			return CONN_NEED_MORE;
		r = proto_header_decode((const unsigned char *)c->in.data, &h);
		if (r == PROTO_BAD_VERSION) {
			log_warn("frame_rejected", "fd=%d reason=version peer_version=%u", c->fd,
			         h.version);
			dispatch_error_frame(&c->out, h.id, PROTO_ERR_version_mismatch, NULL);
			return CONN_REPLY_CLOSE;
		}
		if (r != PROTO_OK)
			return conn_reject(c, r == PROTO_BAD_MAGIC ? "magic" : "type", &h);
		if (h.type == PROTO_REQUEST && h.length > (uint32_t)cfg->max_request)
			return conn_reject(c, "request_too_large", &h);
		if (h.type == PROTO_BLOB && h.length > (uint32_t)cfg->max_blob)
			return conn_reject(c, "blob_too_large", &h);
		if (h.type == PROTO_RESPONSE)
			return conn_reject(c, "unexpected_response", &h);
		if (h.type == PROTO_BLOB && (c->partial == NULL || c->partial->frame_id != h.id))
			return conn_reject(c, "unexpected_blob", &h);
		if (h.type == PROTO_REQUEST && c->partial)
			return conn_reject(c, "blob_missing", &h);
		if (c->in.len - PROTO_HEADER_SIZE < h.length) {
			/* make room for the rest at once; the size was checked */
			buf_reserve(&c->in, PROTO_HEADER_SIZE + h.length - c->in.len);
			return CONN_NEED_MORE;
		}

		const char *payload = c->in.data + PROTO_HEADER_SIZE;
		if (h.type == PROTO_BLOB) {
			struct job *job = c->partial;
			job->blob = malloc(h.length ? h.length : 1);
			if (job->blob == NULL)
				abort();
			memcpy(job->blob, payload, h.length);
			job->blob_len = h.length;
			c->partial = NULL;
			buf_consume(&c->in, PROTO_HEADER_SIZE + h.length);
			/* a connection lives long: it does not keep a file's room */
			if (c->in.len == 0 && c->in.cap > CONN_KEEP_BUF)
				buf_free(&c->in);
			*out = job;
			return CONN_JOB_READY;
		}

		json_object *req = jsonx_parse_object(payload, h.length, &err);
		if (req == NULL) {
			char key[JSONX_PATH_MAX], msg[JSONX_PATH_MAX + 64];
			int dup = err == JSONX_ERR_DUPLICATE &&
			          jsonx_duplicate_key(payload, h.length, key, sizeof(key)) == 1;
			log_warn("frame_rejected", "fd=%d reason=%s", c->fd,
			         dup ? "duplicate_key" : "bad_json");
			if (dup)
				snprintf(msg, sizeof(msg), "Поле «%s» указано в запросе дважды",
				         key);
			dispatch_error_frame(&c->out, h.id, PROTO_ERR_bad_request,
			                     dup ? msg : "Запрос не является JSON-объектом");
			return CONN_REPLY_CLOSE;
		}
		struct job *job = calloc(1, sizeof(*job));
		if (job == NULL)
			abort();
		job->conn = c;
		job->frame_id = h.id;
		job->request = req;
		job->peer_uid = c->uid;
		job->peer_operator = c->operator;
		buf_consume(&c->in, PROTO_HEADER_SIZE + h.length);
		int has_blob = 0;
		if (jsonx_get_bool(req, "blob", &has_blob) == 0 && has_blob) {
			c->partial = job;
			continue;
		}
		*out = job;
		return CONN_JOB_READY;
	}
}
