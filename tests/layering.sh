#!/bin/sh
# tests/layering.sh — fails when a module includes a header of a module that
# comes later in the one-way flow (conventions rule 3), or when a library
# header is included outside its one wrapper (rule 2).
set -u
top=${abs_top_srcdir:-$(dirname "$0")/..}
order="err log report period json metrics auth conf cache feed catalog register validate ledger store ingest demo compare benchmark app band alertrun alert chart query view api routes alertweb inbox http"
rank() { i=0; for m in $order; do [ "$m" = "$1" ] && { echo $i; return; }; i=$((i+1)); done; echo -1; }
fail=0
for f in "$top"/src/*.c "$top"/include/*.h; do
	base=$(basename "$f"); mod=${base%.*}
	case $mod in basisd|basisctl) continue ;; esac
	r=$(rank "$mod")
	if [ "$r" -lt 0 ]; then echo "layering: $base is not in the module order"; fail=1; continue; fi
	for inc in $(sed -n 's/^#include "\([a-z_]*\)\.h".*/\1/p' "$f"); do
		[ "$inc" = config ] && continue
		ri=$(rank "$inc")
		if [ "$ri" -gt "$r" ]; then
			echo "layering: $base includes $inc.h, a later module"; fail=1
		fi
	done
done
for pair in csv.h:feed rrd.h:store sqlite3.h:ledger microhttpd.h:http sodium.h:auth csv.h:feed ini.h:catalog,register,conf,alert,benchmark; do
	h=${pair%%:*}; allowed=${pair#*:}
	for f in $(grep -l "#include <$h>" "$top"/src/*.c "$top"/include/*.h 2>/dev/null); do
		mod=$(basename "$f"); mod=${mod%.*}
		case ",$allowed," in *",$mod,"*) ;; *) echo "layering: <$h> included by $mod (only $allowed may)"; fail=1 ;; esac
	done
done
[ $fail -eq 0 ] && echo "layering: ok"
exit $fail
