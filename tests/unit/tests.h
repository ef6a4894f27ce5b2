/* SPDX-License-Identifier: GPL-2.0 */
/* The groups of cases test-policy runs. */
#pragma once

/* Every *.json below dir parses with no error; returns how many there were. */
int test_valid_dir(const char *dir);
/* Every dir/NAME.json prints exactly dir/NAME.expected. */
void test_invalid_dir(const char *dir);
/* The model built from the fixtures in dir, field by field. */
void test_model(const char *dir);
/* What the compiler makes of the fixture privileges.json in dir. */
void test_tables(const char *dir);
/* Line and column of values, and the scanner's corner cases. */
void test_locations(void);
/* The format of printed diagnostics. */
void test_diags(void);
/* on_load_failure read on its own from policy texts, valid or not. */
void test_on_load_failure(void);
