/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The certificates of signing_certificates, read from their files: PEM
 * (each CERTIFICATE block) or DER. --check reads them as a load does, so
 * an unreadable or malformed one fails both, with its place in the policy.
 */
#pragma once

#include <stddef.h>

#include "diag.h"
#include "policy.h"

/* One certificate's DER bytes. */
struct der {
	unsigned char *data;
	size_t len;
};

/*
 * Every certificate of cert's file, below root_fd (host_open()), into *out
 * (*n of them, at least one); free with ders_free(). -1 after an error,
 * which why (size bytes) says.
 */
int certificate_read(const struct bj_certificate *cert, int root_fd, struct der **out, size_t *n, char *why,
		     size_t size);
void ders_free(struct der *ders, size_t n);

/* Read every certificate of the policy, for the errors alone. 0, or -1 after adding an error to diags. */
int certificates_check(const struct bj_policy *policy, int root_fd, struct bj_diags *diags);
