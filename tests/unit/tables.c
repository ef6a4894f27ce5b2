// SPDX-License-Identifier: GPL-2.0
/*
 * What the compiler makes of valid input, beyond the path automaton: each
 * role's capabilities, address families, device rules and the state its
 * message queues are matched from; bpfjailer-run's table of roles.
 */
#include <stdlib.h>
#include <string.h>

#include "bpfjailer.h"
#include "caps.h"
#include "check.h"
#include "compile.h"
#include "fixtures.h"
#include "tests.h"

#define EXPECT(cond) check(cond, "tables: %s", #cond)

#define RW (BJ_RIGHT_READ | BJ_RIGHT_WRITE)

/* The capabilities every role keeps unless it lists its own (caps.c). */
#define DEFAULT_CAPS (BJ_BIT(0) | BJ_BIT(1) | BJ_BIT(2) | BJ_BIT(3) | BJ_BIT(4) | BJ_BIT(5) | BJ_BIT(6) | \
		      BJ_BIT(7) | BJ_BIT(8) | BJ_BIT(10) | BJ_BIT(29))
/* AF_UNIX, AF_INET, AF_INET6, AF_NETLINK */
#define DEFAULT_FAMILIES (BJ_BIT(1) | BJ_BIT(2) | BJ_BIT(10) | BJ_BIT(16))

static struct bj_tables *compile_fixture(const struct bj_policy *policy, const char *name)
{
	struct bj_compile_opts opts = { .hash_key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL } };
	struct bj_tables *t = NULL;
	struct bj_diags diags;
	char *printed;

	diags_init(&diags);
	policy_compile(policy, &opts, &t, &diags);
	printed = diags_text(&diags, name);
	if (!check(t && !diags.n, "tables: %s compiles without a diagnostic", name))
		note("%s", printed);
	free(printed);
	diags_free(&diags);
	return t;
}

/* The rights of the one device_rules entry with that key; -1: none, -2: more than one. */
static int device_rights(const struct bj_tables *t, __u32 slot, __u32 type, __u32 major, __u32 minor)
{
	int rights = -1;

	for (size_t i = 0; i < t->n_devices; i++) {
		const struct bj_device_key *k = &t->devices[i].key;

		if (k->role != slot || k->type != type || k->major != major || k->minor != minor)
			continue;
		if (rights >= 0)
			return -2;
		rights = t->devices[i].rights;
	}
	return rights;
}

static size_t device_count(const struct bj_tables *t, __u32 slot)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_devices; i++)
		n += t->devices[i].key.role == slot;
	return n;
}

/* Every built-in pseudo device is open read-write to the role, but what it overrides. */
static bool has_builtins(const struct bj_tables *t, __u32 slot, __u32 major_skip, __u32 minor_skip)
{
	for (size_t i = 0; i < bj_n_builtin_devices; i++) {
		const struct bj_builtin_device *b = &bj_builtin_devices[i];

		if (b->major == major_skip && b->minor == minor_skip)
			continue;
		if (device_rights(t, slot, b->type, b->major, b->minor) != RW)
			return false;
	}
	return true;
}

static void check_listed(const struct bj_tables *t)
{
	const struct bj_role_entry *r = &t->roles[1];
	const struct bj_state *mq;

	/* listed, plus allow_ptrace's and allow_bpf_load's; not the default set */
	EXPECT(r->caps == (BJ_BIT(13) | BJ_BIT(21) | BJ_BIT(40) | BJ_BIT(19) | BJ_BIT(38) | BJ_BIT(39)));
	/* AF_LOCAL is AF_UNIX, already a default */
	EXPECT(r->families == (DEFAULT_FAMILIES | BJ_BIT(17) | BJ_BIT(40) | BJ_BIT(45) | BJ_BIT(12)));
	EXPECT(r->flags == (BJ_FLAG_PTRACE | BJ_FLAG_BPF_LOAD | BJ_FLAG_KERNEL_TUNABLES | BJ_FLAG_ABSTRACT_UNIX));
	EXPECT(device_rights(t, 1, BJ_DEV_CHAR, 10, 200) == RW);
	EXPECT(device_rights(t, 1, BJ_DEV_BLOCK, 8, BJ_DEV_ANY_MINOR) == BJ_RIGHT_READ);
	EXPECT(device_rights(t, 1, BJ_DEV_CHAR, 4095, 1048575) == BJ_RIGHT_WRITE);
	EXPECT(device_rights(t, 1, BJ_DEV_CHAR, 10, 0) == BJ_RIGHT_WRITE);
	/* listing /dev/null itself replaces the built-in read-write entry */
	EXPECT(device_rights(t, 1, BJ_DEV_CHAR, 1, 3) == BJ_RIGHT_READ);
	EXPECT(has_builtins(t, 1, 1, 3));
	EXPECT(device_count(t, 1) == 5 + bj_n_builtin_devices - 1);

	/* queues are matched by the rule on /dev/mqueue */
	EXPECT(r->path_start && r->mqueue_state && r->mqueue_state < t->n_states);
	if (r->mqueue_state && r->mqueue_state < t->n_states) {
		mq = &t->states[r->mqueue_state];
		EXPECT(BJ_VERDICT_ALLOW(mq->verdict) == RW && BJ_VERDICT_DECIDED(mq->verdict) == BJ_RIGHTS_FILE);
	}
}

static void check_others(const struct bj_tables *t)
{
	const struct bj_role_entry *defaults = &t->roles[2], *none = &t->roles[3], *denied = &t->roles[4];

	/* the default set, plus allow_module_load's; allow_setuid's are in it already */
	EXPECT(defaults->caps == (DEFAULT_CAPS | BJ_BIT(16)));
	EXPECT(defaults->families == DEFAULT_FAMILIES);
	EXPECT(has_builtins(t, 2, 0, 0) && device_count(t, 2) == bj_n_builtin_devices);
	EXPECT(device_rights(t, 2, BJ_DEV_CHAR, 136, BJ_DEV_ANY_MINOR) == RW &&
	       device_rights(t, 2, BJ_DEV_CHAR, 143, BJ_DEV_ANY_MINOR) == RW &&
	       device_rights(t, 2, BJ_DEV_CHAR, 144, BJ_DEV_ANY_MINOR) == -1);
	/* rules elsewhere only: no rule can match a queue */
	EXPECT(defaults->path_start && !defaults->mqueue_state);

	/* an empty list is an empty set; the families are still the defaults */
	EXPECT(none->caps == 0 && none->families == DEFAULT_FAMILIES);
	EXPECT(has_builtins(t, 3, 0, 0) && device_count(t, 3) == bj_n_builtin_devices);
	EXPECT(!none->path_start && !none->mqueue_state);

	/* "/" decides read, the deny rule on /dev/mqueue write */
	EXPECT(denied->mqueue_state && denied->mqueue_state < t->n_states);
	if (denied->mqueue_state && denied->mqueue_state < t->n_states)
		EXPECT(BJ_VERDICT_ALLOW(t->states[denied->mqueue_state].verdict) == BJ_RIGHT_READ);
	EXPECT(t->n_devices == device_count(t, 1) + 3 * bj_n_builtin_devices);
}

/*
 * launch.json: every role by key, the listed ones launchable with their pod
 * (none: 0); no files looked up, so no launcher's inode.
 */
static void check_launches(const struct bj_tables *t)
{
	static const char *const keys[] = { "web", "batch", "db" };
	static const __u64 pods[] = { 80, 0, 0 };

	if (!EXPECT(t->n_launches == 3))
		return;
	for (__u32 i = 0; i < 3; i++) {
		const struct bj_launch_entry *e = &t->launches[i];
		char key[BJ_ROLE_NAME_LEN] = { 0 };

		strcpy(key, keys[i]);
		check(!memcmp(e->key, key, sizeof(key)) && e->value.role == i + 1 && e->value.pod_id == pods[i],
		      "tables: launch_roles[%u] is %s, slot %u, pod %llu", i, keys[i], i + 1,
		      (unsigned long long)pods[i]);
	}
	EXPECT(t->roles[1].flags & BJ_FLAG_LAUNCHABLE);
	EXPECT(!(t->roles[2].flags & BJ_FLAG_LAUNCHABLE));
	EXPECT(t->roles[3].flags & BJ_FLAG_LAUNCHABLE);
	EXPECT(!t->launcher.dev && !t->launcher.ino);
}

void test_tables(const char *dir)
{
	struct bj_policy *p = parse_fixture(dir, "privileges.json");
	struct bj_tables *t = NULL;

	if (p && EXPECT(p->n_roles == 4))
		t = compile_fixture(p, "privileges.json");
	if (t && EXPECT(t->n_roles == 5)) {
		check_listed(t);
		check_others(t);
		/* no launch enrollment: no table, nothing launchable */
		EXPECT(!t->n_launches && !(t->roles[1].flags & BJ_FLAG_LAUNCHABLE));
	}
	tables_free(t);
	policy_free(p);

	p = parse_fixture(dir, "launch.json");
	t = p ? compile_fixture(p, "launch.json") : NULL;
	if (t && EXPECT(t->n_roles == 4))
		check_launches(t);
	tables_free(t);
	policy_free(p);
}
