/* The monitor's state, shared by monitor.c (its own process) and delegate.c (another runtime's). */
#ifndef BERTH_MONITOR_H
#define BERTH_MONITOR_H

#include "berth-init.h"

#define MAX_CLIENTS 64
#define LINE_MAX_LOG 16384

struct client {
	int fd;
	int dead;
	int control; /* sent start (gets its result) or watch: no output */
	unsigned char header[8];
	unsigned header_got;
	unsigned char *payload;
	uint32_t length, got;
};

struct monitor {
	pid_t child;
	int sync_fd, out_fd, err_fd, in_fd, tty_fd, log_fd, listen_fd, signal_fd;
	int go_sent, exec_failed, started, exited, status;
	struct client clients[MAX_CLIENTS];
	int nclients;
	int start_waiter; /* the client waiting for the result of start, or -1 */
	/* Stdin the process has not read yet. Meanwhile no client is read, so a client that writes faster than the
	 * process reads waits on its socket, and the monitor keeps serving output (no deadlock on big input). */
	unsigned char *pending;
	uint32_t pending_len, pending_off;
	char line[2][LINE_MAX_LOG];
	size_t line_len[2];
	/* DELEGATE: the command run on start and the one running now (0: none), where its errors come from, the
	 * process's ends of its stdio pipes until a command took them, console.sock while a terminal is awaited, and
	 * a child reaped just before the command that made it had ended (then it may turn out to be the process). */
	struct line *terminal, *start_command;
	int delegated_exec, command_err, proc_in, proc_out, proc_err, console_fd;
	pid_t command, early_pid;
	int early_status;
};

/* monitor.c */
void answer_start(struct monitor *m, const char *error);
void mark_started(struct monitor *m);
void child_ended(struct monitor *m, int status);
int listen_on(const char *name, int flags);

/* delegate.c */
void begin_command(struct monitor *m, struct line *command, int makes_process);
void command_ended(struct monitor *m, int status);
void create_delegated(struct plan *plan, struct monitor *m);

#endif
