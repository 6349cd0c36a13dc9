/*
 * The process: berth-init forks it (the container's first process, or one exec'd into a running container); it
 * sets itself up as the plan says, resolves its program, tells the monitor it is ready, waits for the go, then
 * becomes its user with its capabilities and execs.
 */
#include "berth-init.h"

#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <termios.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

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

int ns_flag(const char *type)
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

void join_namespace(const char *path, int flag)
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

/* Whether path is the root of a mount (an unknown answer is no). */
static int mount_root(const char *path)
{
	struct statx stx;
	return statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 0, &stx) == 0 &&
	       (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
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
	stage = "lookup";
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
	fail_errno(ENOENT, "exec: \"%s\": executable file not found in $PATH", name);
}

/* The last step: who the process is and what it may do (seccomp included), then exec. */
__attribute__((noreturn)) static void become(struct plan *plan, const char *program, void *seccomp)
{
	struct line *user = find(plan, "user"), *caps = find(plan, "caps"), *mask = find(plan, "umask");
	int nonewprivs = find(plan, "nonewprivs") != NULL;
	int nenv = 0;
	EACH(plan, "env", l) nenv++;
	char **env = xmalloc((nenv + 1) * sizeof(char *));
	nenv = 0;
	EACH(plan, "env", l) env[nenv++] = l->argv[1];
	env[nenv] = NULL;
	if (seccomp && !nonewprivs) /* while we have CAP_SYS_ADMIN, which loading a filter then needs */
		seccomp_apply(seccomp);
	stage = "capabilities";
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
	stage = "user";
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
	stage = "capabilities";
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
	stage = "nonewprivs";
	if (nonewprivs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		DIE("set no_new_privs");
	if (seccomp && nonewprivs) /* the last step: as few calls as possible go through the filter before exec */
		seccomp_apply(seccomp);
	stage = "exec";
	execve(program, find(plan, "args")->argv + 1, env);
	fail_status = errno == EACCES ? 126 : 127;
	DIE("exec %s", program);
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
__attribute__((noreturn)) void container_init(struct plan *plan, int sync_fd)
{
	char program[PATH_MAX];
	struct line *root = find(plan, "rootfs"), *user = find(plan, "user"), *tty = find(plan, "terminal");
	if (!root || !find(plan, "args"))
		DIEX("the plan has no rootfs or no args");
	if (setsid() < 0)
		DIE("setsid");
	stage = "cgroup";
	join_cgroups(plan);
	stage = "namespaces";
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
	stage = "mounts";
	if (unshare_flags & CLONE_NEWNS) {
		const char *rootfs = root->argv[1];
		if (mount(NULL, "/", NULL, number(root->argv[3], 10), NULL) < 0)
			DIE("set the propagation of /");
		/* pivot_root needs the rootfs to be a mount; the storage driver's overlay is one already */
		if (!mount_root(rootfs) && mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
			DIE("bind the rootfs %s onto itself", rootfs);
		int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0)
			DIE("open the rootfs %s", rootfs);
		EACH(plan, "mount", l) do_mount(rootfd, l);
		EACH(plan, "device", l) make_device(rootfd, l);
		EACH(plan, "symlink", l) make_symlink(rootfd, l);
		struct line *cwd = find(plan, "cwd");
		stage = "cwd";
		int workdir = cwd ? open_in_root(rootfd, cwd->argv[1], 0) : -1; /* made when missing, as Docker does */
		if (cwd && workdir < 0)
			DIE("create the working directory %s", cwd->argv[1]);
		if (workdir >= 0)
			close(workdir);
		stage = "terminal";
		if (tty && sync_fd >= 0) {
			open_terminal(rootfd, tty, sync_fd, user ? number(user->argv[1], 10) : 0);
			char target[64];
			int console = open_in_root(rootfd, "/dev/console", 1);
			if (console < 0 || mount("/proc/self/fd/0", fd_path(console, target), NULL, MS_BIND, NULL) < 0)
				DIE("bind the pty on /dev/console");
			close(console);
		}
		stage = "mounts";
		pivot_into(rootfs);
		close(rootfd);
		stage = "sysctl";
		write_sysctls(plan); /* before /proc/sys turns read-only */
		stage = "mounts";
		EACH(plan, "mask", l) mask_path(l->argv[1]);
		EACH(plan, "readonly", l) make_readonly(l->argv[1]);
		if (root->argv[2][0] == '1' &&
		    mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | locked_flags("/"), NULL) < 0)
			DIE("remount the rootfs read-only");
	} else if (chroot(root->argv[1]) < 0 || chdir("/") < 0) {
		DIE("chroot %s", root->argv[1]);
	} else {
		stage = "sysctl";
		write_sysctls(plan);
	}
	stage = "hostname";
	struct line *host = find(plan, "hostname");
	if (host && sethostname(host->argv[1], strlen(host->argv[1])) < 0)
		DIE("sethostname %s", host->argv[1]);
	stage = "rlimits";
	apply_limits(plan);
	stage = "cwd";
	struct line *cwd = find(plan, "cwd");
	if (cwd && chdir(cwd->argv[1]) < 0)
		DIE("chdir to the working directory %s", cwd->argv[1]);
	find_program(plan, program);
	void *seccomp = seccomp_prepare(plan);
	if (sync_fd >= 0)
		await_start(sync_fd);
	become(plan, program, seccomp);
}

/* A process run inside a running container: its namespaces and cgroup, then the same last steps. */
__attribute__((noreturn)) void exec_init(struct plan *plan, pid_t container, int sync_fd)
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
	stage = "namespaces";
	int fds[5];
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "/proc/%d/ns/%s", container, ORDER[i].name);
		if ((fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			DIE("open %s", path);
	}
	stage = "cgroup";
	join_cgroups(plan);
	stage = "namespaces";
	for (int i = 0; i < 5; i++)
		if (setns(fds[i], ORDER[i].flag) < 0)
			DIE("join the container's %s namespace", ORDER[i].name);
	stage = "terminal";
	if (tty) {
		int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0)
			DIE("open /");
		open_terminal(rootfd, tty, sync_fd, user ? number(user->argv[1], 10) : 0);
		close(rootfd);
	}
	stage = "rlimits";
	apply_limits(plan);
	stage = "cwd";
	struct line *cwd = find(plan, "cwd");
	if (chdir(cwd ? cwd->argv[1] : "/") < 0)
		DIE("chdir to the working directory %s", cwd ? cwd->argv[1] : "/");
	find_program(plan, program);
	void *seccomp = seccomp_prepare(plan);
	await_start(sync_fd);
	become(plan, program, seccomp);
}
