/* src/base/du.c — disk usage of a file or tree. A walk with openat and
 * fstatat rather than nftw(3): nftw's callback has no user argument, so
 * its sum would need a global. Depth is bounded; links are not followed. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/du.h"

#define DU_MAX_DEPTH 16

/* Sum of the entries of the open directory fd (closed here). */
static long long
du_dir(int fd, int depth)
{
	DIR    *d = fdopendir(fd);
	struct dirent *e;
	struct stat sb;
	long long sum = 0, sub;
	int	cfd;

	if (d == NULL) {
		close(fd);
		return -1;
	}
	while (sum >= 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == -1)
			continue;	/* removed meanwhile */
		sum += (long long)sb.st_blocks * 512;
		if (!S_ISDIR(sb.st_mode) || depth >= DU_MAX_DEPTH)
			continue;
		cfd = openat(dirfd(d), e->d_name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		sub = cfd == -1 ? -1 : du_dir(cfd, depth + 1);
		sum = sub < 0 ? -1 : sum + sub;
	}
	closedir(d);
	return sum;
}

long long
du_bytes(const char *path)
{
	struct stat sb;
	long long sub;
	int	fd;

	if (lstat(path, &sb) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(sb.st_mode))
		return (long long)sb.st_blocks * 512;
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	sub = du_dir(fd, 1);
	return sub < 0 ? -1 : (long long)sb.st_blocks * 512 + sub;
}
