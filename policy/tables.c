// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

#include "tables.h"

void tables_free(struct bj_tables *t)
{
	if (!t)
		return;
	free(t->roles);
	free(t->states);
	free(t->edges);
	free(t->ports);
	free(t->ips);
	free(t->devices);
	free(t->execs);
	free(t->cgroups);
	free(t->xattrs);
	free(t->launches);
	free(t);
}
