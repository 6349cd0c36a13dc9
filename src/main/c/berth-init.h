/*
 * berth-init: the native half of Berth's container runtime, one binary built from the files of this directory:
 *
 *   main.c       the modes (create, exec, run)
 *   common.c     errors, the plan, small helpers shared by all
 *   container.c  the container's first process (and an exec'd one): namespaces, mounts, user, capabilities, exec
 *   monitor.c    the monitor that stays the process's parent: stdio, attach server, json-file log, exit status
 *   seccomp.c    the process's seccomp filter, with libseccomp
 *   delegate.c   DELEGATE mode: another OCI runtime (runc, crun) makes the process, the monitor keeps the rest
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
 *   seccomp <default action> <errno> [flag...]   a seccomp filter (seccomp.c), with its architectures and rules:
 *   seccomp-arch <architecture>
 *   seccomp-rule <action> <errno> <syscall> [<argument> <operator> <value> <value two>]...
 *   cwd <path>
 *   env <NAME=value>                            one a line
 *   args <arg0> [arg...]
 *   terminal <rows> <cols>                      a pty instead of pipes
 *   stdin <open|null>                           a pipe the monitor feeds from attach clients, or /dev/null
 *   delegate-create <arg0> [arg...]             DELEGATE (delegate.c): another runtime's create of the container
 *   delegate-start <arg0> [arg...]              DELEGATE: its start of the container's program
 *   delegate-exec <arg0> [arg...]               DELEGATE: its (detached) exec of a process in a container
 *
 * A failure is reported as "<stage> <errno name, or -> <text>": what the process was doing (cgroup, namespaces,
 * mounts, cwd, lookup, user, capabilities, exec, ...; runtime for the error of a delegated runtime's command), the
 * errno that made it fail, and a sentence for people. Java decides what it means (the exit code Docker gives it).
 */
#ifndef BERTH_INIT_H
#define BERTH_INIT_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* ---------------------------------------------------------------------------------------------------------- */
/* Errors: every failure names its step and errno and goes back to whoever waits for this process.           */

extern int report_fd;   /* where "E <failure>" goes: the caller's status pipe or the monitor's sync socket */
extern int fail_status; /* the exit status of a process that failed */
extern const char *stage; /* what the process is doing: the stage a failure reports */

/* Sends a message of kind 'E' (error), 'W' (warning) or 'P' to report_fd, or prints it on stderr. */
void report(char kind, const char *text);
/* Reports the failure of the current stage (errno's name and text with it when with_errno), exits fail_status. */
__attribute__((noreturn, format(printf, 2, 3))) void fail(int with_errno, const char *fmt, ...);
/* A failure caused by error, whose text the message already says in its own words. */
__attribute__((noreturn, format(printf, 2, 3))) void fail_errno(int error, const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void warn(const char *fmt, ...);
#define DIE(...) fail(1, __VA_ARGS__)
#define DIEX(...) fail(0, __VA_ARGS__)

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

void parse_plan(char *text, struct plan *plan);
/* The first line with this directive, or NULL. */
struct line *find(struct plan *plan, const char *name);
#define EACH(plan, name, l) \
	for (struct line *l = (plan)->lines; l < (plan)->lines + (plan)->count; l++) \
		if (strcmp(l->argv[0], name) == 0)

/* ---------------------------------------------------------------------------------------------------------- */
/* Small helpers (common.c)                                                                                   */

void *xmalloc(size_t size);
unsigned long long number(const char *text, int base);
char *read_all(int fd, const char *what);
void write_file(const char *path, const char *content);
void write_atomically(const char *name, const char *content);
void now_rfc3339(char *out, size_t size);
int send_message(int sock, char kind, const char *text, int fd);
ssize_t receive_message(int sock, char *buf, size_t size, int *fd);
void reset_signals(void);
void close_fd(int *fd);

/* ---------------------------------------------------------------------------------------------------------- */
/* The process (container.c)                                                                                  */

int ns_flag(const char *type);
void join_namespace(const char *path, int flag);
/* The container's first process, inside the new pid namespace; sync_fd < 0 in run mode (no monitor). */
__attribute__((noreturn)) void container_init(struct plan *plan, int sync_fd);
/* A process run inside the running container whose first process is container. */
__attribute__((noreturn)) void exec_init(struct plan *plan, pid_t container, int sync_fd);

/* The filter the plan's seccomp directives describe, built but not loaded; NULL when there are none (seccomp.c). */
void *seccomp_prepare(struct plan *plan);
void seccomp_apply(void *filter);

/* ---------------------------------------------------------------------------------------------------------- */
/* The monitor (monitor.c)                                                                                    */

/* Forks the monitor of a container (container 0) or of an exec into container; see monitor.c. */
int launch(struct plan *plan, const char *state_dir, pid_t container, int with_log);

#endif
