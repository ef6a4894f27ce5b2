// SPDX-License-Identifier: GPL-2.0
/*
 * Audit records: taking this CPU's record and filling in its header, a
 * global function (audit.bpf.h) that every program calls wherever it
 * makes a record.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "audit.bpf.h"
#include "maps.bpf.h"

__noinline int bj_audit_begin(const struct bj_jail *jail, const struct bj_role_entry *role, __u32 hook,
			      __u32 decision, __u32 access)
{
	__u32 zero = 0;
	struct audit_buf *buf = bpf_map_lookup_elem(&audit_buf, &zero);

	if (!buf || __sync_lock_test_and_set(&buf->busy, 1)) {
		count_lost();
		return 0;
	}
	audit_header(&buf->rec, jail, role, hook, decision, access);
	return 1;
}
