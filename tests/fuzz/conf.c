/* tests/fuzz/conf.c — fuzz target: basisd.conf parsing (conf_load on a
 * file holding the input), then every key of what loaded read back. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/conf.h"
#include "fuzz.h"

/* conf_load reads a path: one scratch file per process, rewritten per
 * input and removed at exit. */
static char path[64];

static void
remove_scratch(void)
{
	unlink(path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	fd;

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "/tmp/fuzz-conf-XXXXXX");
	if ((fd = mkstemp(path)) == -1) {
		perror("fuzz conf: mkstemp");
		exit(2);
	}
	close(fd);
	atexit(remove_scratch);
	return 0;
}

static void
read_back(const char *section, const char *key, void *arg)
{
	char	buf[CONF_WORDS_MAX * CONF_WORD_SIZE + 64];

	if (conf_value(arg, section, key, buf, sizeof(buf)) != 0)
		abort(); /* every listed key has a value */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE   *fp = fopen(path, "wb");
	struct conf *c;
	struct err err = { "" };

	if (fp == NULL)
		return 0;
	if (fwrite(data, 1, size, fp) != size) {
		fclose(fp);
		return 0;
	}
	fclose(fp);
	if ((c = conf_load(path, &err)) != NULL) {
		if (c->threads < 1 || c->max_body <= 0 || c->port < 0 ||
		    c->port > 65535)
			abort(); /* a loaded conf is within its ranges */
		conf_each_key(read_back, c);
		conf_free(c);
	} else if (err.msg[0] == '\0') {
		abort();
	}
	return 0;
}
