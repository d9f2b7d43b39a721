/*
 * fcgi_const - the floor of this architecture for the benchmark: a bare
 * FastCGI responder (libfcgi, the same prefork shape as cabinet-api) that
 * answers a constant JSON body without any core round trip.
 *
 *   fcgi_const SOCKET [PROCESSES]
 */
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char fcgi_const_reply[] =
	"Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
	"Cache-Control: no-store\r\nContent-Length: 87\r\n\r\n"
	"{\"core\":\"ok\",\"status\":\"ok\",\"db\":\"ok\",\"schema_version\":1,\"uptime_s\":1,\"version\":\"0.1.0\"}";

static void fcgi_const_serve(int fd)
{
	FCGX_Request req;

	FCGX_InitRequest(&req, fd, 0);
	while (FCGX_Accept_r(&req) >= 0) {
		FCGX_PutStr(fcgi_const_reply, (int)sizeof(fcgi_const_reply) - 1, req.out);
		FCGX_Finish_r(&req);
	}
	exit(0);
}

int main(int argc, char **argv)
{
	int fd, n = argc > 2 ? atoi(argv[2]) : 4;

	if (argc < 2) {
		fprintf(stderr, "usage: fcgi_const SOCKET [PROCESSES]\n");
		return 2;
	}
	FCGX_Init();
	unlink(argv[1]);
	fd = FCGX_OpenSocket(argv[1], 256);
	if (fd < 0 || chmod(argv[1], 0660) < 0)
		return 1;
	for (int i = 0; i < n; i++)
		if (fork() == 0)
			fcgi_const_serve(fd);
	signal(SIGTERM, SIG_DFL);
	while (wait(NULL) > 0)
		;
	return 0;
}
