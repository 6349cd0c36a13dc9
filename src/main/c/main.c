/*
 * berth-init's modes (see berth-init.h for the plan, monitor.c for what create and exec leave running):
 *   berth-init create <state-dir>                   container plan on stdin
 *   berth-init exec <container-state-dir> <state-dir>   exec plan on stdin (no ns/rootfs/mount/... directives)
 *   berth-init run <plan-file>                      foreground: create, start, wait; stdio inherited
 */
#include "berth-init.h"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

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
