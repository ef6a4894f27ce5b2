// SPDX-License-Identifier: GPL-2.0
/* JSON lines on stdout, for systems without journald: the journal's fields, lower case. */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "output.h"

/*
 * A JSON string for text that may not be UTF-8 (a path is any bytes but
 * NUL): if it is not valid UTF-8, every byte above 0x7f becomes the four
 * characters \xNN, so nothing is lost and the line stays valid JSON.
 */
static json_t *lossless_string(const char *text)
{
	char out[4 * (BJ_PATH_MAX + 300) + 1];
	json_t *str = json_string(text);
	size_t o = 0;

	if (str)
		return str;
	for (const unsigned char *p = (const unsigned char *)text; *p && o + 5 < sizeof(out); p++) {
		if (*p < 0x80)
			out[o++] = (char)*p;
		else
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\\x%02x", *p);
	}
	return json_stringn(out, o);
}

static int emit(json_t *obj)
{
	int err = 0;

	if (!obj || json_dumpf(obj, stdout, JSON_COMPACT) || fputc('\n', stdout) == EOF || fflush(stdout))
		err = -EIO;
	json_decref(obj);
	return err;
}

/* Which machine wrote the line, as journald's _HOSTNAME says it: lines from many hosts may meet. */
static const char *hostname(void)
{
	static char name[HOST_NAME_MAX + 1];

	if (!name[0] && gethostname(name, sizeof(name) - 1) < 0)
		return "";
	return name;
}

static int json_record(const struct record_text *t)
{
	json_t *obj = json_pack("{s:o, s:s, s:i, s:o}", "message", lossless_string(t->message), "message_id",
				t->message_id, "priority", t->priority, "hostname", lossless_string(hostname()));

	for (int f = 0; obj && f < F_COUNT; f++) {
		char key[32];
		size_t i;

		if (!t->fields[f])
			continue;
		for (i = 0; record_field_names[f][i] && i < sizeof(key) - 1; i++)
			key[i] = (char)tolower((unsigned char)record_field_names[f][i]);
		key[i] = '\0';
		json_object_set_new(obj, key, lossless_string(t->fields[f]));
	}
	return emit(obj);
}

static int json_lost(uint64_t count, const char *why)
{
	return emit(json_pack("{s:s, s:s, s:I, s:s, s:o}", "message", "audit records lost", "message_id",
			      MESSAGE_ID_LOST, "lost", (json_int_t)count, "reason", why, "hostname",
			      lossless_string(hostname())));
}

const struct output json_output = { .record = json_record, .lost = json_lost };
