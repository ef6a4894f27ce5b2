// SPDX-License-Identifier: GPL-2.0
/* A role's "devices": "c 10:200 rw", "b 8:* r", as cgroup v1's devices.allow spells them without "m". */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bpfjailer.h"
#include "caps.h"
#include "parser.h"

#define DEV_MAJOR_MAX 4095u    /* majors are 12 bits */
#define DEV_MINOR_MAX 0xfffffu /* minors 20 bits */
#define DEVICE_SYNTAX "expected \"c MAJOR:MINOR ACCESS\" or \"b MAJOR:MINOR ACCESS\", as in " \
		      "\"c 10:200 rw\" or \"b 8:* r\""

static const struct access_letters device_access = {
	.letters = "rw",
	.rights = (const uint8_t[]){ BJ_RIGHT_READ, BJ_RIGHT_WRITE },
	.expected = "r, w or both",
	.never = 'm',
	.never_why = "creating device nodes is never allowed",
};

/* A device number as written, and its value (ULONG_MAX when too long to be one). */
struct dev_number {
	const char *text;
	int len;
	unsigned long value;
};

/* Decimal digits at *s; advances *s past them. */
static bool scan_number(const char **s, struct dev_number *out)
{
	size_t n = strspn(*s, "0123456789");

	if (!n)
		return false;
	/* nine digits cannot overflow, and no device number has more */
	*out = (struct dev_number){
		.text = *s,
		.len = n > INT_MAX ? INT_MAX : (int)n,
		.value = n > 9 ? ULONG_MAX : strtoul(*s, NULL, 10),
	};
	*s += n;
	return true;
}

/* The parts of a device rule as written, before their ranges are checked. */
struct device_text {
	struct dev_number major, minor;
	bool any_minor;
	const char *access; /* the rest of the text */
};

/* "c 10:200 rw": whether s has that shape. */
static bool scan_device(const char *s, struct device_text *out)
{
	const char *c;

	if ((s[0] != 'c' && s[0] != 'b') || s[1] != ' ')
		return false;
	c = s + 2;
	if (!scan_number(&c, &out->major) || *c++ != ':')
		return false;
	out->any_minor = *c == '*';
	if (out->any_minor)
		c++;
	else if (!scan_number(&c, &out->minor))
		return false;
	if (*c++ != ' ' || !*c || strchr(c, ' '))
		return false;
	out->access = c;
	return true;
}

/* The type, the device numbers (any minor for "*") and the rights; an entry left with type 0 is invalid. */
void parse_device_rule(struct parser *ps, const struct json_node *v, void *item)
{
	struct bj_device_rule *d = item;
	struct device_text dt = { 0 };
	const char *s;
	uint8_t access;

	if (!get_string(ps, v, &s))
		return;
	locate(ps, v, &d->loc, &d->json_path);
	if (!scan_device(s, &dt)) {
		error(ps, v, "\"%s\" is not a device rule (" DEVICE_SYNTAX ")", s);
		return;
	}
	if (dt.major.value > DEV_MAJOR_MAX) {
		error(ps, v, "major %.*s in \"%s\" is out of range (expected 0..%u)", dt.major.len, dt.major.text, s,
		      DEV_MAJOR_MAX);
		return;
	}
	if (!dt.any_minor && dt.minor.value > DEV_MINOR_MAX) {
		error(ps, v, "minor %.*s in \"%s\" is out of range (expected 0..%u or *)", dt.minor.len,
		      dt.minor.text, s, DEV_MINOR_MAX);
		return;
	}
	if (!get_access(ps, v, s, dt.access, &device_access, &access))
		return;
	d->type = s[0] == 'c' ? BJ_DEV_CHAR : BJ_DEV_BLOCK;
	d->major = (uint32_t)dt.major.value;
	d->minor = dt.any_minor ? BJ_DEV_ANY_MINOR : (uint32_t)dt.minor.value;
	d->access = access;
}

/* Each valid entry once (an exact minor and "*" are different entries). */
void check_devices_once(struct parser *ps, const struct json_node *list, const struct bj_role *role)
{
	struct index_map seen = INDEX_MAP_INIT; /* type, major and minor -> index */

	for (size_t i = 0; i < role->n_devices; i++) {
		const struct bj_device_rule *d = &role->devices[i];
		uint64_t key = (uint64_t)d->type << 44 | (uint64_t)d->major << 32 | d->minor;
		ssize_t other;
		char name[32];

		if (!d->type)
			continue;
		other = index_map_get_number(&seen, key);
		bj_device_format(name, sizeof(name), d->type, d->major, d->minor);
		if (other >= 0)
			error(ps, list->items[i], "device %s is already listed at devices[%zd]", name, other);
		else if (index_map_put_number(&seen, key, i))
			ps->out_of_memory = true;
	}
	index_map_free(&seen);
}
