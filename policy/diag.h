/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diagnostics about a policy: errors and warnings that name the file, line,
 * column and JSON path, so that a person can go straight to the mistake.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct bj_loc {
	unsigned line;   /* 1-based; 0 when unknown */
	unsigned column; /* 1-based, in characters */
	unsigned file;   /* which file of a policy made of several: 0 the main one (bj_diags.files) */
};

enum bj_severity {
	BJ_ERROR,
	BJ_WARNING,
};

struct bj_diag {
	enum bj_severity severity;
	struct bj_loc loc;
	char *path;    /* JSON path, "roles.webserver.network_rules[2].port_end"; "" for the document */
	char *message; /* "70000 is not a port" */
};

struct bj_diags {
	struct bj_diag *items;
	size_t n;
	size_t cap;
	size_t n_errors;
	/* A policy of several files (fragments): their names by bj_loc.file, set by the parse; else NULL */
	char **files;
	size_t n_files;
};

void diags_init(struct bj_diags *diags);
void diags_free(struct bj_diags *diags);

/* Append one diagnostic. Allocation failure aborts: diagnostics are never lost. */
void diags_add(struct bj_diags *diags, enum bj_severity severity, struct bj_loc loc,
	       const char *path, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Put the diagnostics from first on in the order of the file, those at one
 * place in the order they were added: checks that compare values report
 * after the later of them.
 */
void diags_sort(struct bj_diags *diags, size_t first);

/* Name the files a policy's locations are in (copies them). 0, or -ENOMEM: the names stay as they were. */
int diags_set_files(struct bj_diags *diags, const char *const *files, size_t n);

/* The file d is about: its name from diags_set_files(), else origin. */
const char *diags_file(const struct bj_diags *diags, const struct bj_diag *d, const char *origin);

/* Make every warning an error (--strict). */
void diags_promote_warnings(struct bj_diags *diags);

/* "FILE:LINE:COL: error: PATH: MESSAGE", one line each; FILE is origin unless diags names its files. */
void diags_print(const struct bj_diags *diags, const char *origin, FILE *out);
