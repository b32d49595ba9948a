/* tests/fuzz/fuzz.h — the libFuzzer entry points of the fuzz targets. Each
 * tests/fuzz/<target>.c defines them; linked with -fsanitize=fuzzer they
 * run under libFuzzer (`make fuzz`), linked with replay.c they replay the
 * regression corpus tests/fuzz/corpus/<target>/ under `make check`. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Called once before the first input (libFuzzer calls it itself). */
int	LLVMFuzzerInitialize(int *argc, char ***argv);
/* One input; returns 0. A defect shows as a sanitizer report or abort. */
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* $abs_top_srcdir/rel, else the source tree the target was built from,
 * into buf. Returns buf. */
char   *fuzz_srcpath(const char *rel, char *buf, size_t size);

#endif /* FUZZ_H */
