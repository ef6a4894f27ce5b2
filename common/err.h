/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One way to fail. Every message on stderr is one line, "PROGRAM: WHAT"
 * or "PROGRAM: WHAT: WHY", written in one go.
 *
 * Errors are negative errnos, as the kernel and libbpf return them: a
 * failed call's errno is captured (err = -errno) before anything else can
 * change it, printing included, and the helpers take and return that
 * value, so that what is printed and what is returned are the same error.
 *
 * Out of memory is an error like any other: reported once through
 * bj_oom() and unwound, never a reason to abort (there is no xmalloc). The
 * bootstrap must remove what it has pinned before it exits, or half an
 * instance would stay behind, and the forwarder keeps running: a record it
 * has no memory to keep is counted as lost and reported as such.
 */
#pragma once

/*
 * The program's name, defined once by each program: messages name the
 * program, not the file it runs from (a sealed instance runs the forwarder
 * from its forwarder_path, under any name).
 */
extern const char bj_program[];

/* "PROGRAM: WHAT: strerror(-err)"; returns err, a negative errno. */
int bj_err(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * "PROGRAM: WHAT", for failures with no errno, or whose reason is not at
 * the end of the message (then given by the caller, from its captured
 * error); returns ret, the caller's error or exit code.
 */
int bj_fail(int ret, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "PROGRAM: WHAT", not a failure: what --verbose adds. */
void bj_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "PROGRAM: what: out of memory", or "PROGRAM: out of memory" when what is NULL; returns -ENOMEM. */
int bj_oom(const char *what);
