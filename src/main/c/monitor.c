/*
 * The MONITOR: berth-init create and exec fork it (setsid, stdio on /dev/null) and it outlives the caller. It forks
 * the process (in the new pid namespace it is PID 1), which sets everything up, resolves the program, reports
 * "ready" and waits for "go" (a start from an attach client) before switching user and capabilities and exec'ing.
 * The command itself prints the process's host pid once it is ready and exits 0, or prints the error (naming the
 * failing step and errno) on stderr and exits 1; warnings go to stderr as "warning: <text>".
 *
 * The monitor keeps in its state dir: pid (the process's host pid), monitor.pid, started (startedAt=<time>),
 * exit (exitCode=<n> and finishedAt=<time>, written atomically once the output is drained), container.log
 * (create mode: Docker's json-file lines) and attach.sock, served to any number of clients with frames of
 * 8 bytes header (type, three zero bytes, 32-bit big-endian length) and the payload:
 *   monitor -> client: 6 hello (on connect), 1 stdout, 2 stderr (TTY output is all 1),
 *                      5 result of start (empty: started; else the error); EOF once the output has ended
 *   client -> monitor: 0 stdin data, 3 close stdin, 4 resize (rows, columns: 16-bit big-endian each),
 *                      5 start (the connection then receives no output, only the result),
 *                      7 watch (the connection then receives nothing: its EOF tells that the monitor ended)
 */
#include "monitor.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>

static void read_sync(struct monitor *m);

static void log_entry(struct monitor *m, int stream, const char *data, size_t len)
{
	static char json[LINE_MAX_LOG * 6 + 128];
	char time[64];
	size_t n = 0;
	if (m->log_fd < 0)
		return;
	now_rfc3339(time, sizeof time);
	n += sprintf(json, "{\"log\":\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = data[i];
		if (c == '"' || c == '\\') {
			json[n++] = '\\';
			json[n++] = c;
		} else if (c == '\n') {
			n += sprintf(json + n, "\\n");
		} else if (c == '\r') {
			n += sprintf(json + n, "\\r");
		} else if (c == '\t') {
			n += sprintf(json + n, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			n += sprintf(json + n, "\\u%04x", c);
		} else {
			json[n++] = c;
		}
	}
	n += sprintf(json + n, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n", stream == 1 ? "stdout" : "stderr", time);
	if (write(m->log_fd, json, n) < 0) { /* a full disk must not stop the container */ }
}

/* Splits output into log lines as Docker's json-file driver does: at newlines, or when a line grows too long. */
static void log_output(struct monitor *m, int stream, const char *data, size_t len)
{
	char *line = m->line[stream - 1];
	size_t *have = &m->line_len[stream - 1];
	for (size_t i = 0; i < len; i++) {
		line[(*have)++] = data[i];
		if (data[i] == '\n' || *have == LINE_MAX_LOG) {
			log_entry(m, stream, line, *have);
			*have = 0;
		}
	}
}

/* Clients are only marked here; compact() removes them once no loop walks the array. */
static void drop_client(struct monitor *m, int index)
{
	m->clients[index].dead = 1;
	if (m->start_waiter == index)
		m->start_waiter = -1;
}

static void compact(struct monitor *m)
{
	int kept = 0;
	for (int i = 0; i < m->nclients; i++) {
		if (m->clients[i].dead) {
			close(m->clients[i].fd);
			free(m->clients[i].payload);
			continue;
		}
		if (m->start_waiter == i)
			m->start_waiter = kept;
		m->clients[kept++] = m->clients[i];
	}
	m->nclients = kept;
}

int send_frame(int fd, int type, const void *data, uint32_t len)
{
	unsigned char header[8] = {type, 0, 0, 0, len >> 24, len >> 16, len >> 8, len};
	struct iovec iov[2] = {{header, 8}, {(void *)data, len}};
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
	return sendmsg(fd, &msg, MSG_NOSIGNAL) == (ssize_t)(8 + len) ? 0 : -1;
}

static void output(struct monitor *m, int stream, const char *data, size_t len)
{
	log_output(m, stream, data, len);
	for (int i = 0; i < m->nclients; i++)
		if (!m->clients[i].control && !m->clients[i].dead && send_frame(m->clients[i].fd, stream, data, len) < 0)
			drop_client(m, i); /* gone, or too slow to keep up with */
}

static void write_stdin(struct monitor *m)
{
	while (m->pending_off < m->pending_len) {
		ssize_t n = write(m->in_fd, m->pending + m->pending_off, m->pending_len - m->pending_off);
		if (n < 0 && errno == EAGAIN)
			return; /* poll says when the process read some */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) { /* EPIPE: the process closed its stdin; what is left goes nowhere */
			if (m->tty_fd < 0) {
				close(m->in_fd);
				m->in_fd = -1;
			}
			break;
		}
		m->pending_off += n;
	}
	free(m->pending);
	m->pending = NULL;
}

/* Tells the client that asked for the start how it went: error is NULL, or a failure as berth-init.h says. */
void answer_start(struct monitor *m, const char *error)
{
	if (m->start_waiter >= 0) {
		send_frame(m->clients[m->start_waiter].fd, 5, error, error ? strlen(error) : 0);
		m->start_waiter = -1;
	}
}

static void handle_frame(struct monitor *m, int index)
{
	struct client *c = &m->clients[index];
	switch (c->header[0]) {
	case 0: /* stdin data */
		if (m->in_fd >= 0) {
			m->pending = c->payload; /* handed over: freed once written */
			m->pending_len = c->length;
			m->pending_off = 0;
			c->payload = NULL;
			write_stdin(m);
		}
		break;
	case 3: /* stdin closed: EOF for a pipe; for a terminal the EOF character, as typed */
		if (m->tty_fd >= 0) {
			if (write(m->tty_fd, "\x04", 1) < 0) { /* the terminal is gone */ }
		} else if (m->in_fd >= 0) {
			close(m->in_fd);
			m->in_fd = -1;
		}
		break;
	case 4: /* resize */
		if (m->tty_fd >= 0 && c->length == 4) {
			struct winsize size = {.ws_row = c->payload[0] << 8 | c->payload[1],
					       .ws_col = c->payload[2] << 8 | c->payload[3]};
			ioctl(m->tty_fd, TIOCSWINSZ, &size);
		}
		break;
	case 5: /* start */
		c->control = 1;
		if (m->started || m->exited) {
			const char *ended = m->exited ? "monitor - the process has ended" : NULL;
			send_frame(c->fd, 5, ended, ended ? strlen(ended) : 0);
		} else if (!m->go_sent) {
			m->start_waiter = index;
			m->go_sent = 1;
			if (m->start_command)
				begin_command(m, m->start_command, m->delegated_exec);
			else if (m->sync_fd < 0 || send_message(m->sync_fd, 'G', NULL, -1) < 0)
				answer_start(m, "monitor - the process has ended");
		}
		break;
	case 7: /* watch: no output; the connection's EOF says the monitor ended, its exit file written */
		c->control = 1;
		break;
	}
}

/* Reads what a client sent; whole frames are handled. Returns -1 when the client is gone. */
static int read_client(struct monitor *m, int index)
{
	struct client *c = &m->clients[index];
	ssize_t n;
	if (c->header_got < 8) {
		n = read(c->fd, c->header + c->header_got, 8 - c->header_got);
		if (n <= 0)
			return -1;
		if ((c->header_got += n) < 8)
			return 0;
		c->length = (uint32_t)c->header[4] << 24 | c->header[5] << 16 | c->header[6] << 8 | c->header[7];
		if (c->length > (1 << 20))
			return -1;
		c->payload = xmalloc(c->length);
		c->got = 0;
	} else {
		n = read(c->fd, c->payload + c->got, c->length - c->got);
		if (n <= 0)
			return -1;
		c->got += n;
	}
	if (c->got == c->length) {
		handle_frame(m, index);
		free(c->payload);
		c->payload = NULL;
		c->header_got = 0;
	}
	return 0;
}

static void accept_client(struct monitor *m)
{
	int fd = accept4(m->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	struct timeval timeout = {2, 0};
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
	if (m->nclients == MAX_CLIENTS || send_frame(fd, 6, NULL, 0) < 0) {
		close(fd);
		return;
	}
	m->clients[m->nclients++] = (struct client){.fd = fd};
}

void command_ended(struct monitor *m, int status);

void child_ended(struct monitor *m, int status)
{
	/* What it said before it ended comes first: an exec error, or EOF for an exec that worked. */
	while (m->go_sent && m->sync_fd >= 0)
		read_sync(m);
	m->exited = 1;
	m->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (!m->command) /* else the delegated start answers: the process may have ended before it did */
		answer_start(m, "monitor - the process ended before it started");
}

static void reap(struct monitor *m)
{
	struct signalfd_siginfo info;
	while (read(m->signal_fd, &info, sizeof info) > 0) {
	}
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == m->command) {
			command_ended(m, status);
		} else if (pid == m->child) {
			child_ended(m, status);
		} else if (m->command) {
			/* Orphans come to us as their parent exits, before it is a zombie itself: this may be the process
			 * a delegated exec made and that ended at once, reaped an instant before the command. */
			m->early_pid = pid;
			m->early_status = status;
		}
	}
}

void mark_started(struct monitor *m)
{
	char content[96], time[64];
	now_rfc3339(time, sizeof time);
	snprintf(content, sizeof content, "startedAt=%s\n", time);
	write_atomically("started", content);
	m->started = 1;
	answer_start(m, NULL);
}

/* After go: EOF on the sync socket means the exec succeeded (the socket is close-on-exec). */
static void read_sync(struct monitor *m)
{
	char buf[4200];
	ssize_t n = receive_message(m->sync_fd, buf, sizeof buf, NULL);
	if (n > 0 && buf[0] == 'E') {
		m->exec_failed = 1;
		answer_start(m, buf + 2);
		return;
	}
	if (n > 0)
		return;
	close(m->sync_fd);
	m->sync_fd = -1;
	if (m->go_sent && !m->exited && !m->exec_failed)
		mark_started(m);
}

static void read_output(struct monitor *m, int *fd, int stream)
{
	char buf[32768];
	ssize_t n = read(*fd, buf, sizeof buf);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) { /* EOF, or EIO once the pty has no process left */
		close(*fd);
		*fd = -1;
		if (fd == &m->tty_fd)
			m->in_fd = -1;
		if (m->line_len[stream - 1]) {
			log_entry(m, stream, m->line[stream - 1], m->line_len[stream - 1]);
			m->line_len[stream - 1] = 0;
		}
		return;
	}
	output(m, stream, buf, n);
}

__attribute__((noreturn)) static void serve(struct monitor *m)
{
	struct pollfd fds[7 + MAX_CLIENTS];
	int drain_ms = -1;
	for (;;) {
		int n = 0;
		int out = m->tty_fd >= 0 ? m->tty_fd : m->out_fd;
		if (m->exited && !m->command && ((out < 0 && m->err_fd < 0) || drain_ms == 0))
			break;
		fds[n++] = (struct pollfd){m->signal_fd, POLLIN, 0};
		fds[n++] = (struct pollfd){m->listen_fd, POLLIN, 0};
		fds[n++] = (struct pollfd){m->sync_fd, POLLIN, 0};
		fds[n++] = (struct pollfd){out, POLLIN, 0};
		fds[n++] = (struct pollfd){m->command && m->command_err == m->err_fd ? -1 : m->err_fd, POLLIN, 0};
		fds[n++] = (struct pollfd){m->pending ? m->in_fd : -1, POLLOUT, 0};
		for (int i = 0; i < m->nclients; i++)
			fds[n++] = (struct pollfd){m->pending ? -1 : m->clients[i].fd, POLLIN, 0};
		/* Once the process ended, what is left in the pipes is drained; a second without output ends that. */
		int ready = poll(fds, n, m->exited ? 1000 : -1);
		if (ready < 0 && errno != EINTR)
			DIE("poll");
		if (ready == 0) {
			drain_ms = 0;
			continue;
		}
		if (ready < 0)
			continue;
		if (fds[0].revents)
			reap(m);
		if (fds[1].revents)
			accept_client(m);
		if (fds[2].revents && m->sync_fd >= 0)
			read_sync(m);
		if (fds[3].revents && out >= 0)
			read_output(m, m->tty_fd >= 0 ? &m->tty_fd : &m->out_fd, 1);
		if (fds[4].revents && m->err_fd >= 0)
			read_output(m, &m->err_fd, 2);
		if (fds[5].revents && m->pending)
			write_stdin(m);
		for (int i = 0; i < n - 6; i++) { /* the clients polled; one accepted just now waits for the next round */
			short events = fds[6 + i].revents;
			if (m->clients[i].dead || !events)
				continue;
			if (!(events & POLLIN) || read_client(m, i) < 0)
				drop_client(m, i); /* hung up (or an error) */
		}
		compact(m);
	}
	char content[128], time[64];
	now_rfc3339(time, sizeof time);
	snprintf(content, sizeof content, "exitCode=%d\nfinishedAt=%s\n", m->status, time);
	write_atomically("exit", content);
	unlink("attach.sock");
	unlink("console.sock");
	_exit(0);
}

/* A unix socket named name in the state dir (our cwd), only for root; flags: SOCK_NONBLOCK or 0. */
int listen_on(const char *name, int flags)
{
	struct sockaddr_un address = {.sun_family = AF_UNIX};
	snprintf(address.sun_path, sizeof address.sun_path, "%s", name);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
	if (fd < 0)
		DIE("socket");
	unlink(name);
	if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0)
		DIE("bind %s", name);
	if (chmod(name, 0600) < 0 || listen(fd, 16) < 0)
		DIE("listen on %s", name);
	return fd;
}

/* Native: forks the process, which sets itself up (container_init, exec_init) and says when it is ready. */
static void fork_process(struct plan *plan, struct monitor *m, pid_t container)
{
	int sync[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sync) < 0)
		DIE("socketpair");
	pid_t child = fork();
	if (child < 0)
		DIE("fork the process");
	if (child == 0) {
		reset_signals();
		close(sync[0]);
		close(report_fd); /* the caller must see its pipe end with the monitor's report, not with our exec */
		report_fd = sync[1];
		stage = "setup";
		close_fd(&m->in_fd);
		close_fd(&m->out_fd);
		close_fd(&m->err_fd);
		if (!m->terminal) {
			int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
			if (dup2(m->proc_in >= 0 ? m->proc_in : null, 0) < 0 || dup2(m->proc_out, 1) < 0 ||
			    dup2(m->proc_err, 2) < 0)
				DIE("set up stdio");
		}
		if (container)
			exec_init(plan, container, sync[1]);
		container_init(plan, sync[1]);
	}
	m->child = child;
	m->sync_fd = sync[0];
	close(sync[1]);
	close_fd(&m->proc_in);
	close_fd(&m->proc_out);
	close_fd(&m->proc_err);

	/* Until the process is ready: the pty, warnings, or the error that ends it. */
	for (;;) {
		char message[4200];
		int fd = -1;
		ssize_t n = receive_message(m->sync_fd, message, sizeof message, &fd);
		if (n <= 0) {
			waitpid(child, NULL, 0);
			DIEX("the process ended while it was set up");
		}
		if (message[0] == 'P') {
			m->tty_fd = m->in_fd = fd;
			fcntl(fd, F_SETFL, O_NONBLOCK);
		} else if (message[0] == 'W')
			report('W', message + 2);
		else if (message[0] == 'E') {
			waitpid(child, NULL, 0);
			report('E', message + 2);
			_exit(1);
		} else if (message[0] == 'R')
			break;
	}
}

/*
 * Forks the monitor, which forks the process (or has another runtime make it); this (the caller's) process prints
 * what the monitor reports and returns 0 once the process is ready (a delegated exec: once the monitor is; its pid
 * is then 0), non-zero if it failed. container is the pid to exec into, or 0.
 */
int launch(struct plan *plan, const char *state_dir, pid_t container, int with_log)
{
	int status_pipe[2];
	if (pipe2(status_pipe, O_CLOEXEC) < 0)
		DIE("pipe");
	pid_t monitor = fork();
	if (monitor < 0)
		DIE("fork the monitor");
	if (monitor > 0) {
		close(status_pipe[1]);
		char *answer = read_all(status_pipe[0], "the monitor's status");
		int ok = 0;
		for (char *save = NULL, *line = strtok_r(answer, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (line[0] == 'P') {
				printf("%s\n", line + 2);
				ok = 1;
			} else {
				fprintf(stderr, "%s%s\n", line[0] == 'W' ? "warning: " : "error: ", line + 2);
				if (line[0] == 'E')
					ok = 0;
			}
		}
		fflush(stdout);
		waitpid(monitor, NULL, WNOHANG);
		return ok ? 0 : 1;
	}

	/* The monitor: its own session, away from the caller's terminal and stdio, in the state dir. */
	close(status_pipe[0]);
	report_fd = status_pipe[1];
	stage = "monitor";
	if (setsid() < 0)
		DIE("setsid");
	prctl(PR_SET_NAME, container ? "berth-exec-mon" : "berth-monitor", 0, 0, 0);
	int null = open("/dev/null", O_RDWR);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		DIE("stdio to /dev/null");
	if (null > 2)
		close(null);
	if (chdir(state_dir) < 0)
		DIE("chdir %s", state_dir);

	/* DELEGATE: another runtime makes the process, which must come to us when that runtime's command exits. */
	struct line *delegate = find(plan, container ? "delegate-exec" : "delegate-create");
	if (delegate && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		DIE("become a child subreaper");

	/* The pid namespace applies to our children: the process forked next is its PID 1. */
	if (delegate) {
		/* the runtime's business */
	} else if (container) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/pid", container);
		join_namespace(path, CLONE_NEWPID);
	} else {
		EACH(plan, "ns", l) if (ns_flag(l->argv[1]) == CLONE_NEWPID) {
			if (l->argc == 3)
				join_namespace(l->argv[2], CLONE_NEWPID);
			else if (unshare(CLONE_NEWPID) < 0)
				DIE("unshare the pid namespace");
		}
	}

	struct line *stdin_line = find(plan, "stdin");
	int tty = find(plan, "terminal") != NULL;
	int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
	if (!tty) {
		if (stdin_line && strcmp(stdin_line->argv[1], "open") == 0 && pipe2(in, O_CLOEXEC) < 0)
			DIE("pipe");
		if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
			DIE("pipe");
	}
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	struct monitor *m = calloc(1, sizeof *m);
	if (!m)
		DIE("calloc");
	*m = (struct monitor){.sync_fd = -1, .out_fd = out[0], .err_fd = err[0], .in_fd = in[1], .tty_fd = -1,
			      .log_fd = -1, .start_waiter = -1, .terminal = find(plan, "terminal"), .command_err = -1,
			      .proc_in = in[0], .proc_out = out[1], .proc_err = err[1], .console_fd = -1};
	if (in[1] >= 0)
		fcntl(in[1], F_SETFL, O_NONBLOCK);
	if (delegate && container) {
		m->start_command = delegate; /* it all happens on start */
		m->delegated_exec = 1;
	} else if (delegate) {
		create_delegated(plan, m);
	} else {
		fork_process(plan, m, container);
	}
	signal(SIGPIPE, SIG_IGN);
	if ((m->signal_fd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		DIE("signalfd");

	m->listen_fd = listen_on("attach.sock", 0);
	if (with_log && (m->log_fd = open("container.log", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) < 0)
		DIE("open container.log");
	char number[32];
	snprintf(number, sizeof number, "%d\n", getpid());
	write_atomically("monitor.pid", number);
	if (m->child) { /* a delegated exec has none until it is started */
		snprintf(number, sizeof number, "%d\n", m->child);
		write_atomically("pid", number);
	}
	snprintf(number, sizeof number, "P %d\n", m->child);
	if (write(report_fd, number, strlen(number)) < 0) { /* the caller is gone; the container is made */ }
	close(report_fd);
	report_fd = -1;
	serve(m);
}
