/*
 * server.h - the core's main loop.
 *
 * One epoll thread owns the listening socket, every connection, the signals
 * (signalfd: SIGTERM/SIGINT stop, SIGHUP reloads cabinet.conf), the systemd
 * watchdog and the background-task timer (timerfd), and the completions of
 * the worker pool (eventfd). Workers never touch connections.
 */
#ifndef CABINET_SERVER_H
#define CABINET_SERVER_H

/* Serves until SIGTERM/SIGINT; returns the process exit status. The live
 * configuration must have been set with cfg_current_replace(). */
int server_run(void);

#endif
