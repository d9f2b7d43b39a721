/*
 * fuzz_frame.c - the core's side of the protocol: bytes a peer writes to
 * the core socket, cut into frames and requests by conn_take_request
 * (core/conn.c; framing in core/proto.h, JSON by jsonx_parse_object).
 *
 * The input is the byte stream. It is fed twice: all at once, and in
 * chunks of 7 bytes as a slow peer would write it; both must give the same
 * jobs and the same end. A ready job holds a JSON object, and a blob only
 * when its request asked for one; an error reply is one well-formed
 * RESPONSE frame.
 */
#include "conn.h"
#include "fuzz.h"
#include "jsonx.h"
#include "log.h"
#include "proto.h"

#define FUZZ_FRAME_MAX_JOBS 64

struct fuzz_run {
	int result; /* the last conn_take_request result */
	int jobs;
	uint32_t ids[FUZZ_FRAME_MAX_JOBS];
	size_t blob_len[FUZZ_FRAME_MAX_JOBS];
};

static void fuzz_check_reply(const struct buf *out)
{
	struct proto_header h;
	const char *why;

	FUZZ_ASSERT(out->len >= PROTO_HEADER_SIZE);
	FUZZ_ASSERT(proto_header_decode((const unsigned char *)out->data, &h) == PROTO_OK);
	FUZZ_ASSERT(h.type == PROTO_RESPONSE && h.length == out->len - PROTO_HEADER_SIZE);
	json_object *resp = jsonx_parse_object(out->data + PROTO_HEADER_SIZE, h.length, &why);
	FUZZ_ASSERT(resp != NULL && jsonx_get_obj(resp, "error") != NULL);
	json_object_put(resp);
}

/* Takes every ready request out of c; returns 1 while more input may come. */
static int fuzz_drain(struct conn *c, const struct cfg *cfg, struct fuzz_run *run)
{
	struct job *job;

	for (;;) {
		run->result = conn_take_request(c, cfg, &job);
		if (run->result != CONN_JOB_READY) {
			FUZZ_ASSERT(job == NULL);
			if (run->result == CONN_REPLY_CLOSE)
				fuzz_check_reply(&c->out);
			return run->result == CONN_NEED_MORE;
		}
		FUZZ_ASSERT(job != NULL && job->conn == c);
		FUZZ_ASSERT(json_object_is_type(job->request, json_type_object));
		int has_blob = 0;
		if (jsonx_get_bool(job->request, "blob", &has_blob) != 0)
			has_blob = 0;
		FUZZ_ASSERT(has_blob == (job->blob != NULL));
		if (run->jobs < FUZZ_FRAME_MAX_JOBS) {
			run->ids[run->jobs] = job->frame_id;
			run->blob_len[run->jobs] = job->blob_len;
		}
		run->jobs++;
		job_free(job);
	}
}

static void fuzz_feed(const uint8_t *data, size_t size, size_t chunk, const struct cfg *cfg,
                      struct fuzz_run *run)
{
	struct conn *c = conn_new(-1, 1000, 0);

	memset(run, 0, sizeof(*run));
	run->result = CONN_NEED_MORE;
	for (size_t off = 0; off < size;) {
		size_t n = size - off < chunk ? size - off : chunk;
		buf_append(&c->in, data + off, n);
		off += n;
		if (!fuzz_drain(c, cfg, run))
			break;
	}
	conn_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct cfg cfg;
	struct fuzz_run whole, slow;

	if (!ready) {
		log_set_level(LOG_ERROR); /* rejected frames are logged as warnings */
		ready = 1;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.max_request = 1 << 16;
	cfg.max_blob = 1 << 16;
	fuzz_feed(data, size, size ? size : 1, &cfg, &whole);
	fuzz_feed(data, size, 7, &cfg, &slow);
	FUZZ_ASSERT(whole.result == slow.result && whole.jobs == slow.jobs);
	for (int i = 0; i < whole.jobs && i < FUZZ_FRAME_MAX_JOBS; i++)
		FUZZ_ASSERT(whole.ids[i] == slow.ids[i] && whole.blob_len[i] == slow.blob_len[i]);
	return 0;
}
