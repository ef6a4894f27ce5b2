// SPDX-License-Identifier: GPL-2.0
/*
 * The keys signed binaries are checked against: "signing_certificates"
 * (files the bootstrap loads into a keyring of the instance's own) and
 * "signing_keyrings" (the kernel's). A role that requires signatures in a
 * policy that trusts no key could run nothing: an error.
 */
#include <stdlib.h>

#include "bpfjailer.h"
#include "parser.h"

static const struct choice keyrings = {
	.names = (const char *const[]){ "builtin", "secondary", "platform", NULL },
	.values = (const uint8_t[]){ BJ_KEYRING_BUILTIN, BJ_KEYRING_SECONDARY, BJ_KEYRING_PLATFORM },
	.what = "keyring",
	.expected = "builtin, secondary or platform",
};

void parse_certificate(struct parser *ps, const struct json_node *v, void *item)
{
	struct bj_certificate *cert = item;

	locate(ps, v, &cert->loc, &cert->json_path);
	cert->path = get_path(ps, v, "certificate", false);
}

void parse_keyrings(struct parser *ps, struct object *o, const struct field *f, const struct json_node *v)
{
	(void)o;
	(void)f;
	for (size_t k = 0; k < v->n; k++) {
		int i = get_choice(ps, v->items[k], &keyrings);

		if (i < 0)
			continue;
		if (ps->policy->signing_keyrings & keyrings.values[i])
			error(ps, v->items[k], "keyring \"%s\" is listed twice", keyrings.names[i]);
		ps->policy->signing_keyrings |= keyrings.values[i];
	}
}

void check_signing(struct parser *ps)
{
	const struct bj_policy *policy = ps->policy;

	if (policy->n_certificates || policy->signing_keyrings)
		return;
	for (size_t i = 0; i < policy->n_roles; i++)
		if (policy->roles[i].flags & BJ_FLAG_SIGNED)
			diags_add(ps->diags, BJ_ERROR, policy->roles[i].loc, policy->roles[i].json_path,
				  "role \"%s\" requires signed binaries, but the policy trusts no key: list certificates in "
				  "signing_certificates or kernel keyrings in signing_keyrings", policy->roles[i].key);
}
