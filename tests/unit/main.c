/* main.c: runs every Check suite (one per tests/unit/test_*.c); an argument picks suites by name. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#define X(name) Suite *suite_##name(void);
#include "suites.h"
#undef X

int main(int argc, char **argv)
{
	static const struct { const char *name; Suite *(*make)(void); } all[] = {
#define X(name) { #name, suite_##name },
#include "suites.h"
#undef X
	};
	SRunner *sr = srunner_create(NULL);
	int added = 0;
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		int want = argc < 2;
		for (int a = 1; a < argc; a++)
			if (strcmp(argv[a], all[i].name) == 0)
				want = 1;
		if (want) {
			srunner_add_suite(sr, all[i].make());
			added++;
		}
	}
	if (!added) {
		fprintf(stderr, "unit-tests: no suite matches\n");
		return 2;
	}
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
