/* tests/check_throttle.c — sign-in backoff: free failures, then 1, 2, 4 …
 * seconds up to the cap; a wait passes; a reset forgets; old failures are
 * forgotten; keys do not disturb each other; a full table evicts the
 * stalest key instead of growing. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/throttle.h"

/* One step on key "k" at time t: 'f' = fail (expect the wait it causes),
 * 'w' = ask the wait, 'r' = reset (expect 0). free = 3, max_wait = 10. */
static const struct step {
	char	op;
	long long t;
	long	want;
} steps[] = {
	{ 'f', 100, 0 }, { 'f', 100, 0 }, { 'f', 100, 0 },	/* free */
	{ 'w', 100, 0 },
	{ 'f', 100, 1 }, { 'w', 100, 1 }, { 'w', 101, 0 },	/* 1 s, passes */
	{ 'f', 101, 2 }, { 'f', 101, 4 }, { 'w', 103, 2 },
	{ 'f', 105, 8 }, { 'f', 113, 10 }, { 'f', 113, 10 },	/* capped */
	{ 'w', 120, 3 },
	{ 'r', 120, 0 }, { 'w', 120, 0 }, { 'f', 120, 0 },	/* forgotten */
	{ 'f', 121, 0 }, { 'f', 121, 0 }, { 'f', 121, 1 },
	{ 'f', 121 + 3601, 0 },		/* an hour later it starts again */
};

START_TEST(test_steps)
{
	struct throttle *t = throttle_new(64, 3, 10);

	ck_assert_ptr_nonnull(t);
	for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++) {
		const struct step *s = &steps[i];
		long	got = 0;

		if (s->op == 'f')
			got = throttle_fail(t, "k", s->t);
		else if (s->op == 'w')
			got = throttle_wait(t, "k", s->t);
		else
			throttle_reset(t, "k");
		ck_assert_msg(got == s->want, "step %zu (%c at %lld): %ld, "
		    "want %ld", i, s->op, s->t, got, s->want);
	}
	throttle_free(t);
}
END_TEST

START_TEST(test_keys_apart)
{
	struct throttle *t = throttle_new(64, 0, 60);

	ck_assert_int_eq(throttle_fail(t, "naam:jan", 10), 1);
	ck_assert_int_eq(throttle_wait(t, "naam:jan", 10), 1);
	ck_assert_int_eq(throttle_wait(t, "naam:piet", 10), 0);
	ck_assert_int_eq(throttle_wait(t, "ip:127.0.0.1", 10), 0);
	throttle_free(t);
}
END_TEST

START_TEST(test_full_table)
{
	struct throttle *t = throttle_new(8, 0, 60);
	char	key[32];

	/* 1000 keys through 8 slots: the table never grows, the newest key
	 * is always remembered. */
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "ip:10.0.%d.%d", i / 256, i % 256);
		throttle_fail(t, key, 1000 + i);
		ck_assert_int_eq(throttle_wait(t, key, 1000 + i), 1);
	}
	throttle_free(t);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("throttle");
	TCase  *tc = tcase_create("core");
	SRunner *sr;
	int	nf;

	tcase_add_test(tc, test_steps);
	tcase_add_test(tc, test_keys_apart);
	tcase_add_test(tc, test_full_table);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
