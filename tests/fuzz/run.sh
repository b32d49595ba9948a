#!/bin/sh
# tests/fuzz/run.sh — `make fuzz`: build the fuzz targets with clang and
# libFuzzer in $abs_top_builddir/fuzz-build/ (its own configure, never the
# tree's build) and run each of $FUZZ_TARGETS for $FUZZ_TIME seconds on one
# core, starting from its regression corpus tests/fuzz/corpus/<target>/.
# New corpus entries go to fuzz-build/corpus/<target>/, crashes to
# fuzz-build/artifacts/<target>/; a crash fails the run. Copy a crash into
# the regression corpus once its cause is fixed, so `make check` keeps it.
set -eu
top=${abs_top_srcdir:?}
build=${abs_top_builddir:?}/fuzz-build
time=${FUZZ_TIME:-60}
targets=${FUZZ_TARGETS:-feed period conf http}
CC=${FUZZ_CC:-clang}

mkdir -p "$build"
if [ ! -f "$build/Makefile" ]; then
	(cd "$build" && "$top/configure" -q CC="$CC" --enable-fuzz)
fi
progs=
for t in $targets; do progs="$progs tests/fuzz/fuzz_$t"; done
make -s -C "$build" -j2 $progs

# Leaks inside fontconfig/pango (librrd's charts) are the libraries' own,
# suppressed as in make check.
LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0
export LSAN_OPTIONS
rc=0
for t in $targets; do
	mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
	log=$build/fuzz-$t.log
	echo "fuzz $t: ${time} s (log $log)"
	# One job, the checked-in corpus read but never written (libFuzzer
	# adds new inputs to the first directory only).
	if ! abs_top_srcdir=$top "$build/tests/fuzz/fuzz_$t" \
	    -max_total_time="$time" -print_final_stats=1 -max_len=65536 \
	    -artifact_prefix="$build/artifacts/$t/" \
	    "$build/corpus/$t" "$top/tests/fuzz/corpus/$t" >"$log" 2>&1; then
		echo "fuzz $t: FAILED, see $log and $build/artifacts/$t/"
		rc=1
	fi
	grep -E '^(#[0-9]+[[:space:]]+DONE|Done [0-9]+ runs)' "$log" || tail -n 5 "$log"
done
exit $rc
