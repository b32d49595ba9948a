/* src/base/du.h — disk usage of a file or a directory tree, for the size
 * metrics of /metrics (ledger, RRD files). */
#ifndef DU_H
#define DU_H

/* Bytes allocated on disk (st_blocks × 512, as du(1) counts) by path and,
 * for a directory, everything below it without following symbolic links.
 * A missing path is 0; -1 when the tree cannot be walked. */
long long du_bytes(const char *path);

#endif /* DU_H */
