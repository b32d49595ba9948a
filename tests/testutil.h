/* tests/testutil.h — helpers shared by the Check suites: temp dirs, fixture
 * paths (found through $abs_top_srcdir so `make distcheck` works). */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <check.h>
#include <stddef.h>

/* A fresh directory under $TMPDIR (or /tmp); caller frees the string and
 * removes the tree with tu_rm_rf. Aborts the test on failure. */
char   *tu_tmpdir(void);
/* Remove a directory tree (best effort). */
void	tu_rm_rf(const char *path);
/* $abs_top_srcdir/rel (or ./rel) into a static-free malloc'd string. */
char   *tu_srcpath(const char *rel);
/* Write len bytes to path; aborts on failure. */
void	tu_write_file(const char *path, const char *data, size_t len);
/* Read a whole file (malloc'd, NUL-terminated); NULL when missing. */
char   *tu_read_file(const char *path, size_t *ret_len);

/* Run a suite (CK_NORMAL) and return the process exit status. */
int	tu_run(Suite *s);

#endif /* TESTUTIL_H */
