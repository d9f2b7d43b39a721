/*
 * proto.h - the core protocol, shared by cabinetd, the responders and cabinetctl.
 *
 * Frames on a SOCK_STREAM Unix socket. Each frame is a 16-byte big-endian
 * header followed by `length` payload bytes:
 *
 *   0  u32 magic     "CAB1"
 *   4  u16 version   PROTO_VERSION
 *   6  u16 type      PROTO_REQUEST | PROTO_RESPONSE | PROTO_BLOB
 *   8  u32 id        request id, echoed in the response
 *  12  u32 length    payload length
 *
 * REQUEST and RESPONSE payloads are one UTF-8 JSON object:
 *   request  {"id": 7, "op": "system.health", "auth": {...}, "args": {...}}
 *   response {"id": 7, "status": 200, "result": {...}}
 *            {"id": 7, "status": 422, "error": {"code", "message", "fields"}}
 * A request with "blob": true is followed by one BLOB frame with the same id
 * (raw bytes of an uploaded file); a response with a "blob" object
 * ({"content_type", "filename"}) is followed by one BLOB frame (a download).
 *
 * Sizes are checked from the header before anything is allocated. A frame
 * with a bad magic or type, or over the receiver's cap, closes the
 * connection. A version mismatch is answered with a RESPONSE frame carrying
 * the receiver's version and error code "version_mismatch", then the
 * connection is closed. Bump PROTO_VERSION on any incompatible change.
 */
#ifndef CABINET_PROTO_H
#define CABINET_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PROTO_MAGIC	  0x43414231u /* "CAB1" */
#define PROTO_VERSION	  1
#define PROTO_HEADER_SIZE 16

/* Default caps; both sides can configure their own (cabinet.conf). */
#define PROTO_MAX_REQUEST  (1u << 20)  /* JSON of one request */
#define PROTO_MAX_BLOB	   (32u << 20) /* one uploaded file */
#define PROTO_MAX_RESPONSE (64u << 20) /* JSON or blob of one response */

/* auth.idempotency_key: 1..255 printable ASCII characters (core/idempotency.h) */
#define PROTO_IDEMPOTENCY_KEY_MAX 255

enum proto_type {
	PROTO_REQUEST = 1,
	PROTO_RESPONSE = 2,
	PROTO_BLOB = 3,
};

struct proto_header {
	uint32_t magic;
	uint16_t version;
	uint16_t type;
	uint32_t id;
	uint32_t length;
};

enum proto_decode_result {
	PROTO_OK = 0,
	PROTO_BAD_MAGIC = -1,
	PROTO_BAD_TYPE = -2,
	PROTO_BAD_VERSION = -3,
};

static inline void proto_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static inline uint32_t proto_get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void proto_header_encode(unsigned char out[PROTO_HEADER_SIZE], uint16_t type,
				       uint32_t id, uint32_t length)
{
	proto_put32(out, PROTO_MAGIC);
	out[4] = (unsigned char)(PROTO_VERSION >> 8);
	out[5] = (unsigned char)PROTO_VERSION;
	out[6] = (unsigned char)(type >> 8);
	out[7] = (unsigned char)type;
	proto_put32(out + 8, id);
	proto_put32(out + 12, length);
}

/* Decodes a header; the fields are filled even when the version differs, so
 * the receiver can still answer with its own version. */
static inline int proto_header_decode(const unsigned char in[PROTO_HEADER_SIZE],
				      struct proto_header *h)
{
	h->magic = proto_get32(in);
	h->version = (uint16_t)(in[4] << 8 | in[5]);
	h->type = (uint16_t)(in[6] << 8 | in[7]);
	h->id = proto_get32(in + 8);
	h->length = proto_get32(in + 12);
	if (h->magic != PROTO_MAGIC)
		return PROTO_BAD_MAGIC;
	if (h->version != PROTO_VERSION)
		return PROTO_BAD_VERSION;
	if (h->type < PROTO_REQUEST || h->type > PROTO_BLOB)
		return PROTO_BAD_TYPE;
	return PROTO_OK;
}

/*
 * Error codes: the stable strings of the API ("code" in every error object),
 * the HTTP status each maps to, and the Russian message shown when a handler
 * gives none. The responders pass the status through.
 */
struct proto_error {
	const char *code;
	int status;
	const char *message;
};

#define PROTO_ERRORS(X)                                                                            \
	X(bad_request, 400, "Некорректный запрос")                                                 \
	X(unauthorized, 401, "Требуется вход в кабинет")                                           \
	X(forbidden, 403, "Недостаточно прав для этого действия")                                  \
	X(csrf, 403, "Страница устарела: обновите её и повторите действие")                        \
	X(tenant_disabled, 403, "Кабинет организации отключён")                                    \
	X(tenant_not_found, 404, "Организация не найдена")                                         \
	X(not_found, 404, "Не найдено")                                                            \
	X(method_not_allowed, 405, "Метод не поддерживается")                                      \
	X(conflict, 409, "Конфликт с существующими данными")                                       \
	X(stale, 409, "Результаты расчёта устарели: пересчитайте")                                 \
	X(early_close, 409, "Месяц ещё не закончился")                                             \
	X(gone, 410, "Ссылка больше не действует")                                                 \
	X(payload_too_large, 413, "Слишком большой запрос")                                        \
	X(unsupported_media_type, 415, "Неподдерживаемый формат данных")                           \
	X(validation, 422, "Проверьте введённые данные")                                           \
	X(locked, 423, "Период закрыт для изменений")                                              \
	X(too_many_requests, 429, "Слишком много попыток, повторите позже")                        \
	X(version_mismatch, 400, "Несовместимая версия протокола")                                 \
	X(internal, 500, "Внутренняя ошибка сервиса")                                              \
	X(unavailable, 503, "Сервис временно недоступен, повторите позже")

#define PROTO_ERROR_ENUM(code, status, msg) PROTO_ERR_##code,
enum proto_error_id { PROTO_ERRORS(PROTO_ERROR_ENUM) PROTO_ERR_COUNT };
#undef PROTO_ERROR_ENUM

#define PROTO_ERROR_ROW(code, status, msg) {#code, status, msg},
static const struct proto_error proto_errors[PROTO_ERR_COUNT] = {PROTO_ERRORS(PROTO_ERROR_ROW)};
#undef PROTO_ERROR_ROW

static inline const struct proto_error *proto_error_find(const char *code)
{
	for (int i = 0; i < PROTO_ERR_COUNT; i++)
		if (strcmp(proto_errors[i].code, code) == 0)
			return &proto_errors[i];
	return NULL;
}

#endif
