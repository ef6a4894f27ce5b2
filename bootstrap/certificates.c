// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certificates.h"
#include "resolve_host.h"

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END   "-----END CERTIFICATE-----"
#define CERT_MAX  (64 * 1024) /* a certificate file larger than this is not one */

static int b64_value(char c)
{
	const char *digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(digits, c) : NULL;

	return p ? (int)(p - digits) : -1;
}

/* Base64 text [s, end), whitespace allowed, into out (room for its length); the bytes written, or -1. */
static long b64_decode(const char *s, const char *end, unsigned char *out)
{
	unsigned bits = 0, nbits = 0, pad = 0;
	long n = 0;

	for (; s < end; s++) {
		int v = b64_value(*s);

		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			continue;
		if (*s == '=') {
			pad++;
			continue;
		}
		if (v < 0 || pad)
			return -1;
		bits = (bits << 6) | (unsigned)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			out[n++] = (unsigned char)(bits >> nbits);
			bits &= (1u << nbits) - 1;
		}
	}
	return pad > 2 ? -1 : n;
}

static int add_der(struct der **ders, size_t *n, const unsigned char *data, size_t len)
{
	struct der *grown = realloc(*ders, (*n + 1) * sizeof(**ders));

	if (!grown)
		return -1;
	*ders = grown;
	grown[*n].data = malloc(len);
	if (!grown[*n].data)
		return -1;
	memcpy(grown[*n].data, data, len);
	grown[(*n)++].len = len;
	return 0;
}

/* Each PEM block of text into ders; -1 with why. */
static int read_pem(char *text, struct der **ders, size_t *n, char *why, size_t size)
{
	for (char *p = text; (p = strstr(p, PEM_BEGIN));) {
		char *body = p + strlen(PEM_BEGIN), *end = strstr(body, PEM_END);
		unsigned char *der;
		long len;

		if (!end) {
			snprintf(why, size, "a PEM certificate without its \"" PEM_END "\" line");
			return -1;
		}
		der = malloc((size_t)(end - body));
		if (!der) {
			snprintf(why, size, "out of memory");
			return -1;
		}
		len = b64_decode(body, end, der);
		if (len <= 0 || add_der(ders, n, der, (size_t)len)) {
			snprintf(why, size, len <= 0 ? "a PEM certificate whose base64 is broken" : "out of memory");
			free(der);
			return -1;
		}
		free(der);
		p = end + strlen(PEM_END);
	}
	return 0;
}

int certificate_read(const struct bj_certificate *cert, int root_fd, struct der **out, size_t *n, char *why,
		     size_t size)
{
	char *text = malloc(CERT_MAX + 1);
	int fd = text ? host_open(root_fd, cert->path, O_RDONLY) : -ENOMEM;
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	size_t len = 0;
	int ret = -1;

	*out = NULL;
	*n = 0;
	if (!text) {
		snprintf(why, size, "out of memory");
		return -1;
	}
	if (!f) {
		snprintf(why, size, "%s", strerror(fd < 0 ? -fd : errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	len = fread(text, 1, CERT_MAX + 1, f);
	if (ferror(f))
		snprintf(why, size, "%s", strerror(errno));
	else if (len > CERT_MAX)
		snprintf(why, size, "larger than %d KiB: not a certificate", CERT_MAX / 1024);
	else if (len && (unsigned char)text[0] == 0x30) /* DER: an ASN.1 SEQUENCE */
		ret = add_der(out, n, (unsigned char *)text, len) ? (snprintf(why, size, "out of memory"), -1) : 0;
	else {
		text[len] = '\0';
		ret = read_pem(text, out, n, why, size);
		if (!ret && !*n) {
			snprintf(why, size, "neither a PEM certificate (\"" PEM_BEGIN "\") nor a DER one");
			ret = -1;
		}
	}
	fclose(f);
out:
	free(text);
	if (ret) {
		ders_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return ret;
}

void ders_free(struct der *ders, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ders[i].data);
	free(ders);
}

int certificates_check(const struct bj_policy *policy, int root_fd, struct bj_diags *diags)
{
	int ret = 0;

	for (size_t i = 0; i < policy->n_certificates; i++) {
		const struct bj_certificate *cert = &policy->certificates[i];
		struct der *ders;
		char why[256];
		size_t n;

		if (certificate_read(cert, root_fd, &ders, &n, why, sizeof(why))) {
			diags_add(diags, BJ_ERROR, cert->loc, cert->json_path, "certificate %s: %s", cert->path, why);
			ret = -1;
		}
		ders_free(ders, n);
	}
	return ret;
}
