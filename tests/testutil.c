/* tests/testutil.c — temp dirs and fixture paths for the Check suites. */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

char *
tu_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char	tmpl[4096];
	char   *d;

	snprintf(tmpl, sizeof(tmpl), "%s/basisd-test-XXXXXX",
	    base && *base ? base : "/tmp");
	if (mkdtemp(tmpl) == NULL || (d = strdup(tmpl)) == NULL) {
		perror("mkdtemp");
		abort();
	}
	return d;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
tu_rm_rf(const char *path)
{
	if (path != NULL)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *
tu_srcpath(const char *rel)
{
	const char *top = getenv("abs_top_srcdir");
	size_t	n;
	char   *p;

	if (top == NULL || *top == '\0')
		top = ".";
	n = strlen(top) + strlen(rel) + 2;
	if ((p = malloc(n)) == NULL)
		abort();
	snprintf(p, n, "%s/%s", top, rel);
	return p;
}

void
tu_write_file(const char *path, const char *data, size_t len)
{
	FILE   *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
		perror(path);
		abort();
	}
}

char *
tu_read_file(const char *path, size_t *ret_len)
{
	FILE   *fp = fopen(path, "rb");
	char   *buf = NULL;
	long	n;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			if (ret_len)
				*ret_len = (size_t)n;
		}
	}
	fclose(fp);
	return buf;
}

int
tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int	failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
