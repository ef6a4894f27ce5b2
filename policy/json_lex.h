/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tokens of a JSON text, for json.c only. The lexer follows jansson's
 * step for step (one character read ahead and put back, the text of the
 * token kept for messages), since its messages and their positions come
 * out of exactly those steps.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "json.h"

enum token {
	TOKEN_INVALID = -1,
	TOKEN_EOF = 0,
	/* '{', '}', '[', ']', ':' and ',' stand for themselves */
	TOKEN_STRING = 256,
	TOKEN_INTEGER,
	TOKEN_REAL,
	TOKEN_TRUE,
	TOKEN_FALSE,
	TOKEN_NULL,
};

struct lexer {
	const unsigned char *p, *end; /* the bytes not read yet */
	char buffer[5];                /* the character being read, one UTF-8 sequence */
	size_t buffer_pos;
	int state;                     /* 0, or STREAM_EOF or STREAM_ERROR */
	int line, column, last_column; /* of the last character read */
	char *saved;                   /* the token's text as read, for messages */
	size_t saved_len, saved_cap;
	int token;
	struct bj_loc token_loc;       /* of the token's first character */
	char *string;                  /* TOKEN_STRING, decoded */
	size_t string_len;
	long long integer;             /* TOKEN_INTEGER */
	struct json_error *err;
	enum json_status status;       /* of the first error; JSON_OK until one */
};

void lexer_init(struct lexer *lx, const char *text, size_t len, struct json_error *err);
void lexer_fini(struct lexer *lx);

/* Read the next token into lx->token. */
int lexer_scan(struct lexer *lx);

/*
 * Record an error at the lexer's position, worded as jansson words it:
 * the message, then "near 'TOKEN'" or "near end of file". Only the first
 * error counts, as in jansson, where a failed token leads to a second
 * complaint of the parser's.
 */
void lexer_error(struct lexer *lx, enum json_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same words for an error that only counts later (a duplicate key, see json.c). */
void lexer_describe(const struct lexer *lx, struct json_error *out, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Take the decoded string of a TOKEN_STRING; the caller frees it. */
char *lexer_take_string(struct lexer *lx, size_t *len);
