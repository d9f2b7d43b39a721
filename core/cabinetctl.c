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
#include "buf.h"
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
	const char *name; /* one or two words: "health", "tenant create" */
	const char *op;
	/* builds args from the words after the name; NULL: no arguments */
	int (*build)(int argc, char **argv, json_object *args);
	const char *usage;
};

/* Positional arguments into named args: names[i] gets argv[i]; a name
 * starting with '?' is optional. */
static int ctl_positional(int argc, char **argv, json_object *args, const char *const *names)
{
	int i, required = 0, total = 0;

	for (; names[total]; total++)
		required += names[total][0] != '?';
	if (argc < required || argc > total)
		return -1;
	for (i = 0; i < argc; i++)
		jsonx_set_str(args, names[i] + (names[i][0] == '?'), argv[i]);
	return 0;
}

static int ctl_build_tenant_create(int argc, char **argv, json_object *args)
{
	static const char *const names[] = {"subdomain", "name",  "full_name",
	                                    "phone",     "email", NULL};
	json_object *resp = json_object_new_object();

	if (ctl_positional(argc, argv, args, names) < 0) {
		json_object_put(resp);
		return -1;
	}
	/* the responsible person, as the connection page sends it */
	for (int i = 2; i < 5; i++) {
		json_object_object_add(resp, names[i], json_object_get(jsonx_get(args, names[i])));
		json_object_object_del(args, names[i]);
	}
	json_object_object_add(args, "responsible", resp);
	return 0;
}

static int ctl_build_subdomain(int argc, char **argv, json_object *args)
{
	static const char *const names[] = {"subdomain", NULL};
	return ctl_positional(argc, argv, args, names);
}

static int ctl_build_note(int argc, char **argv, json_object *args)
{
	static const char *const names[] = {"?note", NULL};
	return ctl_positional(argc, argv, args, names);
}

/* user password SUBDOMAIN LOGIN: the password is read from stdin (one
 * line), never from the command line where ps would show it. */
static int ctl_build_user_password(int argc, char **argv, json_object *args)
{
	static const char *const names[] = {"subdomain", "login", NULL};
	char line[512];
	size_t n;

	if (ctl_positional(argc, argv, args, names) < 0)
		return -1;
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "password: ");
	if (fgets(line, sizeof(line), stdin) == NULL) {
		fprintf(stderr, "cabinetctl: no password on stdin\n");
		return -1;
	}
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	jsonx_set_str(args, "password", line);
	memset(line, 0, sizeof(line));
	return 0;
}

/* payroll preview FILE: the scenario (a JSON object) from FILE or, for "-",
 * stdin, becomes the operation's args. */
static int ctl_build_preview(int argc, char **argv, json_object *args)
{
	FILE *f;
	struct buf text = BUF_INIT;
	char chunk[4096];
	size_t n;
	const char *why;
	json_object *scenario;

	if (argc != 1)
		return -1;
	f = strcmp(argv[0], "-") == 0 ? stdin : fopen(argv[0], "r");
	if (f == NULL) {
		fprintf(stderr, "cabinetctl: %s: %s\n", argv[0], strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&text, chunk, n);
	if (f != stdin)
		fclose(f);
	scenario = jsonx_parse_object(text.data ? text.data : "", text.len, &why);
	buf_free(&text);
	if (scenario == NULL) {
		fprintf(stderr, "cabinetctl: %s: not a JSON object (%s)\n", argv[0], why);
		return -1;
	}
	json_object_object_foreach(scenario, key, val)
	    json_object_object_add(args, key, json_object_get(val));
	json_object_put(scenario);
	return 0;
}

static const struct ctl_command ctl_commands[] = {
    {"health", "system.health", NULL, "health                  core and database status"},
    {"version", "system.version", NULL,
     "version                 versions of the core and protocol"},
    {"tenant create", "tenants.create", ctl_build_tenant_create,
     "tenant create SUBDOMAIN NAME FULL_NAME PHONE EMAIL\n"
     "                          connect an organization at once (the responsible person\n"
     "                          activates it with a code sent to PHONE or EMAIL)"},
    {"tenant list", "tenants.list", NULL, "tenant list             all organizations"},
    {"tenant disable", "tenants.disable", ctl_build_subdomain,
     "tenant disable SUBDOMAIN  switch an organization's cabinet off"},
    {"tenant enable", "tenants.enable", ctl_build_subdomain,
     "tenant enable SUBDOMAIN   switch it on again"},
    {"connect-token", "tenants.issue_token", ctl_build_note,
     "connect-token [NOTE]    a one-time token for the connection page (connect_policy = token)"},
    {"user password", "users.set_password", ctl_build_user_password,
     "user password SUBDOMAIN LOGIN\n"
     "                          set a user's password (read from stdin) and activate the cabinet"},
    {"payroll preview", "payroll.preview_operator", ctl_build_preview,
     "payroll preview FILE    compute a what-if payroll scenario (JSON, - for stdin)\n"
     "                          and print the result (shared/reference/payroll.md)"},
    {"call", NULL, NULL, "call OP [JSON-ARGS]     run any operation"},
    {NULL, NULL, NULL, NULL},
};

/* The command named by the first one or two words; *used gets how many. */
static const struct ctl_command *ctl_find(int argc, char **argv, int *used)
{
	for (const struct ctl_command *c = ctl_commands; c->name; c++) {
		const char *space = strchr(c->name, ' ');
		if (space == NULL && strcmp(c->name, argv[0]) == 0) {
			*used = 1;
			return c;
		}
		if (space && argc >= 2 && strlen(argv[0]) == (size_t)(space - c->name) &&
		    strncmp(c->name, argv[0], (size_t)(space - c->name)) == 0 &&
		    strcmp(space + 1, argv[1]) == 0) {
			*used = 2;
			return c;
		}
	}
	return NULL;
}

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
	int timeout_ms = 120000, opt, r, status = 1, used = 0;
	char err[1024];
	struct cfg *cfg;

	log_init("cabinetctl");
	while ((opt = getopt(argc, argv, "+c:t:h")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 't':
			timeout_ms = atoi(optarg);
			break;
		case 'h':
			ctl_usage(stdout);
			return 0;
		default:
			ctl_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		ctl_usage(stderr);
		return 2;
	}
	cmd = ctl_find(argc - optind, argv + optind, &used);
	if (cmd == NULL || timeout_ms <= 0) {
		ctl_usage(stderr);
		return 2;
	}
	cfg = cfg_load(path, err, sizeof(err));
	if (cfg == NULL) {
		fprintf(stderr, "cabinetctl: %s\n", err);
		return 2;
	}

	argc -= optind + used;
	argv += optind + used;
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
		fprintf(stderr, "usage: cabinetctl %s\n", cmd->usage);
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
			printf("%s\n",
			       json_object_to_json_string_ext(
			           result, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
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
