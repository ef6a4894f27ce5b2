/* SPDX-License-Identifier: GPL-2.0 */
/* Audit records: built per CPU, sent to the perf event array, losses counted. */
#pragma once

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "maps.bpf.h"
#include "path.bpf.h"

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

/* Start a record, or NULL (and the loss counted) if none can be built now. */
static __always_inline struct bj_audit_record *audit_begin(const struct bj_jail *jail,
							   const struct bj_role_entry *role,
							   __u16 hook, __u8 decision, __u32 access)
{
	__u32 zero = 0;
	struct audit_buf *buf = bpf_map_lookup_elem(&audit_buf, &zero);
	struct bj_audit_record *rec;
	__u64 id;

	if (!buf || __sync_lock_test_and_set(&buf->busy, 1)) {
		count_lost();
		return NULL;
	}
	rec = &buf->rec;
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
	return rec;
}

static __always_inline void audit_send(void *ctx, struct bj_audit_record *rec)
{
	struct audit_buf *buf = (void *)rec - __builtin_offsetof(struct audit_buf, rec);
	__u32 size = sizeof(*rec) - BJ_PATH_MAX + (rec->path_len & (BJ_PATH_MAX - 1));

	if (bpf_perf_event_output(ctx, &audit_events, BPF_F_CURRENT_CPU, rec, size))
		count_lost();
	buf->busy = 0; /* a plain store: the record is out, nobody else on this CPU is mid-way */
}

struct path_write_ctx {
	struct jail_task *jt;
	struct bj_audit_record *rec;
	__u32 off;
};

static long path_write_step(__u32 i, void *data)
{
	struct path_write_ctx *pw = data;
	struct jail_task *jt = pw->jt;
	struct bj_audit_record *rec = pw->rec;
	__u32 idx = (jt->depth - 1 - i) & (BJ_MAX_DEPTH - 1);
	__u32 len = jt->lens[idx] & BJ_NAME_MAX;
	__u32 off = pw->off;

	if (off + 1 + len > BJ_PATH_MAX - 1) {
		rec->path_truncated = 1;
		return 1;
	}
	rec->path[off & (BJ_PATH_MAX - 1)] = '/';
	bpf_probe_read_kernel(&rec->path[(off + 1) & (BJ_PATH_MAX - 1)], len, jt->names[idx]);
	pw->off = off + 1 + len;
	return 0;
}

/* Put the path of (d, mnt) in the record, collecting it if the check did not. */
static __always_inline void audit_path(struct bj_audit_record *rec, struct jail_task *jt,
				       struct dentry *d, struct vfsmount *mnt)
{
	struct path_write_ctx pw = { .jt = jt, .rec = rec, .off = opaque_zero };

	if (jt->kind == PATH_NOT_WALKED)
		walk_path(jt, d, mnt);
	rec->object = BJ_OBJ_PATH;
	rec->path_kind = jt->kind;
	if (!jt->depth) {
		rec->path[0] = '/';
		rec->path_len = 1;
		return;
	}
	bpf_loop(jt->depth, path_write_step, &pw, 0);
	rec->path_len = pw.off;
}
