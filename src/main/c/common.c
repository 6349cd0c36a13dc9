/* What every part of berth-init shares: errors, the plan, small helpers. */
#include "berth-init.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

/* ---------------------------------------------------------------------------------------------------------- */
/* Errors: every failure names its stage and errno and goes back to whoever waits for this process.           */

int report_fd = -1;
int fail_status = 1;
const char *stage = "setup";

void report(char kind, const char *text)
{
	char line[4200];
	int n = snprintf(line, sizeof line, "%c %s\n", kind, text);
	if (n > (int)sizeof line - 1)
		n = sizeof line - 1;
	for (int i = 2; i < n - 1; i++) /* one line per message */
		if (line[i] == '\n')
			line[i] = ' ';
	if (report_fd >= 0) {
		if (write(report_fd, line, n) < 0) { /* nobody left to tell */ }
	} else {
		fprintf(stderr, "berth-init: %s\n", text);
	}
}

/*
 * ": <what error means>" in lower case, as Go (and so runc and dockerd) words it: the docker CLI picks the exit code
 * of a failed `docker run` from such words ("no such file or directory": 127, "permission denied": 126).
 */
static void append_error(char *out, size_t size, int error)
{
	int n = snprintf(out, size, ": %s", strerror(error));
	if (n > 2 && (size_t)n < size && out[2] >= 'A' && out[2] <= 'Z')
		out[2] += 'a' - 'A';
}

/* Reports "<stage> <errno name or -> <text>" as an error and exits with fail_status. */
__attribute__((noreturn)) static void failure(int error, const char *text)
{
	char line[4200];
	const char *name = error ? strerrorname_np(error) : NULL;
	snprintf(line, sizeof line, "%s %s %s", stage, name ? name : "-", text);
	report('E', line);
	_exit(fail_status);
}

/* Formats a message into text, followed by ": <what error means>" when with_errno is set and the message fits. */
static void format_message(char *text, size_t size, int with_errno, int error, const char *fmt, va_list ap)
{
	int n = vsnprintf(text, size, fmt, ap);
	if (with_errno && n >= 0 && (size_t)n < size)
		append_error(text + n, size - n, error);
}

__attribute__((noreturn, format(printf, 2, 3))) void fail(int with_errno, const char *fmt, ...)
{
	char text[4096];
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	format_message(text, sizeof text, with_errno, saved, fmt, ap);
	va_end(ap);
	failure(with_errno ? saved : 0, text);
}

__attribute__((noreturn, format(printf, 2, 3))) void fail_errno(int error, const char *fmt, ...)
{
	char text[4096];
	va_list ap;
	va_start(ap, fmt);
	format_message(text, sizeof text, 0, 0, fmt, ap);
	va_end(ap);
	failure(error, text);
}

__attribute__((format(printf, 1, 2))) void warn(const char *fmt, ...)
{
	char text[4096];
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	format_message(text, sizeof text, 1, saved, fmt, ap);
	va_end(ap);
	report('W', text);
}

/* ---------------------------------------------------------------------------------------------------------- */
/* The plan                                                                                                   */

static const struct {
	const char *name;
	int min, max; /* fields after the directive; -1: any number */
} DIRECTIVES[] = {
	{"ns", 1, 2}, {"hostname", 1, 1}, {"rootfs", 3, 3}, {"mount", 6, 6}, {"device", 7, 7},
	{"symlink", 2, 2}, {"mask", 1, 1}, {"readonly", 1, 1}, {"sysctl", 2, 2}, {"cgroup", 1, 1},
	{"rlimit", 3, 3}, {"oomscoreadj", 1, 1}, {"user", 2, -1}, {"umask", 1, 1}, {"caps", 5, 5},
	{"nonewprivs", 0, 0}, {"cwd", 1, 1}, {"env", 1, 1}, {"args", 1, -1}, {"terminal", 2, 2},
	{"stdin", 1, 1}, {"delegate-create", 1, -1}, {"delegate-start", 1, -1}, {"delegate-exec", 1, -1},
	{"seccomp", 2, -1}, {"seccomp-arch", 1, 1}, {"seccomp-rule", 3, -1},
};

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		DIE("malloc");
	return p;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes one percent-encoded field in place. */
static void decode(char *field, int lineno)
{
	char *out = field;
	if (strcmp(field, "%") == 0) {
		*field = '\0';
		return;
	}
	for (char *in = field; *in; in++) {
		if (*in == '%') {
			int hi = hexval(in[1]), lo = hi < 0 ? -1 : hexval(in[2]);
			if (lo < 0 || (hi == 0 && lo == 0))
				DIEX("plan line %d: bad escape in \"%s\"", lineno, field);
			*out++ = (char)(hi * 16 + lo);
			in += 2;
		} else {
			*out++ = *in;
		}
	}
	*out = '\0';
}

void parse_plan(char *text, struct plan *plan)
{
	int capacity = 64, lineno = 0;
	plan->lines = xmalloc(capacity * sizeof(struct line));
	plan->count = 0;
	for (char *save = NULL, *row = strtok_r(text, "\n", &save); row; row = strtok_r(NULL, "\n", &save)) {
		lineno++;
		struct line line = {0, xmalloc((strlen(row) / 2 + 2) * sizeof(char *))};
		for (char *fsave = NULL, *field = strtok_r(row, " ", &fsave); field; field = strtok_r(NULL, " ", &fsave)) {
			decode(field, lineno);
			line.argv[line.argc++] = field;
		}
		line.argv[line.argc] = NULL;
		if (line.argc == 0)
			continue;
		size_t d = 0;
		while (d < sizeof DIRECTIVES / sizeof DIRECTIVES[0] && strcmp(DIRECTIVES[d].name, line.argv[0]) != 0)
			d++;
		if (d == sizeof DIRECTIVES / sizeof DIRECTIVES[0])
			DIEX("plan line %d: unknown directive \"%s\"", lineno, line.argv[0]);
		if (line.argc - 1 < DIRECTIVES[d].min || (DIRECTIVES[d].max >= 0 && line.argc - 1 > DIRECTIVES[d].max))
			DIEX("plan line %d: wrong number of fields for %s", lineno, line.argv[0]);
		if (plan->count == capacity) {
			capacity *= 2;
			plan->lines = realloc(plan->lines, capacity * sizeof(struct line));
			if (!plan->lines)
				DIE("realloc");
		}
		plan->lines[plan->count++] = line;
	}
}

struct line *find(struct plan *plan, const char *name)
{
	for (int i = 0; i < plan->count; i++)
		if (strcmp(plan->lines[i].argv[0], name) == 0)
			return &plan->lines[i];
	return NULL;
}

unsigned long long number(const char *text, int base)
{
	char *end;
	errno = 0;
	unsigned long long value = strtoull(text, &end, base);
	if (errno || end == text || *end)
		DIEX("not a number: \"%s\"", text);
	return value;
}

char *read_all(int fd, const char *what)
{
	size_t size = 0, capacity = 65536;
	char *buf = xmalloc(capacity + 1);
	for (;;) {
		ssize_t n = read(fd, buf + size, capacity - size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			DIE("read %s", what);
		if (n == 0)
			break;
		size += n;
		if (size == capacity && !(buf = realloc(buf, (capacity *= 2) + 1)))
			DIE("realloc");
	}
	buf[size] = '\0';
	return buf;
}

/* ---------------------------------------------------------------------------------------------------------- */
/* Small helpers                                                                                              */

void write_file(const char *path, const char *content)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		DIE("open %s", path);
	if (write(fd, content, strlen(content)) < 0)
		DIE("write %s to %s", content, path);
	close(fd);
}

/* Writes name (relative to the monitor's cwd, its state dir) through a temporary file and a rename. */
void write_atomically(const char *name, const char *content)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s.tmp", name);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		DIE("create %s", tmp);
	if (write(fd, content, strlen(content)) != (ssize_t)strlen(content))
		DIE("write %s", tmp);
	close(fd);
	if (rename(tmp, name) < 0)
		DIE("rename %s", tmp);
}

/* RFC 3339 with nanoseconds, UTC, as Docker writes its times. */
void now_rfc3339(char *out, size_t size)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, size - n, ".%09ldZ", ts.tv_nsec);
}

int send_message(int sock, char kind, const char *text, int fd)
{
	char buf[4200];
	int n = snprintf(buf, sizeof buf, "%c%s", kind, text ? text : "");
	struct iovec iov = {buf, n < (int)sizeof buf ? n : (int)sizeof buf - 1};
	union {
		struct cmsghdr align;
		char data[CMSG_SPACE(sizeof(int))];
	} control;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (fd >= 0) {
		msg.msg_control = control.data;
		msg.msg_controllen = sizeof control.data;
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* One message from the sync socket into buf (NUL-terminated); its file descriptor, if any, into *fd. */
ssize_t receive_message(int sock, char *buf, size_t size, int *fd)
{
	union {
		struct cmsghdr align;
		char data[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = {buf, size - 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.data,
			     .msg_controllen = sizeof control.data};
	ssize_t n;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	buf[n > 0 ? n : 0] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (fd && c && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return n;
}


/* Puts signal dispositions and the mask back to the defaults a fresh process expects. */
void reset_signals(void)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
}

void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}
