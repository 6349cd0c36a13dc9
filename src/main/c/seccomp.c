/*
 * The seccomp filter of the plan's seccomp directives, built with libseccomp:
 *
 *   seccomp <default action> <errno> [flag...]   starts the filter; flags: tsync, log, spec_allow
 *   seccomp-arch <architecture>                   libseccomp's name (x86_64, x86, x32, aarch64, ...)
 *   seccomp-rule <action> <errno> <system call> [<argument> <operator> <value> <value two>]...
 *
 * Actions: allow, errno, kill_thread, kill_process, trap, trace, log (errno: what errno and trace return, else 0);
 * operators: ne, lt, le, eq, ge, gt, masked_eq (the argument masked with value equals value two). A system call
 * libseccomp does not know is left out, as runc leaves it out: profiles name calls of every kernel. Java has made
 * every other decision (which rules apply to this container, how conditions group into rules).
 *
 * The filter is built before the process reports ready, so that a bad one fails the create, and loaded at the end:
 * with no_new_privs as the very last step before exec; without, before the capabilities are dropped, since loading a
 * filter then needs CAP_SYS_ADMIN (runc orders it the same way). Berth sets no_new_privs itself, only when asked.
 */
#include "berth-init.h"

#include <seccomp.h>

static uint32_t action(const char *name, const char *errno_text)
{
	uint16_t error = number(errno_text, 10);
	if (strcmp(name, "allow") == 0)
		return SCMP_ACT_ALLOW;
	if (strcmp(name, "errno") == 0)
		return SCMP_ACT_ERRNO(error);
	if (strcmp(name, "kill_thread") == 0)
		return SCMP_ACT_KILL_THREAD;
	if (strcmp(name, "kill_process") == 0)
		return SCMP_ACT_KILL_PROCESS;
	if (strcmp(name, "trap") == 0)
		return SCMP_ACT_TRAP;
	if (strcmp(name, "trace") == 0)
		return SCMP_ACT_TRACE(error);
	if (strcmp(name, "log") == 0)
		return SCMP_ACT_LOG;
	DIEX("unknown seccomp action %s", name);
}

static enum scmp_compare operator(const char *name)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} OPERATORS[] = {{"ne", SCMP_CMP_NE}, {"lt", SCMP_CMP_LT}, {"le", SCMP_CMP_LE}, {"eq", SCMP_CMP_EQ},
			 {"ge", SCMP_CMP_GE}, {"gt", SCMP_CMP_GT}, {"masked_eq", SCMP_CMP_MASKED_EQ}};
	for (size_t i = 0; i < sizeof OPERATORS / sizeof OPERATORS[0]; i++)
		if (strcmp(OPERATORS[i].name, name) == 0)
			return OPERATORS[i].op;
	DIEX("unknown seccomp operator %s", name);
}

static void set_flag(scmp_filter_ctx ctx, const char *flag)
{
	enum scmp_filter_attr attr = strcmp(flag, "tsync") == 0 ? SCMP_FLTATR_CTL_TSYNC
				     : strcmp(flag, "log") == 0   ? SCMP_FLTATR_CTL_LOG
				     : strcmp(flag, "spec_allow") == 0 ? SCMP_FLTATR_CTL_SSB
								       : _SCMP_FLTATR_MIN;
	if (attr == _SCMP_FLTATR_MIN)
		DIEX("unknown seccomp flag %s", flag);
	int rc = seccomp_attr_set(ctx, attr, 1);
	if (rc < 0)
		fail_errno(-rc, "seccomp flag %s: %s", flag, strerror(-rc));
}

static void add_rule(scmp_filter_ctx ctx, struct line *l)
{
	struct scmp_arg_cmp args[6];
	int nargs = (l->argc - 4) / 4;
	if ((l->argc - 4) % 4 != 0 || nargs > 6)
		DIEX("seccomp-rule for %s: conditions come in fours, at most six", l->argv[3]);
	int call = seccomp_syscall_resolve_name(l->argv[3]);
	if (call == __NR_SCMP_ERROR)
		return;
	for (int i = 0; i < nargs; i++) {
		char **c = l->argv + 4 + 4 * i;
		args[i] = (struct scmp_arg_cmp){.arg = number(c[0], 10), .op = operator(c[1]),
						.datum_a = number(c[2], 10), .datum_b = number(c[3], 10)};
	}
	int rc = seccomp_rule_add_array(ctx, action(l->argv[1], l->argv[2]), call, nargs, args);
	if (rc < 0)
		fail_errno(-rc, "seccomp rule for %s: %s", l->argv[3], strerror(-rc));
}

void *seccomp_prepare(struct plan *plan)
{
	struct line *first = find(plan, "seccomp");
	if (!first)
		return NULL;
	stage = "seccomp";
	scmp_filter_ctx ctx = seccomp_init(action(first->argv[1], first->argv[2]));
	if (!ctx)
		DIEX("seccomp_init failed");
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (rc < 0)
		fail_errno(-rc, "seccomp: leave no_new_privs alone: %s", strerror(-rc));
	for (int i = 3; i < first->argc; i++)
		set_flag(ctx, first->argv[i]);
	EACH(plan, "seccomp-arch", l) {
		uint32_t arch = seccomp_arch_resolve_name(l->argv[1]);
		if (arch == 0)
			DIEX("unknown seccomp architecture %s", l->argv[1]);
		rc = seccomp_arch_add(ctx, arch);
		if (rc < 0 && rc != -EEXIST)
			fail_errno(-rc, "seccomp architecture %s: %s", l->argv[1], strerror(-rc));
	}
	EACH(plan, "seccomp-rule", l) add_rule(ctx, l);
	return ctx;
}

void seccomp_apply(void *filter)
{
	stage = "seccomp";
	int rc = seccomp_load(filter);
	if (rc < 0)
		fail_errno(-rc, "load the seccomp filter: %s", strerror(-rc));
}
