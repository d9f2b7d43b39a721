/*
 * cabinetd - the employee cabinet's core daemon.
 *
 *   cabinetd [-c FILE] [-v] [-t] [run|migrate]
 *
 * run (default) serves the core socket until SIGTERM; migrate applies the
 * SQL migrations and exits; -t checks the configuration and exits.
 */
#include "cfg.h"
#include "dispatch.h"
#include "log.h"
#include "migrate.h"
#include "outbox.h"
#include "paycache.h"
#include "pdf.h"
#include "server.h"
#include "sesscache.h"

#include <json-c/json.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void system_mark_started(void);

static void usage(FILE *out)
{
	fprintf(out, "usage: cabinetd [-c FILE] [-v] [-t] [run|migrate]\n"
	             "  -c FILE  configuration (default /etc/cabinet/cabinet.conf)\n"
	             "  -v       debug logging\n"
	             "  -t       check the configuration and exit\n"
	             "  run      serve the core socket (default)\n"
	             "  migrate  apply the SQL migrations of sql_dir and exit\n");
}

int main(int argc, char **argv)
{
	const char *path = "/etc/cabinet/cabinet.conf", *command = "run";
	int verbose = 0, check_only = 0, opt, status;
	char err[1024], quoted[1100];
	struct cfg *cfg;

	log_init("cabinetd");
	/* Blocks of 512 KiB and more (uploaded files, frame buffers, large
	 * JSON texts) are mapped on their own and given back when freed. glibc
	 * would otherwise raise this threshold to the size of the first such
	 * block freed and keep later ones on its heaps (tests/bench/README.md,
	 * memory). */
	mallopt(M_MMAP_THRESHOLD, 512 * 1024);
	/* A worker's heap keeps up to this much free memory at its top
	 * instead of handing it back at every free that leaves more than
	 * glibc's 128 KiB: a list of 100 tasks left about that much, and each
	 * hand-back (madvise) flushed the TLB of every core running cabinetd's
	 * threads, then the next request faulted the pages in again - a
	 * quarter of cabinetd's CPU in the task list's benchmark (perf). Big
	 * jobs still give everything back (malloc_trim in worker.c). */
	mallopt(M_TRIM_THRESHOLD, 2 * 1024 * 1024);
	while ((opt = getopt(argc, argv, "c:vth")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 't':
			check_only = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc)
		command = argv[optind++];
	if (optind < argc || (strcmp(command, "run") != 0 && strcmp(command, "migrate") != 0)) {
		usage(stderr);
		return 2;
	}
	cfg = cfg_load(path, err, sizeof(err));
	if (cfg == NULL) {
		log_error("config_invalid", "error=%s", log_quote(err, quoted, sizeof(quoted)));
		return 1;
	}
	log_set_level(verbose ? LOG_DEBUG : (enum log_level)cfg->log_level);
	if (check_only) {
		printf("%s: ok\n", path);
		cfg_free(cfg);
		return 0;
	}
	if (strcmp(command, "migrate") == 0) {
		status = migrate_run(cfg) == 0 ? 0 : 1;
		cfg_free(cfg);
		return status;
	}
	if (dispatch_init() < 0 || outbox_init() < 0) {
		cfg_free(cfg);
		return 1;
	}
	cfg_current_replace(cfg);
	system_mark_started();
	log_info("starting", "version=%s config=%s", CABINET_VERSION, path);
	status = server_run();
	cfg_current_replace(NULL); /* frees it: sanitizer builds see no leak */
	outbox_cleanup();
	pdf_cleanup();
	sesscache_free();
	paycache_free();
	return status;
}
