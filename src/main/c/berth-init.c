/*
 * berth-init: the native half of Berth's container runtime.
 *
 * Policy lives in Java (io.berth.engine.runtime.berthinit); this program only carries it out. It never parses JSON:
 * Java turns the OCI spec into a PLAN, a text of one directive a line, fields separated by single spaces. Every
 * field is percent-encoded: each byte outside '!'..'~' and each '%' is written as %XX (two hex digits), and an
 * empty field is a lone '%'. Numbers are decimal (capability masks hexadecimal). Directives, in the order given:
 *
 *   ns <pid|mount|uts|ipc|net|cgroup> [path]   a new namespace, or join the one at path
 *   hostname <name>
 *   rootfs <path> <readonly 0|1> <propagation>  propagation: mount(2) flags applied to / first (MS_REC|MS_PRIVATE)
 *   mount <dest> <type> <source> <flags> <propagation> <data>
 *                                               mount(2) flags and data as Java translated the OCI options; with
 *                                               MS_BIND the flags other than MS_REC are applied by a bind remount
 *   device <path> <c|b|u|p> <major> <minor> <mode> <uid> <gid>
 *   symlink <target> <path>
 *   mask <path>                                 /dev/null bound over a file, a read-only tmpfs over a directory
 *   readonly <path>                             bound onto itself and remounted read-only
 *   sysctl <path under /proc/sys> <value>
 *   cgroup <cgroup.procs file>                  joined before any namespace is entered
 *   rlimit <resource number> <soft> <hard>
 *   oomscoreadj <n>                             a failure is only a warning (root may lack CAP_SYS_RESOURCE)
 *   user <uid> <gid> [additional gid...]
 *   umask <octal>
 *   caps <bounding> <effective> <inheritable> <permitted> <ambient>   hexadecimal masks
 *   nonewprivs
 *   cwd <path>
 *   env <NAME=value>                            one a line
 *   args <arg0> [arg...]
 *   terminal <rows> <cols>                      a pty instead of pipes
 *   stdin <open|null>                           a pipe the monitor feeds from attach clients, or /dev/null
 *   delegate-create <arg0> [arg...]             DELEGATE (below): another runtime's create of the container
 *   delegate-start <arg0> [arg...]              DELEGATE: its start of the container's program
 *   delegate-exec <arg0> [arg...]               DELEGATE: its (detached) exec of a process in a container
 *
 * Modes:
 *   berth-init create <state-dir>                   container plan on stdin
 *   berth-init exec <container-state-dir> <state-dir>   exec plan on stdin (no ns/rootfs/mount/... directives)
 *   berth-init run <plan-file>                      foreground: create, start, wait; stdio inherited
 *
 * create and exec fork a MONITOR (setsid, stdio on /dev/null) that outlives the caller. It forks the process
 * (in the new pid namespace it is PID 1), which sets everything up, resolves the program, reports "ready" and
 * waits for "go" (a start from an attach client) before switching user and capabilities and exec'ing. The
 * command itself prints the process's host pid once it is ready and exits 0, or prints the error (naming the
 * failing step and errno) on stderr and exits 1; warnings go to stderr as "warning: <text>".
 *
 * The monitor keeps in its state dir: pid (the process's host pid), monitor.pid, started (startedAt=<time>),
 * exit (exitCode=<n> and finishedAt=<time>, written atomically once the output is drained), container.log
 * (create mode: Docker's json-file lines) and attach.sock, served to any number of clients with frames of
 * 8 bytes header (type, three zero bytes, 32-bit big-endian length) and the payload:
 *   monitor -> client: 6 hello (on connect), 1 stdout, 2 stderr (TTY output is all 1),
 *                      5 result of start (empty: started; else the error); EOF once the output has ended
 *   client -> monitor: 0 stdin data, 3 close stdin, 4 resize (rows, columns: 16-bit big-endian each),
 *                      5 start (the connection then receives no output, only the result)
 *
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
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* ---------------------------------------------------------------------------------------------------------- */
/* Errors: every failure names its step and errno and goes back to whoever waits for this process.            */

static int report_fd = -1; /* where "E <text>" goes: the caller's status pipe or the monitor's sync socket */
static int fail_status = 1;

static void report(char kind, const char *text)
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

__attribute__((noreturn, format(printf, 2, 3))) static void fail(int with_errno, const char *fmt, ...)
{
	char text[4096];
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (with_errno && n >= 0 && n < (int)sizeof text)
		snprintf(text + n, sizeof text - n, ": %s", strerror(saved));
	report('E', text);
	_exit(fail_status);
}
#define DIE(...) fail(1, __VA_ARGS__)
#define DIEX(...) fail(0, __VA_ARGS__)

__attribute__((format(printf, 1, 2))) static void warn(const char *fmt, ...)
{
	char text[4096];
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (n >= 0 && n < (int)sizeof text)
		snprintf(text + n, sizeof text - n, ": %s", strerror(saved));
	report('W', text);
}

/* ---------------------------------------------------------------------------------------------------------- */
/* The plan                                                                                                   */

struct line {
	int argc;
	char **argv; /* argv[0] is the directive */
};

struct plan {
	struct line *lines;
	int count;
};

static const struct {
	const char *name;
	int min, max; /* fields after the directive; -1: any number */
} DIRECTIVES[] = {
	{"ns", 1, 2}, {"hostname", 1, 1}, {"rootfs", 3, 3}, {"mount", 6, 6}, {"device", 7, 7},
	{"symlink", 2, 2}, {"mask", 1, 1}, {"readonly", 1, 1}, {"sysctl", 2, 2}, {"cgroup", 1, 1},
	{"rlimit", 3, 3}, {"oomscoreadj", 1, 1}, {"user", 2, -1}, {"umask", 1, 1}, {"caps", 5, 5},
	{"nonewprivs", 0, 0}, {"cwd", 1, 1}, {"env", 1, 1}, {"args", 1, -1}, {"terminal", 2, 2},
	{"stdin", 1, 1}, {"delegate-create", 1, -1}, {"delegate-start", 1, -1}, {"delegate-exec", 1, -1},
};

static void *xmalloc(size_t size)
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

static void parse_plan(char *text, struct plan *plan)
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

/* The first line with this directive, or NULL. */
static struct line *find(struct plan *plan, const char *name)
{
	for (int i = 0; i < plan->count; i++)
		if (strcmp(plan->lines[i].argv[0], name) == 0)
			return &plan->lines[i];
	return NULL;
}

#define EACH(plan, name, l) \
	for (struct line *l = (plan)->lines; l < (plan)->lines + (plan)->count; l++) \
		if (strcmp(l->argv[0], name) == 0)

static unsigned long long number(const char *text, int base)
{
	char *end;
	errno = 0;
	unsigned long long value = strtoull(text, &end, base);
	if (errno || end == text || *end)
		DIEX("not a number: \"%s\"", text);
	return value;
}

static char *read_all(int fd, const char *what)
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

static void write_file(const char *path, const char *content)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		DIE("open %s", path);
	if (write(fd, content, strlen(content)) < 0)
		DIE("write %s to %s", content, path);
	close(fd);
}

/* Writes name (relative to the monitor's cwd, its state dir) through a temporary file and a rename. */
static void write_atomically(const char *name, const char *content)
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
static void now_rfc3339(char *out, size_t size)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, size - n, ".%09ldZ", ts.tv_nsec);
}

static int send_message(int sock, char kind, const char *text, int fd)
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
static ssize_t receive_message(int sock, char *buf, size_t size, int *fd)
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

/* ---------------------------------------------------------------------------------------------------------- */
/* Paths inside the root file system                                                                          */

static int open_in(int rootfd, const char *path, int flags)
{
	/* RESOLVE_IN_ROOT: "..", absolute symlinks and absolute paths all stay inside rootfd. */
	struct open_how how = {.flags = flags | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

/*
 * An O_PATH descriptor of path resolved inside rootfd, creating what is missing: directories, and the last
 * component as an empty file when as_file. Each component is created in its parent as resolved in the root,
 * so a symlink in the image (to /etc, say) leads to the image's /etc, never to the host's.
 */
static int open_in_root(int rootfd, const char *path, int as_file)
{
	char buf[PATH_MAX];
	int fd = open_in(rootfd, path, O_PATH);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int parent = open_in(rootfd, "/", O_PATH);
	char *component = buf;
	while (parent >= 0) {
		while (*component == '/')
			component++;
		char *end = component + strcspn(component, "/");
		int last = end[strspn(end, "/")] == '\0';
		char saved = *end;
		*end = '\0';
		fd = open_in(rootfd, buf, O_PATH);
		if (fd < 0 && errno == ENOENT) {
			int made;
			if (last && as_file) {
				made = openat(parent, component, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
				if (made >= 0)
					close(made);
			} else {
				made = mkdirat(parent, component, 0755);
			}
			fd = made < 0 && errno != EEXIST ? -1 : open_in(rootfd, buf, O_PATH);
		}
		close(parent);
		*end = saved;
		if (fd < 0 || last)
			return fd;
		parent = fd;
		component = end;
	}
	return -1;
}

static const char *fd_path(int fd, char *buf)
{
	snprintf(buf, 64, "/proc/self/fd/%d", fd);
	return buf;
}

/* The parent directory of path inside the root, and the last component's name in *name. */
static int open_parent(int rootfd, const char *path, char *copy, const char **name)
{
	snprintf(copy, PATH_MAX, "%s", path);
	char *slash = strrchr(copy, '/');
	if (!slash || !slash[1])
		DIEX("not a path with a name: %s", path);
	*slash = '\0';
	*name = slash + 1;
	int fd = open_in_root(rootfd, copy[0] ? copy : "/", 0);
	if (fd < 0)
		DIE("open %s in the rootfs", copy);
	return fd;
}

/* ---------------------------------------------------------------------------------------------------------- */
/* Setting up the container                                                                                   */

static int ns_flag(const char *type)
{
	static const struct {
		const char *name;
		int flag;
	} TYPES[] = {{"pid", CLONE_NEWPID}, {"mount", CLONE_NEWNS}, {"uts", CLONE_NEWUTS},
		     {"ipc", CLONE_NEWIPC}, {"net", CLONE_NEWNET}, {"cgroup", CLONE_NEWCGROUP}};
	for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
		if (strcmp(TYPES[i].name, type) == 0)
			return TYPES[i].flag;
	DIEX("unknown namespace type %s", type);
}

static void join_namespace(const char *path, int flag)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		DIE("open namespace %s", path);
	if (setns(fd, flag) < 0)
		DIE("setns %s", path);
	close(fd);
}

static void do_mount(int rootfd, struct line *l)
{
	const char *dest = l->argv[1], *type = l->argv[2], *source = l->argv[3], *data = l->argv[6];
	unsigned long flags = number(l->argv[4], 10), propagation = number(l->argv[5], 10);
	char target[64];
	struct stat st;
	int as_file = (flags & MS_BIND) && stat(source, &st) == 0 && !S_ISDIR(st.st_mode);
	int fd = open_in_root(rootfd, dest, as_file);
	if (fd < 0)
		DIE("mount %s: resolve the destination in the rootfs", dest);
	if (flags & MS_BIND) {
		if (mount(source, fd_path(fd, target), NULL, MS_BIND | (flags & MS_REC), NULL) < 0)
			DIE("bind mount %s on %s", source, dest);
	} else if (mount(source, fd_path(fd, target), type, flags, data[0] ? data : NULL) < 0) {
		DIE("mount %s (%s) on %s", type, data, dest);
	}
	/* The descriptor still names the directory under the new mount: reopen to reach the mount itself. */
	close(fd);
	if ((flags & MS_BIND && flags & ~(MS_BIND | MS_REC)) || propagation) {
		if ((fd = open_in_root(rootfd, dest, 0)) < 0)
			DIE("reopen %s", dest);
		if (flags & MS_BIND && flags & ~(MS_BIND | MS_REC) &&
		    mount(NULL, fd_path(fd, target), NULL, flags | MS_REMOUNT, NULL) < 0)
			DIE("remount %s with its options", dest);
		if (propagation && mount(NULL, fd_path(fd, target), NULL, propagation, NULL) < 0)
			DIE("set the propagation of %s", dest);
		close(fd);
	}
}

static void make_device(int rootfd, struct line *l)
{
	char copy[PATH_MAX];
	const char *name;
	char type = l->argv[2][0];
	mode_t kind = type == 'b' ? S_IFBLK : type == 'p' ? S_IFIFO : S_IFCHR;
	mode_t mode = number(l->argv[5], 10) & 07777;
	int dir = open_parent(rootfd, l->argv[1], copy, &name);
	dev_t dev = makedev(number(l->argv[3], 10), number(l->argv[4], 10));
	if (mknodat(dir, name, kind | mode, dev) < 0 && errno != EEXIST)
		DIE("mknod %s", l->argv[1]);
	if (fchownat(dir, name, number(l->argv[6], 10), number(l->argv[7], 10), AT_SYMLINK_NOFOLLOW) < 0)
		DIE("chown %s", l->argv[1]);
	if (fchmodat(dir, name, mode, 0) < 0)
		DIE("chmod %s", l->argv[1]);
	close(dir);
}

static void make_symlink(int rootfd, struct line *l)
{
	char copy[PATH_MAX];
	const char *name;
	int dir = open_parent(rootfd, l->argv[2], copy, &name);
	if (symlinkat(l->argv[1], dir, name) < 0 && errno != EEXIST)
		DIE("symlink %s", l->argv[2]);
	close(dir);
}

/* Opens a pty in the container's devpts, hands its master to the monitor, makes the peer our terminal. */
static void open_terminal(int rootfd, struct line *l, int sync_fd, uid_t uid)
{
	int unlock = 0;
	int master = open_in(rootfd, "/dev/ptmx", O_RDWR | O_NOCTTY);
	if (master < 0)
		DIE("open /dev/ptmx in the container");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		DIE("unlock the pty");
	int peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (peer < 0)
		DIE("open the pty's peer");
	struct winsize size = {.ws_row = number(l->argv[1], 10), .ws_col = number(l->argv[2], 10)};
	if (size.ws_row && ioctl(peer, TIOCSWINSZ, &size) < 0)
		DIE("set the terminal size");
	if (fchown(peer, uid, -1) < 0)
		DIE("chown the pty");
	if (send_message(sync_fd, 'P', NULL, master) < 0)
		DIE("send the pty to the monitor");
	close(master);
	for (int i = 0; i < 3; i++)
		if (dup2(peer, i) < 0)
			DIE("dup2 the pty");
	if (peer > 2)
		close(peer);
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		DIE("make the pty the controlling terminal");
}

static void pivot_into(const char *rootfs)
{
	/* The old root ends up stacked under the new one at "."; detaching it leaves only the rootfs. */
	if (chdir(rootfs) < 0)
		DIE("chdir %s", rootfs);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		DIE("pivot_root %s", rootfs);
	if (umount2(".", MNT_DETACH) < 0)
		DIE("detach the old root");
	if (chdir("/") < 0)
		DIE("chdir /");
}

static unsigned long locked_flags(const char *path)
{
	struct statvfs vfs;
	if (statvfs(path, &vfs) < 0)
		return 0;
	return (vfs.f_flag & ST_NOSUID ? MS_NOSUID : 0) | (vfs.f_flag & ST_NODEV ? MS_NODEV : 0) |
	       (vfs.f_flag & ST_NOEXEC ? MS_NOEXEC : 0);
}

static void mask_path(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return;
		DIE("stat masked path %s", path);
	}
	if (S_ISDIR(st.st_mode) ? mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) < 0
				: mount("/dev/null", path, NULL, MS_BIND, NULL) < 0)
		DIE("mask %s", path);
}

static void make_readonly(const char *path)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT)
			return;
		DIE("bind %s onto itself", path);
	}
	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | locked_flags(path), NULL) < 0)
		DIE("remount %s read-only", path);
}

static void apply_limits(struct plan *plan)
{
	EACH(plan, "rlimit", l) {
		struct rlimit limit = {number(l->argv[2], 10), number(l->argv[3], 10)};
		if (setrlimit(number(l->argv[1], 10), &limit) < 0) {
			/* Raising a hard limit needs CAP_SYS_RESOURCE, which root may not have: keep what we have. */
			if (errno != EPERM)
				DIE("setrlimit %s", l->argv[1]);
			warn("setrlimit %s %s %s", l->argv[1], l->argv[2], l->argv[3]);
		}
	}
	struct line *oom = find(plan, "oomscoreadj");
	if (oom) {
		int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, oom->argv[1], strlen(oom->argv[1])) < 0)
			warn("set oom_score_adj to %s", oom->argv[1]);
		if (fd >= 0)
			close(fd);
	}
}

static void write_sysctls(struct plan *plan)
{
	EACH(plan, "sysctl", l) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "/proc/sys/%s", l->argv[1]);
		write_file(path, l->argv[2]);
	}
}

static void join_cgroups(struct plan *plan)
{
	EACH(plan, "cgroup", l) write_file(l->argv[1], "0");
}

/* The program's path: argv[0] itself when it has a slash, else the first executable of that name in $PATH. */
static char *find_program(struct plan *plan, char *out)
{
	const char *name = find(plan, "args")->argv[1];
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	struct stat st;
	EACH(plan, "env", l) if (strncmp(l->argv[1], "PATH=", 5) == 0) path = l->argv[1] + 5;
	if (strchr(name, '/')) {
		if (stat(name, &st) < 0)
			DIE("exec: \"%s\": stat %s", name, name);
		return strcpy(out, name);
	}
	for (const char *dir = path;; dir++) {
		int len = strcspn(dir, ":");
		snprintf(out, PATH_MAX, "%.*s/%s", len, len ? dir : ".", name);
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return out;
		dir += len;
		if (!*dir)
			break;
	}
	fail_status = 127;
	DIEX("exec: \"%s\": executable file not found in $PATH", name);
}

/* The last step: who the process is and what it may do, then exec. */
__attribute__((noreturn)) static void become(struct plan *plan, const char *program)
{
	struct line *user = find(plan, "user"), *caps = find(plan, "caps"), *mask = find(plan, "umask");
	if (mask)
		umask(number(mask->argv[1], 8));
	uint64_t set[5] = {0};
	if (caps) {
		for (int i = 0; i < 5; i++)
			set[i] = number(caps->argv[i + 1], 16);
		for (int cap = 0; cap < 64; cap++)
			if (!(set[0] & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
				if (errno == EINVAL) /* past the kernel's last capability */
					break;
				DIE("drop capability %d from the bounding set", cap);
			}
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			DIE("keep capabilities across setuid");
	}
	if (user) {
		int ngroups = user->argc - 3;
		gid_t groups[ngroups > 0 ? ngroups : 1];
		for (int i = 0; i < ngroups; i++)
			groups[i] = number(user->argv[i + 3], 10);
		if (setgroups(ngroups, groups) < 0)
			DIE("setgroups");
		gid_t gid = number(user->argv[2], 10);
		uid_t uid = number(user->argv[1], 10);
		if (setresgid(gid, gid, gid) < 0)
			DIE("setgid %u", gid);
		if (setresuid(uid, uid, uid) < 0)
			DIE("setuid %u", uid);
	}
	if (caps) {
		struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
		struct __user_cap_data_struct data[2];
		for (int i = 0; i < 2; i++) {
			data[i].effective = (uint32_t)(set[1] >> (32 * i));
			data[i].inheritable = (uint32_t)(set[2] >> (32 * i));
			data[i].permitted = (uint32_t)(set[3] >> (32 * i));
		}
		if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
			DIE("reset keep capabilities");
		if (syscall(SYS_capset, &header, data) < 0)
			DIE("capset");
		/* The kernel allows an ambient capability only when it is permitted and inheritable; like runc,
		 * those the spec asks for without both are left out rather than failing the container. */
		uint64_t ambient = set[4] & set[3] & set[2];
		for (int cap = 0; cap < 64; cap++)
			if (ambient & (1ULL << cap) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
				DIE("raise ambient capability %d", cap);
	}
	if (find(plan, "nonewprivs") && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		DIE("set no_new_privs");
	int nenv = 0;
	EACH(plan, "env", l) nenv++;
	char **env = xmalloc((nenv + 1) * sizeof(char *));
	nenv = 0;
	EACH(plan, "env", l) env[nenv++] = l->argv[1];
	env[nenv] = NULL;
	execve(program, find(plan, "args")->argv + 1, env);
	fail_status = errno == EACCES ? 126 : 127;
	DIE("exec %s", program);
}

/* Puts signal dispositions and the mask back to the defaults a fresh process expects. */
static void reset_signals(void)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
}

/* Tells the monitor the process is ready and waits for its go; the monitor gone means we are not wanted. */
static void await_start(int sync_fd)
{
	char buf[16];
	if (send_message(sync_fd, 'R', NULL, -1) < 0)
		DIE("tell the monitor we are ready");
	if (receive_message(sync_fd, buf, sizeof buf, NULL) <= 0 || buf[0] != 'G')
		_exit(1);
}

/* The container's first process, forked by the monitor (or run mode) inside the new pid namespace. */
__attribute__((noreturn)) static void container_init(struct plan *plan, int sync_fd)
{
	char program[PATH_MAX];
	struct line *root = find(plan, "rootfs"), *user = find(plan, "user"), *tty = find(plan, "terminal");
	if (!root || !find(plan, "args"))
		DIEX("the plan has no rootfs or no args");
	if (setsid() < 0)
		DIE("setsid");
	join_cgroups(plan);
	int unshare_flags = 0;
	EACH(plan, "ns", l) {
		int flag = ns_flag(l->argv[1]);
		if (flag == CLONE_NEWPID) /* already done by our parent */
			continue;
		if (l->argc == 3)
			join_namespace(l->argv[2], flag);
		else
			unshare_flags |= flag;
	}
	if (unshare(unshare_flags) < 0)
		DIE("unshare the namespaces");
	if (unshare_flags & CLONE_NEWNS) {
		const char *rootfs = root->argv[1];
		if (mount(NULL, "/", NULL, number(root->argv[3], 10), NULL) < 0)
			DIE("set the propagation of /");
		if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
			DIE("bind the rootfs %s onto itself", rootfs);
		int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0)
			DIE("open the rootfs %s", rootfs);
		EACH(plan, "mount", l) do_mount(rootfd, l);
		EACH(plan, "device", l) make_device(rootfd, l);
		EACH(plan, "symlink", l) make_symlink(rootfd, l);
		struct line *cwd = find(plan, "cwd");
		int workdir = cwd ? open_in_root(rootfd, cwd->argv[1], 0) : -1; /* made when missing, as Docker does */
		if (cwd && workdir < 0)
			DIE("create the working directory %s", cwd->argv[1]);
		if (workdir >= 0)
			close(workdir);
		if (tty && sync_fd >= 0) {
			open_terminal(rootfd, tty, sync_fd, user ? number(user->argv[1], 10) : 0);
			char target[64];
			int console = open_in_root(rootfd, "/dev/console", 1);
			if (console < 0 || mount("/proc/self/fd/0", fd_path(console, target), NULL, MS_BIND, NULL) < 0)
				DIE("bind the pty on /dev/console");
			close(console);
		}
		pivot_into(rootfs);
		close(rootfd);
		write_sysctls(plan); /* before /proc/sys turns read-only */
		EACH(plan, "mask", l) mask_path(l->argv[1]);
		EACH(plan, "readonly", l) make_readonly(l->argv[1]);
		if (root->argv[2][0] == '1' &&
		    mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | locked_flags("/"), NULL) < 0)
			DIE("remount the rootfs read-only");
	} else if (chroot(root->argv[1]) < 0 || chdir("/") < 0) {
		DIE("chroot %s", root->argv[1]);
	} else {
		write_sysctls(plan);
	}
	struct line *host = find(plan, "hostname");
	if (host && sethostname(host->argv[1], strlen(host->argv[1])) < 0)
		DIE("sethostname %s", host->argv[1]);
	apply_limits(plan);
	struct line *cwd = find(plan, "cwd");
	if (cwd && chdir(cwd->argv[1]) < 0)
		DIE("chdir to the working directory %s", cwd->argv[1]);
	find_program(plan, program);
	if (sync_fd >= 0)
		await_start(sync_fd);
	become(plan, program);
}

/* A process run inside a running container: its namespaces and cgroup, then the same last steps. */
__attribute__((noreturn)) static void exec_init(struct plan *plan, pid_t container, int sync_fd)
{
	static const struct {
		const char *name;
		int flag;
	} ORDER[] = {{"cgroup", CLONE_NEWCGROUP}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS},
		     {"net", CLONE_NEWNET}, {"mnt", CLONE_NEWNS}};
	char program[PATH_MAX], path[64];
	struct line *user = find(plan, "user"), *tty = find(plan, "terminal");
	if (!find(plan, "args"))
		DIEX("the exec plan has no args");
	if (setsid() < 0)
		DIE("setsid");
	int fds[5];
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "/proc/%d/ns/%s", container, ORDER[i].name);
		if ((fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			DIE("open %s", path);
	}
	join_cgroups(plan);
	for (int i = 0; i < 5; i++)
		if (setns(fds[i], ORDER[i].flag) < 0)
			DIE("join the container's %s namespace", ORDER[i].name);
	if (tty) {
		int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0)
			DIE("open /");
		open_terminal(rootfd, tty, sync_fd, user ? number(user->argv[1], 10) : 0);
		close(rootfd);
	}
	apply_limits(plan);
	struct line *cwd = find(plan, "cwd");
	if (chdir(cwd ? cwd->argv[1] : "/") < 0)
		DIE("chdir to the working directory %s", cwd ? cwd->argv[1] : "/");
	find_program(plan, program);
	await_start(sync_fd);
	become(plan, program);
}

/* ---------------------------------------------------------------------------------------------------------- */
/* The monitor                                                                                                */

#define MAX_CLIENTS 64
#define LINE_MAX_LOG 16384

struct client {
	int fd;
	int dead;
	int control; /* sent start: gets its result, no output */
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

static int send_frame(int fd, int type, const void *data, uint32_t len)
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

static void begin_command(struct monitor *m, struct line *command, int makes_process);

static void answer_start(struct monitor *m, const char *error)
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
			send_frame(c->fd, 5, m->exited ? "the process has ended" : NULL, m->exited ? 21 : 0);
		} else if (!m->go_sent) {
			m->start_waiter = index;
			m->go_sent = 1;
			if (m->start_command)
				begin_command(m, m->start_command, m->delegated_exec);
			else if (m->sync_fd < 0 || send_message(m->sync_fd, 'G', NULL, -1) < 0)
				answer_start(m, "the process has ended");
		}
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

static void read_sync(struct monitor *m);
static void command_ended(struct monitor *m, int status);

static void child_ended(struct monitor *m, int status)
{
	/* What it said before it ended comes first: an exec error, or EOF for an exec that worked. */
	while (m->go_sent && m->sync_fd >= 0)
		read_sync(m);
	m->exited = 1;
	m->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (!m->command) /* else the delegated start answers: the process may have ended before it did */
		answer_start(m, "the process ended before it started");
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

static void mark_started(struct monitor *m)
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
static int listen_on(const char *name, int flags)
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

/* ---------------------------------------------------------------------------------------------------------- */
/* DELEGATE: another runtime makes the process; the monitor stays its parent all the same                     */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

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
static void begin_command(struct monitor *m, struct line *command, int makes_process)
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
static void command_ended(struct monitor *m, int status)
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
		answer_start(m, error);
		if (m->delegated_exec) {
			m->exited = 1;
			m->status = strstr(error, "not found") || strstr(error, "no such file") ? 127 : 126;
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
static void create_delegated(struct plan *plan, struct monitor *m)
{
	struct line *create = find(plan, "delegate-create");
	if (!(m->start_command = find(plan, "delegate-start")))
		DIEX("the plan has delegate-create but no delegate-start");
	begin_command(m, create, 1);
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
static int launch(struct plan *plan, const char *state_dir, pid_t container, int with_log)
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
				fprintf(stderr, "%s%s\n", line[0] == 'W' ? "warning: " : "", line + 2);
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

/* Foreground: the container runs with our stdio, and our exit status is its. */
static int run(struct plan *plan)
{
	EACH(plan, "ns", l) if (ns_flag(l->argv[1]) == CLONE_NEWPID) {
		if (l->argc == 3)
			join_namespace(l->argv[2], CLONE_NEWPID);
		else if (unshare(CLONE_NEWPID) < 0)
			DIE("unshare the pid namespace");
	}
	pid_t child = fork();
	if (child < 0)
		DIE("fork");
	if (child == 0) {
		reset_signals();
		container_init(plan, -1);
	}
	int status;
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			DIE("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	struct plan plan;
	if (argc == 3 && strcmp(argv[1], "create") == 0) {
		parse_plan(read_all(0, "the plan"), &plan);
		return launch(&plan, argv[2], 0, 1);
	}
	if (argc == 4 && strcmp(argv[1], "exec") == 0) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/pid", argv[2]);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			DIE("open %s", path);
		pid_t container = (pid_t)atoi(read_all(fd, path));
		if (container <= 0)
			DIEX("no pid in %s", path);
		parse_plan(read_all(0, "the plan"), &plan);
		return launch(&plan, argv[3], container, 0);
	}
	if (argc == 3 && strcmp(argv[1], "run") == 0) {
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			DIE("open %s", argv[2]);
		parse_plan(read_all(fd, argv[2]), &plan);
		return run(&plan);
	}
	fprintf(stderr, "usage: berth-init create <state-dir> < plan\n"
			"       berth-init exec <container-state-dir> <exec-state-dir> < plan\n"
			"       berth-init run <plan-file>\n");
	return 2;
}
