// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpfjailer.h"
#include "certificates.h"
#include "err.h"
#include "keyring.h"

/*
 * What anyone may do with the keyring once filled: view, read and search
 * it, nothing else; without setattr, for good (keyctl(2)'s permission
 * bits, which no uapi header names: possessor, then owner).
 */
#define KEYRING_PERM 0x0b0b0000u

static long add_key(const char *type, const char *description, const void *payload, size_t len, int32_t keyring)
{
	return syscall(SYS_add_key, type, description, payload, len, keyring);
}

static long keyctl(int op, unsigned long a, unsigned long b, unsigned long c)
{
	return syscall(SYS_keyctl, op, a, b, c, 0);
}

static void describe(char *buf, size_t size, const char *pin_root)
{
	snprintf(buf, size, "bpfjailer:%s", pin_root);
}

/* Add every certificate of cert to keyring: 0, or a BJ_EXIT_* code after saying why. */
static int add_certificate(const struct bj_policy *policy, const struct bj_certificate *cert, int32_t keyring)
{
	struct der *ders;
	char why[256];
	size_t n;
	int ret = BJ_EXIT_OK;

	if (certificate_read(cert, AT_FDCWD, &ders, &n, why, sizeof(why)))
		return bj_fail(BJ_EXIT_USAGE, "%s:%u:%u: %s: certificate %s: %s", policy->origin, cert->loc.line,
			       cert->loc.column, cert->json_path, cert->path, why);
	for (size_t i = 0; i < n && !ret; i++)
		if (add_key("asymmetric", "", ders[i].data, ders[i].len, keyring) < 0)
			ret = bj_fail(errno == EBADMSG || errno == EINVAL || errno == ENOPKG ? BJ_EXIT_USAGE :
				      BJ_EXIT_LOAD_FAILED, "%s:%u:%u: %s: certificate %s: the kernel refuses it: %s",
				      policy->origin, cert->loc.line, cert->loc.column, cert->json_path, cert->path,
				      errno == EBADMSG ? "not an X.509 certificate it can read" : strerror(errno));
	ders_free(ders, n);
	return ret;
}

int keyring_make(const struct bj_policy *policy, const char *pin_root, int32_t *serial)
{
	char description[256];
	long keyring;
	int ret = BJ_EXIT_OK;

	*serial = 0;
	if (!policy->n_certificates)
		return BJ_EXIT_OK;
	describe(description, sizeof(description), pin_root);
	keyring = add_key("keyring", description, NULL, 0, KEY_SPEC_USER_KEYRING);
	if (keyring < 0)
		return bj_fail(BJ_EXIT_LOAD_FAILED, "make the keyring %s: %s", description, strerror(errno));
	for (size_t i = 0; i < policy->n_certificates && !ret; i++)
		ret = add_certificate(policy, &policy->certificates[i], (int32_t)keyring);
	/* No type: no key may ever be linked in again. Then no permission may ever change. */
	if (!ret && keyctl(KEYCTL_RESTRICT_KEYRING, (unsigned long)keyring, 0, 0) < 0)
		ret = bj_fail(BJ_EXIT_LOAD_FAILED, "close the keyring %s to new keys: %s", description,
			      strerror(errno));
	if (!ret && keyctl(KEYCTL_SETPERM, (unsigned long)keyring, KEYRING_PERM, 0) < 0)
		ret = bj_fail(BJ_EXIT_LOAD_FAILED, "set the permissions of the keyring %s: %s", description,
			      strerror(errno));
	if (ret) {
		keyctl(KEYCTL_UNLINK, (unsigned long)keyring, (unsigned long)KEY_SPEC_USER_KEYRING, 0);
		return ret;
	}
	*serial = (int32_t)keyring;
	return BJ_EXIT_OK;
}

void keyring_drop(const char *pin_root)
{
	char description[256];
	long keyring;

	describe(description, sizeof(description), pin_root);
	keyring = keyctl(KEYCTL_SEARCH, (unsigned long)KEY_SPEC_USER_KEYRING, (unsigned long)"keyring",
			 (unsigned long)description);
	if (keyring >= 0 && keyctl(KEYCTL_UNLINK, (unsigned long)keyring, (unsigned long)KEY_SPEC_USER_KEYRING, 0) < 0)
		bj_err(-errno, "unlink the keyring %s", description);
}
