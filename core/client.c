#include "client.h"

#include "jsonx.h"
#include "monotime.h"
#include "proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>


static int client_wait(int fd, short events, int64_t deadline)
{
	struct pollfd p = {.fd = fd, .events = events};

	for (;;) {
		int64_t left = deadline - monotime_ms();
		int r;
		if (left <= 0)
			return CORE_TIMEOUT;
		r = poll(&p, 1, (int)left);
		if (r > 0)
			return CORE_OK;
		if (r == 0)
			return CORE_TIMEOUT;
		if (errno != EINTR)
			return CORE_BROKEN;
	}
}

void core_client_init(struct core_client *c, const char *path, int connect_timeout_ms)
{
	memset(c, 0, sizeof(*c));
	c->path = strdup(path);
	c->fd = -1;
	c->next_id = 1;
	c->connect_timeout_ms = connect_timeout_ms;
	c->max_response = PROTO_MAX_RESPONSE;
}

void core_client_close(struct core_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

void core_client_free(struct core_client *c)
{
	core_client_close(c);
	free(c->path);
	c->path = NULL;
}

static int client_connect(struct core_client *c)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int64_t deadline = monotime_ms() + c->connect_timeout_ms;
	int fd;

	if (strlen(c->path) >= sizeof(addr.sun_path))
		return CORE_DOWN;
	strcpy(addr.sun_path, c->path);
	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			return CORE_DOWN;
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
			break;
		close(fd);
		/* a full backlog is worth waiting for; a missing core is not */
		if (errno != EAGAIN || monotime_ms() >= deadline)
			return CORE_DOWN;
		usleep(10000);
	}
	c->fd = fd;
	return CORE_OK;
}

/* An idle connection that is readable has been closed by the core (it never
 * speaks first): drop it before using it. */
static void client_drop_if_stale(struct core_client *c)
{
	struct pollfd p = {.fd = c->fd, .events = POLLIN};

	if (c->fd >= 0 && poll(&p, 1, 0) != 0)
		core_client_close(c);
}

static int client_send_all(int fd, const unsigned char *data, size_t len, int64_t deadline)
{
	while (len) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n > 0) {
			data += n;
			len -= (size_t)n;
		} else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			int r = client_wait(fd, POLLOUT, deadline);
			if (r)
				return r;
		} else {
			return CORE_BROKEN;
		}
	}
	return CORE_OK;
}

static int client_send_frame(int fd, uint16_t type, uint32_t id, const void *data, size_t len,
			     int64_t deadline)
{
	unsigned char hdr[PROTO_HEADER_SIZE];
	int r;

	proto_header_encode(hdr, type, id, (uint32_t)len);
	r = client_send_all(fd, hdr, sizeof(hdr), deadline);
	return r ? r : client_send_all(fd, data, len, deadline);
}

static int client_recv_all(int fd, unsigned char *out, size_t len, int64_t deadline)
{
	while (len) {
		ssize_t n = recv(fd, out, len, 0);
		if (n > 0) {
			out += n;
			len -= (size_t)n;
		} else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			int r = client_wait(fd, POLLIN, deadline);
			if (r)
				return r;
		} else {
			return CORE_BROKEN; /* EOF: the core went away */
		}
	}
	return CORE_OK;
}

/* Reads one frame of the expected type and id; *data is malloc'ed. */
static int client_recv_frame(struct core_client *c, uint16_t type, uint32_t id,
			     unsigned char **data, size_t *len, int64_t deadline)
{
	unsigned char hdr[PROTO_HEADER_SIZE];
	struct proto_header h;
	int r;

	r = client_recv_all(c->fd, hdr, sizeof(hdr), deadline);
	if (r)
		return r;
	if (proto_header_decode(hdr, &h) != PROTO_OK || h.type != type || h.id != id ||
	    h.length > c->max_response)
		return CORE_BROKEN;
	*data = malloc((size_t)h.length + 1);
	if (*data == NULL)
		return CORE_BROKEN;
	r = client_recv_all(c->fd, *data, h.length, deadline);
	if (r) {
		free(*data);
		*data = NULL;
		return r;
	}
	(*data)[h.length] = '\0';
	*len = h.length;
	return CORE_OK;
}

int core_client_call(struct core_client *c, json_object *request, const void *blob,
		     size_t blob_len, int timeout_ms, struct core_reply *reply)
{
	int64_t deadline = monotime_ms() + timeout_ms;
	uint32_t id = c->next_id++;
	unsigned char *payload = NULL;
	const char *text, *err;
	size_t len, plen = 0;
	int r;

	memset(reply, 0, sizeof(*reply));
	jsonx_set_int(request, "id", id);
	if (blob)
		jsonx_set_bool(request, "blob", 1);
	text = jsonx_dump(request, &len);
	if (len > PROTO_MAX_REQUEST || blob_len > PROTO_MAX_BLOB)
		return CORE_TOO_LARGE;

	client_drop_if_stale(c);
	if (c->fd < 0 && (r = client_connect(c)) != CORE_OK)
		return r;
	r = client_send_frame(c->fd, PROTO_REQUEST, id, text, len, deadline);
	if (r == CORE_OK && blob)
		r = client_send_frame(c->fd, PROTO_BLOB, id, blob, blob_len, deadline);
	if (r == CORE_OK)
		r = client_recv_frame(c, PROTO_RESPONSE, id, &payload, &plen, deadline);
	if (r)
		goto fail;
	reply->msg = jsonx_parse_reply((const char *)payload, plen, &err);
	free(payload);
	payload = NULL;
	if (reply->msg == NULL) {
		r = CORE_BROKEN;
		goto fail;
	}
	if (jsonx_get_obj(reply->msg, "blob")) {
		r = client_recv_frame(c, PROTO_BLOB, id, &reply->blob, &reply->blob_len, deadline);
		if (r)
			goto fail;
	}
	return CORE_OK;
fail:
	/* the stream's position is unknown now: start over on the next call */
	core_client_close(c);
	core_reply_free(reply);
	return r;
}

void core_reply_free(struct core_reply *reply)
{
	json_object_put(reply->msg);
	free(reply->blob);
	memset(reply, 0, sizeof(*reply));
}

const char *core_result_name(int result)
{
	switch (result) {
	case CORE_OK: return "ok";
	case CORE_DOWN: return "down";
	case CORE_TIMEOUT: return "timeout";
	case CORE_TOO_LARGE: return "too_large";
	default: return "broken";
	}
}
