/*
 * cabinetctl - the operator's command line, over the core socket.
 *
 *   cabinetctl [-c FILE] [-t MS] COMMAND [ARGS...]
 *
 * Every command is one row of ctl_commands[]: its name, the core operation,
 * and how its arguments become the operation's args. Output is the result as
 * pretty JSON on stdout; errors go to stderr. Exit status: 0 ok, 1 the core
 * refused (the error says why), 2 usage, 3 the core is unreachable.
 */
#include "cfg.h"
#include "client.h"
#include "jsonx.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ctl_command {
	const char *name;
	const char *op;
	/* builds args from argv; NULL: the command takes no arguments */
	int (*build)(int argc, char **argv, json_object *args);
	const char *usage;
};

static const struct ctl_command ctl_commands[] = {
	{"health", "system.health", NULL, "health                 core and database status"},
	{"version", "system.version", NULL, "version                versions of the core and protocol"},
	{"call", NULL, NULL, "call OP [JSON-ARGS]    run any operation"},
	{NULL, NULL, NULL, NULL},
};

static void ctl_usage(FILE *out)
{
	fprintf(out, "usage: cabinetctl [-c FILE] [-t MS] COMMAND [ARGS...]\n"
		     "  -c FILE  configuration (default /etc/cabinet/cabinet.conf)\n"
		     "  -t MS    how long to wait for the core (default 120000)\n"
		     "commands:\n");
	for (const struct ctl_command *c = ctl_commands; c->name; c++)
		fprintf(out, "  %s\n", c->usage);
}

static int ctl_print_error(json_object *msg)
{
	json_object *e = jsonx_get_obj(msg, "error"), *fields = jsonx_get_obj(e, "fields");

	fprintf(stderr, "cabinetctl: %s (%s)\n", jsonx_get_str(e, "message") ?: "error",
		jsonx_get_str(e, "code") ?: "?");
	if (fields) {
		json_object_object_foreach(fields, key, val)
			fprintf(stderr, "  %s: %s\n", key, json_object_get_string(val));
	}
	return 1;
}

int main(int argc, char **argv)
{
	const char *path = "/etc/cabinet/cabinet.conf", *op;
	const struct ctl_command *cmd = NULL;
	struct core_client client;
	struct core_reply reply;
	json_object *req = NULL, *args;
	int timeout_ms = 120000, opt, r, status = 1;
	char err[1024];
	struct cfg *cfg;

	log_init("cabinetctl");
	while ((opt = getopt(argc, argv, "+c:t:h")) != -1) {
		switch (opt) {
		case 'c': path = optarg; break;
		case 't': timeout_ms = atoi(optarg); break;
		case 'h': ctl_usage(stdout); return 0;
		default: ctl_usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		ctl_usage(stderr);
		return 2;
	}
	for (const struct ctl_command *c = ctl_commands; c->name; c++)
		if (strcmp(c->name, argv[optind]) == 0)
			cmd = c;
	if (cmd == NULL || timeout_ms <= 0) {
		ctl_usage(stderr);
		return 2;
	}
	cfg = cfg_load(path, err, sizeof(err));
	if (cfg == NULL) {
		fprintf(stderr, "cabinetctl: %s\n", err);
		return 2;
	}

	argc -= optind + 1;
	argv += optind + 1;
	req = json_object_new_object();
	args = json_object_new_object();
	json_object_object_add(req, "args", args);
	op = cmd->op;
	if (cmd->op == NULL) { /* call OP [JSON] */
		const char *why;
		if (argc < 1 || argc > 2) {
			ctl_usage(stderr);
			status = 2;
			goto out;
		}
		op = argv[0];
		if (argc == 2) {
			json_object *parsed = jsonx_parse_object(argv[1], strlen(argv[1]), &why);
			if (parsed == NULL) {
				fprintf(stderr, "cabinetctl: JSON-ARGS: %s\n", why);
				status = 2;
				goto out;
			}
			json_object_object_add(req, "args", parsed);
		}
	} else if (cmd->build == NULL && argc > 0) {
		ctl_usage(stderr);
		status = 2;
		goto out;
	} else if (cmd->build && cmd->build(argc, argv, args) < 0) {
		status = 2;
		goto out;
	}
	jsonx_set_str(req, "op", op);

	core_client_init(&client, cfg->socket_path, (int)cfg->core_connect_timeout_ms);
	r = core_client_call(&client, req, NULL, 0, timeout_ms, &reply);
	if (r != CORE_OK) {
		fprintf(stderr, "cabinetctl: the core at %s is not reachable (%s)\n",
			cfg->socket_path, core_result_name(r));
		status = 3;
	} else {
		json_object *result = jsonx_get(reply.msg, "result");
		int64_t code = 0;
		jsonx_get_int64(reply.msg, "status", &code);
		if (result)
			printf("%s\n", json_object_to_json_string_ext(
					       result, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
		status = code >= 200 && code < 300 ? 0 : result ? 1 : ctl_print_error(reply.msg);
		core_reply_free(&reply);
	}
	core_client_free(&client);
out:
	json_object_put(req);
	cfg_free(cfg);
	return status;
}
