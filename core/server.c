#include "server.h"

#include "cfg.h"
#include "conn.h"
#include "log.h"
#include "monotime.h"
#include "proto.h"
#include "tasks.h"
#include "worker.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#define SERVER_READ_CHUNK 65536
#define SERVER_TICK_MS	  1000

/* epoll data points at one of these or at a struct conn (kind 1) */
struct watch {
	int kind;
};
enum { WATCH_CONN = 1, WATCH_LISTEN, WATCH_SIGNAL, WATCH_DONE, WATCH_WATCHDOG, WATCH_TICK };

struct server {
	int epfd;
	int listen_fd, signal_fd, done_fd, watchdog_fd, tick_fd;
	struct watch w_listen, w_signal, w_done, w_watchdog, w_tick;
	char *socket_path;
	struct pool *pool;
	struct conn *conns;
	pthread_mutex_t done_lock;
	struct job *done;
	int stopping;
	int64_t stop_deadline;
	int tasks_running;
};


static int server_watch(struct server *s, int fd, uint32_t events, void *data, int op)
{
	struct epoll_event ev = {.events = events, .data.ptr = data};

	return epoll_ctl(s->epfd, op, fd, &ev);
}

/* Called by worker threads. */
static void server_job_done(struct job *job, void *arg)
{
	struct server *s = arg;
	uint64_t one = 1;

	pthread_mutex_lock(&s->done_lock);
	job->next = s->done;
	s->done = job;
	pthread_mutex_unlock(&s->done_lock);
	if (write(s->done_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_error("eventfd_write_failed", "errno=%d", errno);
}

static int server_listen(struct server *s, const struct cfg *cfg)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(cfg->socket_path) >= sizeof(addr.sun_path)) {
		log_error("listen_failed", "reason=path_too_long path=%s", cfg->socket_path);
		return -1;
	}
	strcpy(addr.sun_path, cfg->socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/* a socket file left by a crashed core is removed; a live one is not */
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
		log_error("listen_failed", "reason=another_cabinetd_is_listening path=%s",
			  cfg->socket_path);
		close(fd);
		return -1;
	}
	close(fd);
	unlink(cfg->socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    chmod(cfg->socket_path, (mode_t)cfg->socket_mode) < 0 || listen(fd, 256) < 0) {
		log_error("listen_failed", "path=%s errno=%d", cfg->socket_path, errno);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	s->listen_fd = fd;
	s->socket_path = strdup(cfg->socket_path);
	return 0;
}

static void server_close_conn(struct server *s, struct conn *c)
{
	if (c->state == CONN_BUSY) {
		/* a worker still holds it: free it when the job comes back */
		c->hangup = 1;
		epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
		return;
	}
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	conn_free(c);
}

static void server_accept(struct server *s)
{
	for (;;) {
		struct ucred cred;
		socklen_t len = sizeof(cred);
		const struct cfg *cfg;
		struct conn *c;
		int allowed, operator;
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("accept_failed", "errno=%d", errno);
			return;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
			close(fd);
			continue;
		}
		cfg = cfg_current_acquire();
		operator = cred.uid == 0 || cfg_uid_in(&cfg->operator_uids, cred.uid);
		allowed = operator || cred.uid == geteuid() || cfg_uid_in(&cfg->peer_uids, cred.uid);
		cfg_current_release(cfg);
		if (!allowed) {
			log_warn("peer_refused", "uid=%u pid=%d", (unsigned)cred.uid, (int)cred.pid);
			close(fd);
			continue;
		}
		c = conn_new(fd, cred.uid, operator);
		c->next = s->conns;
		if (s->conns)
			s->conns->prev = c;
		s->conns = c;
		server_watch(s, fd, EPOLLIN | EPOLLRDHUP, c, EPOLL_CTL_ADD);
		log_debug("peer_connected", "fd=%d uid=%u operator=%d", fd, (unsigned)cred.uid,
			  operator);
	}
}

/* Writes what it can of c->out; returns -1 when the connection must go. */
static int server_flush(struct server *s, struct conn *c)
{
	while (c->out.len) {
		ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);
		if (n > 0) {
			buf_consume(&c->out, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			server_watch(s, c->fd, EPOLLOUT | EPOLLRDHUP, c, EPOLL_CTL_MOD);
			return 0;
		}
		return -1;
	}
	if (c->close_after_write || s->stopping)
		return -1;
	c->state = CONN_READING;
	server_watch(s, c->fd, EPOLLIN | EPOLLRDHUP, c, EPOLL_CTL_MOD);
	return 0;
}

/* Turns buffered input into a job if a request is complete. */
static void server_process_input(struct server *s, struct conn *c)
{
	const struct cfg *cfg = cfg_current_acquire();
	struct job *job = NULL;
	int r = conn_take_request(c, cfg, &job);

	cfg_current_release(cfg);
	switch (r) {
	case CONN_JOB_READY:
		c->state = CONN_BUSY;
		/* keep hearing about a hang-up, not about more input */
		server_watch(s, c->fd, EPOLLRDHUP, c, EPOLL_CTL_MOD);
		pool_submit(s->pool, job);
		break;
	case CONN_REPLY_CLOSE:
		c->close_after_write = 1;
		c->state = CONN_WRITING;
		if (server_flush(s, c) < 0)
			server_close_conn(s, c);
		break;
	case CONN_CLOSE:
		server_close_conn(s, c);
		break;
	default:
		break;
	}
}

static void server_read(struct server *s, struct conn *c)
{
	for (;;) {
		ssize_t n;
		buf_reserve(&c->in, SERVER_READ_CHUNK);
		n = recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len - 1, 0);
		if (n > 0) {
			c->in.len += (size_t)n;
			c->in.data[c->in.len] = '\0';
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		/* EOF or error: whatever was buffered is an incomplete frame */
		server_close_conn(s, c);
		return;
	}
	server_process_input(s, c);
}

static void server_conn_event(struct server *s, struct conn *c, uint32_t events)
{
	if (c->state == CONN_BUSY) {
		if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
			server_close_conn(s, c);
		return;
	}
	if (c->state == CONN_WRITING) {
		if ((events & (EPOLLHUP | EPOLLERR)) || server_flush(s, c) < 0)
			server_close_conn(s, c);
		return;
	}
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		server_read(s, c);
}

/* Starts every background task that is due or was kicked. */
static void server_start_tasks(struct server *s)
{
	struct job *job;

	while (!s->stopping && (job = tasks_due(monotime_ms())) != NULL) {
		s->tasks_running++;
		pool_submit(s->pool, job);
	}
}

static void server_jobs_done(struct server *s)
{
	uint64_t n;
	struct job *list, *job;

	if (read(s->done_fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&s->done_lock);
	list = s->done;
	s->done = NULL;
	pthread_mutex_unlock(&s->done_lock);
	while ((job = list) != NULL) {
		struct conn *c = job->conn;
		list = job->next;
		if (c == NULL) {
			s->tasks_running--;
			tasks_finished(job->task_arg);
		} else if (c->hangup) {
			c->state = CONN_READING;
			server_close_conn(s, c);
		} else {
			buf_append(&c->out, job->reply.data, job->reply.len);
			c->state = CONN_WRITING;
			if (server_flush(s, c) < 0)
				server_close_conn(s, c);
			else if (c->state == CONN_READING && c->in.len)
				server_process_input(s, c); /* a request already waiting */
		}
		job_free(job);
	}
	/* a request or task that queued work for a task (tasks_kick: a code's
	 * SMS, a new cabinet's email) has it started now, not at the next tick */
	server_start_tasks(s);
}

static void server_reload(void)
{
	const struct cfg *old = cfg_current_acquire();
	char err[512];
	struct cfg *next;
	const char *blocker;

	sd_notify(0, "RELOADING=1");
	next = cfg_load(old->path, err, sizeof(err));
	if (next == NULL) {
		{
		char q[600];
		log_error("reload_failed", "reason=%s keeping=old", log_quote(err, q, sizeof(q)));
		}
	} else if ((blocker = cfg_reload_blocker(old, next)) != NULL) {
		log_error("reload_failed", "reason=restart_needed key=%s keeping=old", blocker);
		cfg_free(next);
	} else {
		log_set_level((enum log_level)next->log_level);
		cfg_current_replace(next);
		log_info("reloaded", "path=%s", old->path);
	}
	cfg_current_release(old);
	sd_notify(0, "READY=1");
}

static void server_begin_stop(struct server *s)
{
	const struct cfg *cfg = cfg_current_acquire();
	struct conn *c, *next;

	s->stopping = 1;
	s->stop_deadline = monotime_ms() + cfg->shutdown_timeout_ms;
	cfg_current_release(cfg);
	sd_notify(0, "STOPPING=1");
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, s->listen_fd, NULL);
	close(s->listen_fd);
	s->listen_fd = -1;
	unlink(s->socket_path);
	/* idle connections go now; busy ones after their reply is written */
	for (c = s->conns; c; c = next) {
		next = c->next;
		if (c->state == CONN_READING)
			server_close_conn(s, c);
	}
}

static void server_signal(struct server *s)
{
	struct signalfd_siginfo si;

	while (read(s->signal_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			server_reload();
		else if (!s->stopping)
			server_begin_stop(s);
	}
}

static void server_tick(struct server *s)
{
	uint64_t n;

	if (read(s->tick_fd, &n, sizeof(n)) < 0 || s->stopping)
		return;
	server_start_tasks(s);
}

static int server_timerfd(int64_t interval_ms)
{
	struct itimerspec its = {
		.it_interval = {interval_ms / 1000, (interval_ms % 1000) * 1000000},
		.it_value = {interval_ms / 1000, (interval_ms % 1000) * 1000000},
	};
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);

	if (fd >= 0)
		timerfd_settime(fd, 0, &its, NULL);
	return fd;
}

static int server_busy(const struct server *s)
{
	for (const struct conn *c = s->conns; c; c = c->next)
		if (c->state != CONN_READING)
			return 1;
	return s->tasks_running > 0;
}

int server_run(void)
{
	struct server s = {.listen_fd = -1, .signal_fd = -1, .done_fd = -1, .watchdog_fd = -1,
			   .tick_fd = -1};
	const struct cfg *cfg = cfg_current_acquire();
	uint64_t watchdog_usec = 0;
	sigset_t mask;
	int status = 1;

	pthread_mutex_init(&s.done_lock, NULL);
	s.w_listen.kind = WATCH_LISTEN;
	s.w_signal.kind = WATCH_SIGNAL;
	s.w_done.kind = WATCH_DONE;
	s.w_watchdog.kind = WATCH_WATCHDOG;
	s.w_tick.kind = WATCH_TICK;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &mask, NULL); /* before the workers start: they inherit it */
	signal(SIGPIPE, SIG_IGN);

	s.epfd = epoll_create1(EPOLL_CLOEXEC);
	s.signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	s.done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	s.tick_fd = server_timerfd(SERVER_TICK_MS);
	if (s.epfd < 0 || s.signal_fd < 0 || s.done_fd < 0 || s.tick_fd < 0)
		goto out;
	if (server_listen(&s, cfg) < 0)
		goto out;
	s.pool = pool_start((int)cfg->workers, cfg->db_conninfo, server_job_done, &s);
	if (s.pool == NULL)
		goto out;
	server_watch(&s, s.listen_fd, EPOLLIN, &s.w_listen, EPOLL_CTL_ADD);
	server_watch(&s, s.signal_fd, EPOLLIN, &s.w_signal, EPOLL_CTL_ADD);
	server_watch(&s, s.done_fd, EPOLLIN, &s.w_done, EPOLL_CTL_ADD);
	server_watch(&s, s.tick_fd, EPOLLIN, &s.w_tick, EPOLL_CTL_ADD);
	if (sd_watchdog_enabled(0, &watchdog_usec) > 0 && watchdog_usec > 0) {
		s.watchdog_fd = server_timerfd((int64_t)(watchdog_usec / 2000) + 1);
		server_watch(&s, s.watchdog_fd, EPOLLIN, &s.w_watchdog, EPOLL_CTL_ADD);
	}
	log_info("listening", "socket=%s workers=%ld watchdog_ms=%llu", cfg->socket_path,
		 cfg->workers, (unsigned long long)(watchdog_usec / 1000));
	sd_notifyf(0, "READY=1\nSTATUS=serving on %s\nMAINPID=%d", cfg->socket_path,
		   (int)getpid());
	cfg_current_release(cfg);
	cfg = NULL;

	for (;;) {
		struct epoll_event evs[64];
		int timeout = -1, n;

		if (s.stopping) {
			int64_t left = s.stop_deadline - monotime_ms();
			if (!server_busy(&s))
				break;
			if (left <= 0) {
				log_error("stop_timeout", "action=exit_with_requests_in_flight");
				/* workers are still inside requests: leave without joining */
				_exit(1);
			}
			timeout = (int)left;
		}
		n = epoll_wait(s.epfd, evs, 64, timeout);
		if (n < 0 && errno != EINTR) {
			log_error("epoll_failed", "errno=%d", errno);
			goto out;
		}
		for (int i = 0; i < n; i++) {
			struct watch *w = evs[i].data.ptr;
			uint64_t ticks;
			switch (w->kind) {
			case WATCH_CONN: server_conn_event(&s, (struct conn *)w, evs[i].events); break;
			case WATCH_LISTEN: server_accept(&s); break;
			case WATCH_SIGNAL: server_signal(&s); break;
			case WATCH_DONE: server_jobs_done(&s); break;
			case WATCH_TICK: server_tick(&s); break;
			case WATCH_WATCHDOG:
				if (read(s.watchdog_fd, &ticks, sizeof(ticks)) > 0)
					sd_notify(0, "WATCHDOG=1");
				break;
			}
		}
	}
	log_info("stopped", "reason=signal");
	status = 0;
out:
	if (cfg)
		cfg_current_release(cfg);
	pool_stop(s.pool); /* every job has come back to the done list now */
	while (s.done) {
		struct job *job = s.done;
		s.done = job->next;
		job_free(job);
	}
	for (struct conn *c = s.conns; c; c = c->next)
		c->state = CONN_READING;
	while (s.conns)
		server_close_conn(&s, s.conns);
	if (s.listen_fd >= 0) {
		close(s.listen_fd);
		unlink(s.socket_path);
	}
	free(s.socket_path);
	for (int fd, i = 0; i < 5; i++) {
		fd = (int[]){s.epfd, s.signal_fd, s.done_fd, s.watchdog_fd, s.tick_fd}[i];
		if (fd >= 0)
			close(fd);
	}
	pthread_mutex_destroy(&s.done_lock);
	return status;
}
