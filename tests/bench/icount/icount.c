// SPDX-License-Identifier: GPL-2.0
/*
 * icount: a qemu TCG plugin that counts the guest instructions executed
 * between the markers of ../icount.h and writes one line per interval to
 * the file named by its "out" argument (see README.md here):
 *
 *   qemu-system-x86_64 -smp 1 -plugin libicount.so,out=FILE ...
 *
 * A line is the count of one interval, in the order the intervals ended, or
 * "error: ..." where an interval has no count (it stands in its place).
 *
 * How: every instruction but a marker gets an inline "add 1" to one counter,
 * generated before the instruction itself: no call, and exact even when a
 * translated block is left halfway (a fault), which counting per block would
 * not be. A marker gets a callback instead, which reads the counter: markers
 * count nothing. Inline ops are not per vCPU in this API (qemu 7.2) and not
 * atomic, hence exactly one vCPU: then the counter is only ever touched by
 * that vCPU's thread, and an interval includes whatever that vCPU ran in it
 * (interrupts, the kernel, other tasks), which is what we measure.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <qemu-plugin.h>

#include "../icount.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

static const uint8_t begin_marker[] = {BJ_ICOUNT_BEGIN_BYTES};
static const uint8_t end_marker[] = {BJ_ICOUNT_END_BYTES};
_Static_assert(sizeof(begin_marker) == sizeof(end_marker), "markers of one size");

static uint64_t executed; /* instructions, markers excepted, since qemu started */
static uint64_t begun_at; /* executed at the begin marker of the open interval */
static bool inside;       /* an interval is open */

static const char *out_path;
static FILE *out;
static bool out_failed;

/* One line to the output file, flushed: qemu may be killed at any time. */
__attribute__((format(printf, 1, 2)))
static void emit(const char *fmt, ...)
{
	va_list ap;
	int ok;

	va_start(ap, fmt);
	ok = vfprintf(out, fmt, ap) >= 0 && fputc('\n', out) != EOF && fflush(out) == 0;
	va_end(ap);
	/* Said once, on qemu's stderr; the file then lacks lines, which its
	 * reader notices by counting them. */
	if (!ok && !out_failed) {
		fprintf(stderr, "icount: %s: write failed: %s\n", out_path, strerror(errno));
		out_failed = true;
	}
}

static void on_begin(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	if (inside)
		emit("error: begin inside an interval, which therefore has no count");
	inside = true;
	begun_at = executed;
}

static void on_end(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	if (!inside) {
		emit("error: end outside an interval");
		return;
	}
	inside = false;
	emit("%" PRIu64, executed - begun_at);
}

static bool is(const struct qemu_plugin_insn *insn, const uint8_t *marker)
{
	return qemu_plugin_insn_size(insn) == sizeof(begin_marker) &&
	       memcmp(qemu_plugin_insn_data(insn), marker, sizeof(begin_marker)) == 0;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		if (is(insn, begin_marker))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_begin, QEMU_PLUGIN_CB_NO_REGS, NULL);
		else if (is(insn, end_marker))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_end, QEMU_PLUGIN_CB_NO_REGS, NULL);
		else
			qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
								   &executed, 1);
	}
}

static void on_qemu_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	if (inside)
		emit("error: no end before qemu exited");
	if (fclose(out) != 0 && !out_failed)
		fprintf(stderr, "icount: %s: write failed: %s\n", out_path, strerror(errno));
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "out=", 4) != 0) {
			fprintf(stderr, "icount: %s: unknown argument (it takes out=FILE)\n", argv[i]);
			return -1;
		}
		out_path = argv[i] + 4;
	}
	if (!out_path || !*out_path) {
		fprintf(stderr, "icount: needs out=FILE, the file to write the counts to\n");
		return -1;
	}
	if (strcmp(info->target_name, "x86_64") != 0) {
		fprintf(stderr, "icount: guest %s: its markers are x86-64 instructions\n",
			info->target_name);
		return -1;
	}
	if (!info->system_emulation || info->system.max_vcpus != 1) {
		fprintf(stderr, "icount: needs a system guest with exactly one vCPU (-smp 1; "
			"tests/vm/run: BJ_VM_CPUS=1): its one counter is not per vCPU\n");
		return -1;
	}
	out = fopen(out_path, "we");
	if (!out) {
		fprintf(stderr, "icount: %s: %s\n", out_path, strerror(errno));
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
	return 0;
}
