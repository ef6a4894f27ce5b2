// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON lexer, after jansson's (src/load.c, MIT licence): the same
 * steps, so the same messages at the same positions.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_lex.h"

#define STREAM_EOF   (-1)
#define STREAM_ERROR (-2)

/* jansson's messages fit in its json_error_t: JSON_ERROR_TEXT_LENGTH, less its error code */
#define MESSAGE_MAX 159
/* A token longer than this is left out of a message. */
#define CONTEXT_MAX 20

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The length of the UTF-8 sequence that byte starts; 0 for a byte that starts none. */
static size_t utf8_length(unsigned char byte)
{
	if (byte < 0x80)
		return 1;
	if (byte < 0xc2)
		return 0; /* a continuation byte, or the overlong 0xc0 and 0xc1 */
	if (byte <= 0xdf)
		return 2;
	if (byte <= 0xef)
		return 3;
	return byte <= 0xf4 ? 4 : 0;
}

/* Whether the sequence is a valid code point: no surrogate, not overlong, not past U+10FFFF. */
static bool utf8_valid(const char *seq, size_t n)
{
	static const uint32_t lowest[] = { 0, 0, 0x80, 0x800, 0x10000 };
	uint32_t cp = (unsigned char)seq[0] & (0xff >> (n + 1));

	for (size_t i = 1; i < n; i++) {
		unsigned char u = (unsigned char)seq[i];

		if (u < 0x80 || u > 0xbf)
			return false;
		cp = cp << 6 | (u & 0x3f);
	}
	return cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) && cp >= lowest[n];
}

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static void no_memory(struct lexer *lx)
{
	lx->status = JSON_NO_MEMORY;
}

/* The token's text so far; "" when not even its first byte could be kept. */
static const char *saved_text(const struct lexer *lx)
{
	return lx->saved ? lx->saved : "";
}

static void describe(const struct lexer *lx, struct json_error *out, const char *fmt, va_list ap)
{
	char message[MESSAGE_MAX];
	const char *near = "";
	int n;

	vsnprintf(message, sizeof(message), fmt, ap);
	if (lx->saved_len && lx->saved[0])
		near = lx->saved_len <= CONTEXT_MAX ? lx->saved : NULL;
	else if (lx->state == STREAM_ERROR) /* no context for a byte that is not UTF-8 */
		near = NULL;
	/* cut where jansson's json_error_t cuts it */
	if (!near)
		n = snprintf(out->text, MESSAGE_MAX, "%s", message);
	else if (*near)
		n = snprintf(out->text, MESSAGE_MAX, "%s near '%s'", message, near);
	else
		n = snprintf(out->text, MESSAGE_MAX, "%s near end of file", message);
	if (n < 0)
		out->text[0] = '\0';
	out->loc = (struct bj_loc){ .line = lx->line > 0 ? (unsigned)lx->line : 0,
				    .column = lx->column > 0 ? (unsigned)lx->column : 0 };
}

void lexer_describe(const struct lexer *lx, struct json_error *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	describe(lx, out, fmt, ap);
	va_end(ap);
}

void lexer_error(struct lexer *lx, enum json_status status, const char *fmt, ...)
{
	va_list ap;

	if (lx->status != JSON_OK)
		return;
	lx->status = status;
	va_start(ap, fmt);
	describe(lx, lx->err, fmt, ap);
	va_end(ap);
}

static int next_byte(struct lexer *lx)
{
	return lx->p < lx->end ? *lx->p++ : EOF;
}

/* The next byte; a whole UTF-8 sequence is read (and checked) at its first byte. */
static int get(struct lexer *lx)
{
	int c;

	if (lx->state)
		return lx->state;
	if (!lx->buffer[lx->buffer_pos]) {
		c = next_byte(lx);
		if (c == EOF) {
			lx->state = STREAM_EOF;
			return STREAM_EOF;
		}
		lx->buffer[0] = (char)c;
		lx->buffer_pos = 0;
		if (c >= 0x80) {
			size_t n = utf8_length((unsigned char)c);

			for (size_t i = 1; i < n; i++)
				lx->buffer[i] = (char)next_byte(lx);
			if (!n || !utf8_valid(lx->buffer, n)) {
				lx->state = STREAM_ERROR;
				lexer_error(lx, JSON_BAD_UTF8, "unable to decode byte 0x%x", c);
				return STREAM_ERROR;
			}
			lx->buffer[n] = '\0';
		} else {
			lx->buffer[1] = '\0';
		}
	}
	c = lx->buffer[lx->buffer_pos++];
	if (c == '\n') {
		lx->line++;
		lx->last_column = lx->column;
		lx->column = 0;
	} else if (utf8_length((unsigned char)c)) { /* columns count characters */
		lx->column++;
	}
	return c;
}

static void unget(struct lexer *lx, int c)
{
	if (c == STREAM_EOF || c == STREAM_ERROR)
		return;
	if (c == '\n') {
		lx->line--;
		lx->column = lx->last_column;
	} else if (utf8_length((unsigned char)c)) {
		lx->column--;
	}
	lx->buffer_pos--;
}

static void save(struct lexer *lx, int c)
{
	if (lx->saved_len + 2 > lx->saved_cap) {
		size_t cap = lx->saved_cap ? 2 * lx->saved_cap : 64;
		char *grown = realloc(lx->saved, cap);

		if (!grown) {
			no_memory(lx);
			return;
		}
		lx->saved = grown;
		lx->saved_cap = cap;
	}
	lx->saved[lx->saved_len++] = (char)c;
	lx->saved[lx->saved_len] = '\0';
}

static int get_save(struct lexer *lx)
{
	int c = get(lx);

	if (c != STREAM_EOF && c != STREAM_ERROR)
		save(lx, c);
	return c;
}

static void unget_unsave(struct lexer *lx, int c)
{
	if (c != STREAM_EOF && c != STREAM_ERROR && lx->saved_len) {
		unget(lx, c);
		lx->saved[--lx->saved_len] = '\0';
	}
}

/* The rest of the UTF-8 sequence being read, so that a message quotes whole characters. */
static void save_rest(struct lexer *lx)
{
	while (lx->buffer[lx->buffer_pos])
		save(lx, lx->buffer[lx->buffer_pos++]);
}

static void free_string(struct lexer *lx)
{
	free(lx->string);
	lx->string = NULL;
	lx->string_len = 0;
}

/* s points at "u" and four hex digits. */
static int32_t hex4(const char *s)
{
	int32_t value = 0;

	for (int i = 1; i <= 4; i++)
		value = value << 4 | (int32_t)(is_digit(s[i]) ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
	return value;
}

/* After "\u" in the saved text: a code point, surrogate pairs joined; -1 after an error. */
static int32_t unicode_escape(struct lexer *lx, const char **p)
{
	int32_t value = hex4(*p), low;

	*p += 5;
	if (value >= 0xdc00 && value <= 0xdfff) {
		lexer_error(lx, JSON_SYNTAX, "invalid Unicode '\\u%04X'", (unsigned)value);
		return -1;
	}
	if (value < 0xd800 || value > 0xdbff)
		return value;
	if ((*p)[0] != '\\' || (*p)[1] != 'u') {
		lexer_error(lx, JSON_SYNTAX, "invalid Unicode '\\u%04X'", (unsigned)value);
		return -1;
	}
	low = hex4(++*p);
	*p += 5;
	if (low < 0xdc00 || low > 0xdfff) {
		lexer_error(lx, JSON_SYNTAX, "invalid Unicode '\\u%04X\\u%04X'", (unsigned)value, (unsigned)low);
		return -1;
	}
	return ((value - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
}

/* Decode the saved text of a string token, checked by scan_string(). */
static void decode_string(struct lexer *lx)
{
	static const char escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	const char *p = lx->saved + 1; /* past the opening quote */
	char *t = malloc(lx->saved_len + 1);

	if (!t) {
		no_memory(lx);
		return;
	}
	lx->string = t;
	while (*p != '"') {
		if (*p != '\\') {
			*t++ = *p++;
		} else if (*++p == 'u') {
			int32_t cp = unicode_escape(lx, &p);

			if (cp < 0) {
				free_string(lx);
				return;
			}
			t += utf8_encode((uint32_t)cp, t);
		} else {
			*t++ = strchr(escapes, *p++)[1];
		}
	}
	*t = '\0';
	lx->string_len = (size_t)(t - lx->string);
	lx->token = TOKEN_STRING;
}

static void scan_string(struct lexer *lx)
{
	int c = get_save(lx);

	while (c != '"') {
		if (c == STREAM_ERROR)
			return;
		if (c == STREAM_EOF) {
			lexer_error(lx, JSON_SYNTAX, "premature end of input");
			return;
		}
		if (c >= 0 && c <= 0x1f) {
			unget_unsave(lx, c);
			if (c == '\n')
				lexer_error(lx, JSON_SYNTAX, "unexpected newline");
			else
				lexer_error(lx, JSON_SYNTAX, "control character 0x%x", (unsigned)c);
			return;
		}
		if (c != '\\') {
			c = get_save(lx);
			continue;
		}
		c = get_save(lx);
		if (c == 'u') {
			c = get_save(lx);
			for (int i = 0; i < 4; i++) {
				if (!is_xdigit(c)) {
					lexer_error(lx, JSON_SYNTAX, "invalid escape");
					return;
				}
				c = get_save(lx);
			}
		} else if (c > 0 && strchr("\"\\/bfnrt", c)) {
			c = get_save(lx);
		} else {
			lexer_error(lx, JSON_SYNTAX, "invalid escape");
			return;
		}
	}
	if (lx->status == JSON_OK)
		decode_string(lx);
}

static int scan_digits(struct lexer *lx)
{
	int c;

	do
		c = get_save(lx);
	while (is_digit(c));
	return c;
}

static void scan_number(struct lexer *lx, int c)
{
	double real;

	if (c == '-')
		c = get_save(lx);
	if (c == '0') {
		c = get_save(lx);
		if (is_digit(c)) {
			unget_unsave(lx, c);
			return;
		}
	} else if (is_digit(c)) {
		c = scan_digits(lx);
	} else {
		unget_unsave(lx, c);
		return;
	}
	if (c != '.' && c != 'E' && c != 'e') {
		unget_unsave(lx, c);
		errno = 0;
		lx->integer = strtoll(saved_text(lx), NULL, 10);
		if (errno == ERANGE) {
			lexer_error(lx, JSON_SYNTAX, lx->integer < 0 ? "too big negative integer" : "too big integer");
			return;
		}
		lx->token = TOKEN_INTEGER;
		return;
	}
	if (c == '.') {
		c = get(lx);
		if (!is_digit(c)) {
			unget(lx, c);
			return;
		}
		save(lx, c);
		c = scan_digits(lx);
	}
	if (c == 'E' || c == 'e') {
		c = get_save(lx);
		if (c == '+' || c == '-')
			c = get_save(lx);
		if (!is_digit(c)) {
			unget_unsave(lx, c);
			return;
		}
		c = scan_digits(lx);
	}
	unget_unsave(lx, c);
	errno = 0;
	real = strtod(saved_text(lx), NULL);
	if (isinf(real) && errno == ERANGE) {
		lexer_error(lx, JSON_SYNTAX, "real number overflow");
		return;
	}
	lx->token = TOKEN_REAL;
}

/* true, false, null: the whole word is read, for a clearer message when it is none of them. */
static void scan_word(struct lexer *lx)
{
	static const struct {
		const char *word;
		int token;
	} words[] = { { "true", TOKEN_TRUE }, { "false", TOKEN_FALSE }, { "null", TOKEN_NULL } };
	int c;

	do
		c = get_save(lx);
	while (is_alpha(c));
	unget_unsave(lx, c);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(saved_text(lx), words[i].word))
			lx->token = words[i].token;
}

int lexer_scan(struct lexer *lx)
{
	int c;

	lx->saved_len = 0;
	if (lx->saved)
		lx->saved[0] = '\0';
	free_string(lx);
	do
		c = get(lx);
	while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
	lx->token = TOKEN_INVALID;
	if (c == STREAM_EOF)
		lx->token = TOKEN_EOF;
	if (c == STREAM_EOF || c == STREAM_ERROR)
		return lx->token;
	lx->token_loc = (struct bj_loc){ .line = (unsigned)lx->line, .column = (unsigned)lx->column };
	save(lx, c);
	if (c > 0 && strchr("{}[]:,", c))
		lx->token = c;
	else if (c == '"')
		scan_string(lx);
	else if (is_digit(c) || c == '-')
		scan_number(lx, c);
	else if (is_alpha(c))
		scan_word(lx);
	else
		save_rest(lx);
	return lx->token;
}

char *lexer_take_string(struct lexer *lx, size_t *len)
{
	char *s = lx->string;

	*len = lx->string_len;
	lx->string = NULL;
	lx->string_len = 0;
	return s;
}

void lexer_init(struct lexer *lx, const char *text, size_t len, struct json_error *err)
{
	*lx = (struct lexer){
		.p = (const unsigned char *)text,
		.end = (const unsigned char *)text + len,
		.line = 1,
		.token = TOKEN_INVALID,
		.err = err,
	};
}

void lexer_fini(struct lexer *lx)
{
	free_string(lx);
	free(lx->saved);
}
