/* tests/fuzz/replay.c — a plain main() for a fuzz target, so its regression
 * corpus (tests/fuzz/corpus/<target>/, FUZZ_NAME) replays under `make
 * check` with gcc and the sanitizer build, no libFuzzer needed. Arguments,
 * when given, are files or directories to replay instead. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int
replay_file(const char *path)
{
	FILE   *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	long	n;
	int	ok;

	/* An exact-size buffer, so ASan sees a read past the input. */
	ok = fp != NULL && fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc(n > 0 ? (size_t)n : 1)) != NULL &&
	    fread(buf, 1, (size_t)n, fp) == (size_t)n;
	if (fp != NULL)
		fclose(fp);
	if (ok)
		LLVMFuzzerTestOneInput(buf, (size_t)n);
	else
		fprintf(stderr, "replay: %s: cannot read\n", path);
	free(buf);
	return ok ? 0 : -1;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order (reproducible runs). */
static int
replay_dir(const char *dir, int *ret_count)
{
	DIR    *d = opendir(dir);
	struct dirent *e;
	char  **names = NULL, path[4096];
	size_t	n = 0, cap = 0;
	int	rc = 0;
	struct stat st;

	if (d == NULL) {
		fprintf(stderr, "replay: %s: no such directory\n", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char  **grown;

		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((grown = realloc(names, cap * sizeof(*names))) == NULL)
				break;
			names = grown;
		}
		if ((names[n] = strdup(e->d_name)) != NULL)
			n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			rc |= replay_file(path);
			(*ret_count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	char	dir[4096];
	int	rc = 0, count = 0;
	struct stat st;

	LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
		fuzz_srcpath("tests/fuzz/corpus/" FUZZ_NAME, dir, sizeof(dir));
		rc = replay_dir(dir, &count);
	}
	for (int i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc |= replay_dir(argv[i], &count);
		else {
			rc |= replay_file(argv[i]);
			count++;
		}
	}
	printf("replay %s: %d inputs%s\n", FUZZ_NAME, count,
	    rc ? ", some unreadable" : "");
	/* An empty corpus would make this a test that cannot fail. */
	return rc != 0 || count == 0 ? 1 : 0;
}
