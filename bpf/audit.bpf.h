/* SPDX-License-Identifier: GPL-2.0 */
/* Audit records: built per CPU, sent to the perf event array, losses counted. */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "maps.bpf.h"

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *lost = bpf_map_lookup_elem(&audit_lost, &zero);

	if (lost)
		__sync_fetch_and_add(lost, 1);
}

static __always_inline void count_decision(__u32 hook, __u32 decision)
{
	__u32 idx = BJ_DECISION_INDEX(hook, decision);
	__u64 *n = bpf_map_lookup_elem(&decisions, &idx);

	if (n)
		__sync_fetch_and_add(n, 1);
}

/*
 * Take this CPU's record and fill in who and what, or return 0 (and count
 * the loss) if none can be built now (audit.bpf.c: a global function, so
 * a program that makes records at several places verifies this once).
 */
extern int bj_audit_begin(const struct bj_jail *jail, const struct bj_role_entry *role, __u32 hook,
			  __u32 decision, __u32 access);

/* Start a record, or NULL (and the loss counted) if none can be built now. */
static __always_inline struct bj_audit_record *audit_begin(const struct bj_jail *jail,
							   const struct bj_role_entry *role,
							   __u16 hook, __u8 decision, __u32 access)
{
	__u32 zero = 0;
	struct audit_buf *buf;

	if (!bj_audit_begin(jail, role, hook, decision, access))
		return NULL;
	/* Found by bj_audit_begin() a moment ago: a per-CPU array's one entry is always there. */
	buf = bpf_map_lookup_elem(&audit_buf, &zero);
	return buf ? &buf->rec : NULL;
}

/* bj_audit_begin()'s work: the record's header, in the buffer taken. */
static __always_inline void audit_header(struct bj_audit_record *rec, const struct bj_jail *jail,
					 const struct bj_role_entry *role, __u16 hook, __u8 decision,
					 __u32 access)
{
	__u64 id;

	id = bpf_get_current_pid_tgid();
	rec->time_ns = bpf_ktime_get_boot_ns();
	rec->cgroup_id = bpf_get_current_cgroup_id();
	rec->pod_id = jail ? jail->pod_id : 0;
	rec->pid = id >> 32;
	rec->tid = (__u32)id;
	rec->uid = (__u32)bpf_get_current_uid_gid();
	rec->role_id = role ? role->id : 0;
	rec->role = jail ? jail->role : 0;
	rec->hook = hook;
	rec->decision = decision;
	rec->object = BJ_OBJ_NONE;
	rec->access = access;
	bpf_get_current_comm(rec->comm, sizeof(rec->comm));
	__builtin_memset(&rec->net, 0, sizeof(rec->net));
	rec->path_len = 0;
	rec->path_kind = 0;
	rec->path_truncated = 0;
}

static __always_inline void audit_send(void *ctx, struct bj_audit_record *rec)
{
	struct audit_buf *buf = (void *)rec - __builtin_offsetof(struct audit_buf, rec);
	__u32 size = sizeof(*rec) - BJ_PATH_MAX + (rec->path_len & (BJ_PATH_MAX - 1));

	if (bpf_perf_event_output(ctx, &audit_events, BPF_F_CURRENT_CPU, rec, size))
		count_lost();
	buf->busy = 0; /* a plain store: the record is out, nobody else on this CPU is mid-way */
}

/*
 * Put the path of (jt->walk_dentry, jt->walk_mnt) in buf's record,
 * collecting it if the check did not (path.bpf.c: a global function, which
 * the verifier checks once per program however many records a program
 * makes). It takes the whole buffer: the last component may spill.
 */
extern int bj_audit_path(struct audit_buf *buf, struct jail_task *jt);

/* Put the path of (d, mnt) in the record. */
static __always_inline void audit_path(struct bj_audit_record *rec, struct jail_task *jt,
				       struct dentry *d, struct vfsmount *mnt)
{
	jt->walk_dentry = (__u64)d;
	jt->walk_mnt = (__u64)mnt;
	bj_audit_path((void *)rec - __builtin_offsetof(struct audit_buf, rec), jt);
}
