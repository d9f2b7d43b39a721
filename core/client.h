/*
 * client.h - a blocking client of the core socket (responders, cabinetctl).
 *
 * One connection, one request at a time. The connection is opened on first
 * use and again after any failure, so a restarted core is picked up without
 * restarting the client. Every wait has a deadline: a core that is down or
 * silent yields CORE_DOWN or CORE_TIMEOUT, never a hang.
 */
#ifndef CABINET_CLIENT_H
#define CABINET_CLIENT_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

enum core_result {
	CORE_OK = 0,
	CORE_DOWN = -1,	    /* could not connect */
	CORE_TIMEOUT = -2,  /* no answer before the deadline */
	CORE_BROKEN = -3,   /* connection lost or protocol violated mid-request */
	CORE_TOO_LARGE = -4 /* the request is larger than the protocol allows */
};

struct core_client {
	char *path;
	int fd;
	uint32_t next_id;
	int connect_timeout_ms;
	uint32_t max_response;
};

struct core_reply {
	json_object *msg;    /* the response object, owned by the reply */
	unsigned char *blob; /* a download that followed it, or NULL; owned */
	size_t blob_len;
};

void core_client_init(struct core_client *c, const char *path, int connect_timeout_ms);
/* Sends request (this function sets its "id") and an optional blob, waits up
 * to timeout_ms for the response. On CORE_OK the caller frees reply with
 * core_reply_free(). */
int core_client_call(struct core_client *c, json_object *request, const void *blob,
		     size_t blob_len, int timeout_ms, struct core_reply *reply);
void core_reply_free(struct core_reply *reply);
void core_client_close(struct core_client *c);
/* Closes and releases what init allocated. */
void core_client_free(struct core_client *c);
const char *core_result_name(int result);

#endif
