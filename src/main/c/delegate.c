/*
 * DELEGATE: a create plan with delegate-create and delegate-start, or an exec plan with delegate-exec (besides them
 * only terminal and stdin), leaves namespaces, mounts and the process to another OCI runtime (runc, crun): the
 * monitor keeps only its own part. It makes itself a child subreaper and runs each command as its child, in its
 * state dir, arg0 looked up in $PATH:
 *   delegate-create  at once, with the process's stdio pipes as its stdio; with a terminal instead /dev/null, a
 *                    pipe for its errors, and console.sock listened on, where the runtime sends the pty master
 *                    (SCM_RIGHTS, as runc's --console-socket does). It must exit 0 having written the process's
 *                    host pid to runtime.pid, else what it wrote on stderr is the error. The process it leaves
 *                    waiting is orphaned when it exits and so becomes the monitor's child.
 *   delegate-start   on start (from an attach client), stdio /dev/null and a pipe for its errors: exit 0 means
 *                    started, else its stderr is the answer to the start.
 *   delegate-exec    on start, as delegate-create (a detached exec that writes runtime.pid); meanwhile the
 *                    process's stderr pipe is not read, as it carries the command's errors. When it fails there is
 *                    no process: the exit file says 127 (not found) or 126, as Docker reports such an exec.
 * From then on the monitor reaps the process, keeps its stdio, log, attach socket and exit file as for its own.
 */
#include "monitor.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>

/* Forks and execs argv with stdio in, out, err (-1: /dev/null); returns its pid. */
static pid_t spawn(char **argv, int in, int out, int err)
{
	pid_t pid = fork();
	if (pid < 0)
		DIE("fork %s", argv[0]);
	if (pid > 0)
		return pid;
	reset_signals();
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (dup2(in >= 0 ? in : null, 0) < 0 || dup2(out >= 0 ? out : null, 1) < 0 || dup2(err >= 0 ? err : null, 2) < 0)
		_exit(126);
	execvp(argv[0], argv);
	fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/*
 * Runs a delegated command: with the process's stdio when it makes a process without a terminal; else with
 * /dev/null and a pipe of its own for its errors, and console.sock listened on when it makes a terminal.
 */
void begin_command(struct monitor *m, struct line *command, int makes_process)
{
	if (makes_process && m->terminal)
		m->console_fd = listen_on("console.sock", SOCK_NONBLOCK);
	if (makes_process && !m->terminal) {
		m->command_err = m->err_fd;
		m->command = spawn(command->argv + 1, m->proc_in, m->proc_out, m->proc_err);
		return;
	}
	int errors[2];
	if (pipe2(errors, O_CLOEXEC) < 0)
		DIE("pipe");
	m->command = spawn(command->argv + 1, -1, -1, errors[1]);
	close(errors[1]);
	m->command_err = errors[0];
}

/* What a command that failed wrote on its stderr (read without blocking, as one line), else how it ended. */
static void command_error(struct monitor *m, const char *name, int status, char *out, size_t size)
{
	size_t n = 0;
	ssize_t got;
	fcntl(m->command_err, F_SETFL, fcntl(m->command_err, F_GETFL) | O_NONBLOCK);
	while (n < size - 1 && (got = read(m->command_err, out + n, size - 1 - n)) > 0)
		n += got;
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		n--;
	out[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (out[i] == '\n')
			out[i] = ' ';
	if (n == 0 && WIFEXITED(status))
		snprintf(out, size, "%s exited with status %d", name, WEXITSTATUS(status));
	else if (n == 0)
		snprintf(out, size, "%s was killed by signal %d", name, WTERMSIG(status));
}

/* After a command that made the process: it is ours (its pid in runtime.pid), and so is its terminal. */
static const char *take_over(struct monitor *m)
{
	char buf[32] = "";
	int fd = open("runtime.pid", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, buf, sizeof buf - 1) < 0)
			buf[0] = '\0';
		close(fd);
	}
	if ((m->child = atoi(buf)) <= 0)
		return "the runtime wrote no pid to runtime.pid";
	if (m->console_fd >= 0) {
		char name[256];
		int master = -1, conn = accept4(m->console_fd, NULL, NULL, SOCK_CLOEXEC);
		if (conn >= 0) {
			receive_message(conn, name, sizeof name, &master);
			close(conn);
		}
		close_fd(&m->console_fd);
		unlink("console.sock");
		if (master < 0)
			return "the runtime sent no terminal to console.sock";
		m->tty_fd = m->in_fd = master;
		fcntl(master, F_SETFL, O_NONBLOCK);
		struct winsize size = {.ws_row = number(m->terminal->argv[1], 10), .ws_col = number(m->terminal->argv[2], 10)};
		if (size.ws_row)
			ioctl(master, TIOCSWINSZ, &size);
	}
	return NULL;
}

/* The delegated start or exec ended: the process runs (an exec's is ours from now on), or it says why not. */
void command_ended(struct monitor *m, int status)
{
	char error[4096] = "";
	m->command = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		command_error(m, m->start_command->argv[1], status, error, sizeof error);
	if (m->command_err != m->err_fd)
		close(m->command_err);
	m->command_err = -1;
	if (m->delegated_exec) {
		close_fd(&m->proc_in);
		close_fd(&m->proc_out);
		close_fd(&m->proc_err);
		const char *lost = error[0] ? NULL : take_over(m);
		if (lost)
			snprintf(error, sizeof error, "%s", lost);
	}
	if (error[0]) {
		char failure[4200];
		snprintf(failure, sizeof failure, "runtime - %s", error);
		answer_start(m, failure);
		if (m->delegated_exec) {
			/* No process ran: Docker's code for an exec that could not be invoked. What the start failure was
			 * (not found: 127) is for the Engine to read from the runtime's words it was just given. */
			m->exited = 1;
			m->status = 126;
		}
		return;
	}
	if (m->delegated_exec) {
		char number[32];
		snprintf(number, sizeof number, "%d\n", m->child);
		write_atomically("pid", number);
	}
	mark_started(m);
	if (m->early_pid && m->early_pid == m->child)
		child_ended(m, m->early_status);
}

/* delegate-create, run to its end: the runtime's process waits for its start, our child from now on. */
void create_delegated(struct plan *plan, struct monitor *m)
{
	struct line *create = find(plan, "delegate-create");
	if (!(m->start_command = find(plan, "delegate-start")))
		DIEX("the plan has delegate-create but no delegate-start");
	begin_command(m, create, 1);
	stage = "runtime";
	int status;
	while (waitpid(m->command, &status, 0) < 0)
		if (errno != EINTR)
			DIE("wait for %s", create->argv[1]);
	m->command = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char error[4096];
		command_error(m, create->argv[1], status, error, sizeof error);
		DIEX("%s", error);
	}
	if (m->command_err != m->err_fd)
		close(m->command_err);
	m->command_err = -1;
	close_fd(&m->proc_in);
	close_fd(&m->proc_out);
	close_fd(&m->proc_err);
	const char *lost = take_over(m);
	if (lost)
		DIEX("%s", lost);
}
