// SPDX-License-Identifier: GPL-2.0
/*
 * Reading signing_certificates (bootstrap/certificates.c): PEM with one
 * or several blocks and DER give their bytes; every malformed or
 * unreadable file is refused with a reason, and nothing is left
 * allocated either way (valgrind and ASan in CI).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certificates.h"
#include "check.h"

static char dir[] = "/tmp/bj-certs.XXXXXX";

/* A file under dir holding text; its path (static storage, one at a time). */
static const char *file_of(const char *name, const void *data, size_t len)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		check(false, "write %s", path);
	return path;
}

/* Read the file at path: how many certificates, or -1; *first gets the first one's first bytes. */
static long read_at(const char *path, char *why, size_t size, unsigned char first[4])
{
	struct bj_certificate cert = { .path = (char *)path };
	struct der *ders;
	size_t n;

	if (certificate_read(&cert, AT_FDCWD, &ders, &n, why, size))
		return -1;
	memcpy(first, ders[0].data, ders[0].len < 4 ? ders[0].len : 4);
	ders_free(ders, n);
	return (long)n;
}

static void expect_refused(const char *what, const char *path, const char *reason)
{
	unsigned char first[4];
	char why[256] = "";

	if (!check(read_at(path, why, sizeof(why), first) < 0 && strstr(why, reason), "%s: refused, \"%s\"", what,
		   reason))
		note("got \"%s\"", why);
}

#define UNENDED "-----BEGIN CERTIFICATE-----\nMAMC\n"
#define PEM(b64) "-----BEGIN CERTIFICATE-----\n" b64 "\n-----END CERTIFICATE-----\n"

int main(void)
{
	static const unsigned char der[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
	unsigned char first[4] = { 0 };
	char why[256] = "", *big;
	long n;

	if (!mkdtemp(dir))
		return check(false, "mkdtemp"), check_summary();

	/* "MAMCAQU=" is base64 of 30 03 02 01 05 */
	n = read_at(file_of("one.pem", PEM("MAMC\nAQU="), strlen(PEM("MAMC\nAQU="))), why, sizeof(why), first);
	check(n == 1 && !memcmp(first, der, 4), "a PEM block decodes, line breaks and padding included");
	n = read_at(file_of("two.pem", "comment\n" PEM("MAMCAQU=") PEM("MAMCAQU="),
			    strlen("comment\n" PEM("MAMCAQU=") PEM("MAMCAQU="))), why, sizeof(why), first);
	check(n == 2, "two PEM blocks are two certificates, text around them ignored");
	n = read_at(file_of("one.der", der, sizeof(der)), why, sizeof(why), first);
	check(n == 1 && !memcmp(first, der, 4), "DER is taken whole");

	expect_refused("no such file", "/nonexistent/bj.pem", "No such file");
	expect_refused("an empty file", file_of("empty.pem", "", 0), "neither a PEM certificate");
	expect_refused("text", file_of("text.pem", "hello\n", 6), "neither a PEM certificate");
	expect_refused("no END line", file_of("open.pem", UNENDED, strlen(UNENDED)), "without its");
	expect_refused("a character outside base64", file_of("bad.pem", PEM("MA!C"), strlen(PEM("MA!C"))),
		       "base64 is broken");
	expect_refused("data after padding", file_of("pad.pem", PEM("MA==MA"), strlen(PEM("MA==MA"))),
		       "base64 is broken");
	expect_refused("an empty block", file_of("void.pem", PEM(""), strlen(PEM(""))), "base64 is broken");
	big = calloc(1, 65 * 1024);
	if (big) {
		big[0] = 0x30;
		expect_refused("larger than a certificate", file_of("big.der", big, 65 * 1024), "not a certificate");
		free(big);
	}
	expect_refused("a directory", dir, "Is a directory");

	for (const char *const *f = (const char *const[]){ "one.pem", "two.pem", "one.der", "empty.pem", "text.pem",
							  "open.pem", "bad.pem", "pad.pem", "void.pem", "big.der",
							  NULL };
	     *f; f++) {
		char path[256];

		snprintf(path, sizeof(path), "%s/%s", dir, *f);
		unlink(path);
	}
	rmdir(dir);
	return check_summary();
}
