// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the policy parser. Usage: test-policy POLICY_DIR UNIT_DIR,
 * where POLICY_DIR holds the shipped policies (policy/) and UNIT_DIR this
 * directory with its valid/ and invalid/ fixtures. Files are found when
 * the tests run, so a new example or case needs no rebuild.
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "tests.h"

int main(int argc, char **argv)
{
	char *valid, *invalid;
	int n;

	if (argc != 3) {
		fprintf(stderr, "usage: %s POLICY_DIR UNIT_DIR\n", argv[0]);
		return 2;
	}
	if (asprintf(&valid, "%s/valid", argv[2]) < 0 || asprintf(&invalid, "%s/invalid", argv[2]) < 0)
		return 2;
	test_diags();
	test_locations();
	n = test_valid_dir(argv[1]);
	check(n >= 9, "at least 9 shipped policies (%d)", n);
	n = test_valid_dir(valid);
	check(n >= 4, "at least 4 valid fixtures (%d)", n);
	test_model(valid);
	test_tables(valid);
	test_invalid_dir(invalid);
	test_on_load_failure();
	free(valid);
	free(invalid);
	return check_summary();
}
