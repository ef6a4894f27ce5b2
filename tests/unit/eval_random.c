// SPDX-License-Identifier: GPL-2.0
/*
 * Random policies, written as JSON text so that they go through the real
 * parser: few names, so that rules overlap, share prefixes and meet "*";
 * names around the hash's 8-byte blocks; every spelling the parser
 * normalises ("**", trailing and doubled slashes); single ports, ranges,
 * wildcard port rules and flags in every combination; nested IPv4 and
 * IPv6 prefixes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "name_hash.h"

static uint64_t pick(uint64_t *rng, uint64_t n)
{
	return eval_rand(rng) % n;
}

static const char *boolean(uint64_t *rng)
{
	return pick(rng, 2) ? "true" : "false";
}

/* One component: a name, or (for file patterns) "*". */
static const char *random_part(uint64_t *rng, bool wildcards)
{
	static const char *const names[] = { "a", "b", "ab", "abcdefgh", "abcdefghi", "abcdefgi", "dev", "mqueue" };
	static char longest[BJ_NAME_MAX + 1];

	if (!longest[0])
		memset(longest, 'l', BJ_NAME_MAX);
	if (wildcards && pick(rng, 3) == 0)
		return "*";
	if (pick(rng, 16) == 0)
		return longest;
	return names[pick(rng, sizeof(names) / sizeof(names[0]))];
}

static void random_pattern(FILE *out, uint64_t *rng, bool wildcards)
{
	size_t depth = pick(rng, 5);

	if (pick(rng, 8) == 0) {
		fputs("/dev/mqueue", out); /* where queues are matched */
		depth = pick(rng, 2);
	} else if (!depth) {
		fputc('/', out);
	}
	for (size_t i = 0; i < depth; i++)
		fprintf(out, "%s%s", wildcards && pick(rng, 10) == 0 ? "//" : "/", random_part(rng, wildcards));
	if (wildcards && pick(rng, 4) == 0)
		fputs(pick(rng, 2) ? "/**" : "/", out);
}

static void random_access(FILE *out, uint64_t *rng)
{
	static const char *const sets[] = { "r", "w", "x", "rw", "wr", "rx", "wx", "xrw" };

	if (pick(rng, 3))
		fprintf(out, ", \"access\": \"%s\"", sets[pick(rng, sizeof(sets) / sizeof(sets[0]))]);
}

static unsigned random_port(uint64_t *rng)
{
	static const unsigned ports[] = { 1, 2, 79, 80, 81, 443, 1023, 1024, 8000, 8080, 65534, 65535 };

	return pick(rng, 4) ? ports[pick(rng, sizeof(ports) / sizeof(ports[0]))] : 1 + (unsigned)pick(rng, 65535);
}

static void random_net_rule(FILE *out, uint64_t *rng)
{
	static const char *const directions[] = { "", ", \"direction\": \"bind\"", ", \"direction\": \"connect\"",
						  ", \"direction\": \"both\"" };
	unsigned first = random_port(rng), last = random_port(rng);

	fprintf(out, "{\"protocol\": \"%s\", \"allow\": %s%s, ", pick(rng, 2) ? "tcp" : "UDP", boolean(rng),
		directions[pick(rng, 4)]);
	if (pick(rng, 6) == 0)
		fputs("\"port\": 0}", out);
	else if (pick(rng, 2))
		fprintf(out, "\"port\": %u}", first);
	else
		fprintf(out, "\"port_start\": %u, \"port_end\": %u}", first < last ? first : last,
			first < last ? last : first);
}

/* A prefix of one of a few nested networks, host bits cleared, as the parser wants it. */
static void random_ip_rule(FILE *out, uint64_t *rng)
{
	static const char *const bases[] = { "10.1.2.3", "10.1.0.0", "127.0.0.1", "0.0.0.0", "255.255.255.255",
					     "fd00:1::1", "fd00::", "::1", "::", "::ffff:10.1.2.3" };
	const char *base = bases[pick(rng, sizeof(bases) / sizeof(bases[0]))];
	int family = strchr(base, ':') ? AF_INET6 : AF_INET;
	unsigned max = family == AF_INET ? 32 : 128, prefix = (unsigned)pick(rng, max + 1);
	char text[INET6_ADDRSTRLEN];
	__u8 a[16];

	inet_pton(family, base, a);
	for (unsigned bit = prefix; bit < max; bit++)
		a[bit / 8] &= (__u8) ~(0x80u >> (bit % 8));
	inet_ntop(family, a, text, sizeof(text));
	fprintf(out, "{\"cidr\": \"%s/%u\", \"allow\": %s}", text, prefix, boolean(rng));
}

/* "key": [ up to max items ], each written by item. */
static void random_list(FILE *out, uint64_t *rng, const char *key, size_t max,
			void (*item)(FILE *out, uint64_t *rng))
{
	size_t n = pick(rng, max + 1);

	fprintf(out, ",\n      \"%s\": [", key);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n        " : "\n        ", out);
		item(out, rng);
	}
	fputs("]", out);
}

/* A file rule, or (file false) an execution rule: a path, without wildcards, and no access. */
static void random_path_rule(FILE *out, uint64_t *rng, bool file)
{
	fprintf(out, "{\"%s\": \"", file ? "pattern" : "binary_path");
	random_pattern(out, rng, file);
	fprintf(out, "\", \"allow\": %s", boolean(rng));
	if (file)
		random_access(out, rng);
	fputc('}', out);
}

static void random_file_rule(FILE *out, uint64_t *rng)
{
	random_path_rule(out, rng, true);
}

static void random_exec_rule(FILE *out, uint64_t *rng)
{
	random_path_rule(out, rng, false);
}

char *random_policy(uint64_t *rng)
{
	size_t n_roles = 1 + pick(rng, 3), size;
	char *text = NULL;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		abort();
	fputs("{\"roles\": {", out);
	for (size_t i = 1; i <= n_roles; i++) {
		fprintf(out, "%s\n    \"r%zu\": {\"id\": %zu, \"name\": \"r%zu\",\n      \"flags\": "
			"{\"allow_file_access\": %s, \"allow_network\": %s, \"allow_exec\": %s}",
			i > 1 ? "," : "", i, i, i, boolean(rng), boolean(rng), boolean(rng));
		random_list(out, rng, "file_paths", 8, random_file_rule);
		random_list(out, rng, "execution_rules", 3, random_exec_rule);
		random_list(out, rng, "network_rules", 6, random_net_rule);
		random_list(out, rng, "ip_rules", 4, random_ip_rule);
		fputs("}", out);
	}
	fputs("\n  }\n}\n", out);
	if (fclose(out))
		abort();
	return text;
}
