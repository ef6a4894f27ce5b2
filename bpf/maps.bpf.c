// SPDX-License-Identifier: GPL-2.0
/*
 * Every map and global of the jail, defined once: the other objects
 * declare them through maps.bpf.h and the static linker (bpftool gen
 * object) joins them into one object and one skeleton.
 */
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u64 hash_k0;
const volatile __u64 hash_k1;
const volatile __u32 cgroup_start;
const volatile __u32 sockets_start;
const volatile __u32 n_roles;
const volatile __u32 n_cgroups;
const volatile __u8 sealed;
const volatile __u32 pin_dev;
const volatile __u32 seal_mnt_ns;
const volatile __u32 forwarder_dev;
const volatile __u64 forwarder_ino;
const volatile __u32 launcher_dev;
const volatile __u64 launcher_ino;
const volatile __u8 dir_cache;
const volatile __u8 typed_casts;
const volatile __u8 xattr_enrolls;
const volatile __u8 signing;
const volatile __s32 signing_keyring;
const volatile __u32 signing_system;
__u32 opaque_zero;
__u32 dirs_remembered;

struct jails_map jails SEC(".maps");
struct sock_jails_map sock_jails SEC(".maps");
struct signatures_map signatures SEC(".maps");
struct sig_buffers_map sig_buffers SEC(".maps");
struct ipc_jails_map ipc_jails SEC(".maps");
struct roles_map roles SEC(".maps");
struct role_names_map role_names SEC(".maps");
struct identity_map identity SEC(".maps");
struct enrolled_files_map enrolled_files SEC(".maps");
struct path_states_map path_states SEC(".maps");
struct path_edges_map path_edges SEC(".maps");
struct dir_states_map dir_states SEC(".maps");
struct port_rules_map port_rules SEC(".maps");
struct ip_rules_map ip_rules SEC(".maps");
struct device_rules_map device_rules SEC(".maps");
struct exec_enroll_map exec_enroll SEC(".maps");
struct own_files_map own_files SEC(".maps");
struct cgroup_enroll_map cgroup_enroll SEC(".maps");
struct xattr_enroll_map xattr_enroll SEC(".maps");
struct launch_roles_map launch_roles SEC(".maps");
struct own_objects_map own_objects SEC(".maps");
struct pin_inodes_map pin_inodes SEC(".maps");
struct audit_events_map audit_events SEC(".maps");
struct audit_lost_map audit_lost SEC(".maps");
struct audit_reported_map audit_reported SEC(".maps");
struct decisions_map decisions SEC(".maps");
struct audit_buf_map audit_buf SEC(".maps");
