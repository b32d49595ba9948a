#!/bin/bash
# tests/e2e/ops.sh — operating basisd (issue 15): --help and -V on both
# programs, the report's "1 regel", token add without a name, basisctl -f
# with the service's configuration, root acting on a state another user
# owns (files stay that user's), and `make install` putting the unit and
# configuration in place with the configured paths.
set -u
: "${abs_top_srcdir:?run me through make check}"
: "${abs_top_builddir:?run me through make check}"
ctl=$abs_top_builddir/src/basisctl
daemon=$abs_top_builddir/src/basisd
cat=$abs_top_srcdir/indicators
tmp=$(mktemp -d "${TMPDIR:-/tmp}/basisd-ops-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local d=$1; shift; if "$@"; then ok; else bad "$d"; fi; }

version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"/\1/p' "$abs_top_builddir/config.h")
check "basisd -V" test "$("$daemon" -V)" = "basisd $version"
check "basisd --version" test "$("$daemon" --version)" = "basisd $version"
check "basisd --help exits 0" sh -c "'$daemon' --help | grep -q '^gebruik: basisd'"
check "basisctl -V" test "$("$ctl" -V)" = "basisctl $version"
check "basisctl --help exits 0" sh -c "'$ctl' --help | grep -q '^  cbs '"

st=$tmp/state
b() { "$ctl" -s "$st" -c "$cat" "$@"; }
b init >/dev/null || exit 99
printf 'gemeente;indicator;periode;waarde\nGM0363;pw_bestand;2024-03;12\n' >"$tmp/een.csv"
b ingest "$tmp/een.csv" >"$tmp/out" 2>&1
check "one row is '1 regel'" grep -q ' — 1 regel, 1 goed, 0 fout' "$tmp/out"
b token add --rol beheer >/dev/null 2>"$tmp/out"
check "token add without naam" grep -q '^token 1 (rol beheer, gemeenten: alle)' "$tmp/out"

# -f: state and catalogue from a service configuration elsewhere.
printf '[paths]\nstate_dir = %s\ncatalog_dir = %s\n' "$st" "$cat" >"$tmp/svc.conf"
"$ctl" -f "$tmp/svc.conf" status >"$tmp/out" 2>&1
check "basisctl -f reads state_dir" grep -q "grootboek $st/basis.db" "$tmp/out"

# Root on a state owned by the service user works as that user: a rebuild
# must not leave root-owned RRD files behind.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	chown -R nobody: "$st"
	chmod 755 "$tmp"
	"$ctl" -f "$tmp/svc.conf" rebuild >"$tmp/out" 2>&1
	check "root rebuild succeeds" test $? -eq 0
	printf 'gemeente;indicator;periode;waarde\nGM0599;pw_bestand;2024-03;7\n' >"$tmp/twee.csv"
	"$ctl" -f "$tmp/svc.conf" ingest "$tmp/twee.csv" >/dev/null 2>&1
	check "root ingest succeeds" test $? -eq 0
	check "every file still the owner's" test -z "$(find "$st" ! -user nobody)"
	check "new RRD file is the owner's" test "$(stat -c %U "$st/rrd/GM0599/pw_bestand.rrd" 2>/dev/null)" = nobody
else
	echo "SKIP: not root: the owner switch is not tested here (CI runs as root)"
fi

# make install: unit and configuration with the configured paths.
dest=$tmp/dest
make -s -C "$abs_top_builddir" install DESTDIR="$dest" >"$tmp/install.log" 2>&1
check "make install" test $? -eq 0
unit=$(find "$dest" -name basisd.service | head -n 1)
check "unit installed" test -n "$unit"
exe=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$unit")
conf=$(sed -n 's/^ExecStart=.* -f \(.*\)$/\1/p' "$unit")
check "ExecStart names the installed basisd ($exe)" test -x "$dest$exe"
check "configuration installed at the unit's -f ($conf)" test -f "$dest$conf"
catdir=$(sed -n 's/^catalog_dir = //p' "$dest$conf")
check "catalog_dir of the installed configuration exists" test -f "$dest$catdir/pw_bestand.ini"
check "sysusers entry for basisd" sh -c "grep -rqs '^u basisd' '$dest'"

echo "ops: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
