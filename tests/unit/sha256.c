// SPDX-License-Identifier: GPL-2.0
/* The policy's hash (bootstrap/sha256.c) against the known answers of FIPS 180-4 and sha256sum. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sha256.h"

static void expect(const char *name, const void *data, size_t len, const char *hex)
{
	uint8_t digest[SHA256_LEN];
	char got[2 * SHA256_LEN + 1];

	sha256(data, len, digest);
	sha256_hex(digest, got);
	if (!check(!strcmp(got, hex), "sha256 of %s", name))
		note("got %s, expected %s", got, hex);
}

int main(void)
{
	/* Lengths around the padding's edges: 55 bytes fit in one block, 56 and 64 need two. */
	static const char a55[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	char *million = malloc(1000000);

	expect("the empty string", "", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	expect("\"abc\"", "abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	expect("the two-block FIPS message",
	       "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	expect("55 a", a55, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	expect("64 a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 64,
	       "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
	if (check(million != NULL, "room for a million bytes")) {
		memset(million, 'a', 1000000);
		expect("a million a", million, 1000000,
		       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	}
	free(million);
	return check_summary();
}
