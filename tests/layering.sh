#!/bin/sh
# tests/layering.sh — the one-way flow (conventions rule 3) and the one
# wrapper per library (rule 2), checked on the tree:
#  - src/<layer>/ folders come in data-flow order; a module may include
#    headers of its own folder or of an earlier one, never of a later one;
#  - within a folder the modules have an order too, and the same rule holds;
#    a module may span several files: mod.c plus mod_part.c (and a private
#    mod_part.h), all counted as module mod unless the order lists mod_part;
#  - pure modules (no I/O, no logging) include no store/app.h, base/log.h
#    or thread header;
#  - cmd/ (the two mains) and tools/ may include anything below them;
#  - a library header is included only by its wrapper.
set -u
top=${abs_top_srcdir:-$(dirname "$0")/..}
layers="base input store analysis alert serve tools cmd"
# Module order within each folder (a folder's modules not listed here fail).
order_base="util buf err num log report period json metrics auth conf cache fetch du gzip throttle"
order_input="feed catalog register geo baseline validate cbs"
order_store="ledger obsmem store ingest app heal"
order_analysis="compare benchmark publish query band chart map view"
order_alert="alert alertrun alert_engine"
order_serve="apidoc api routes alertweb inbox http"
order_tools="demo"
order_cmd="basisd basisctl"
# Pure modules: no I/O, no logging, no threads.
pure="alert/alert.c alert/alert.h"

# index WORD LIST…: position of WORD in the list, -1 if absent
index() { w=$1; shift; i=0; for x in "$@"; do [ "$x" = "$w" ] && { echo $i; return; }; i=$((i+1)); done; echo -1; }
order_of() { eval "echo \$order_$1"; }
# module LAYER NAME: NAME when the layer's order lists it, else the part
# before the first underscore (mod_part.c is a file of module mod).
module() { if [ "$(index "$2" $(order_of "$1"))" -ge 0 ]; then echo "$2"; else echo "${2%%_*}"; fi; }

fail=0
for f in "$top"/src/*/*.c "$top"/src/*/*.h; do
	layer=$(basename "$(dirname "$f")"); base=$(basename "$f"); mod=$(module "$layer" "${base%.*}")
	rl=$(index "$layer" $layers)
	if [ "$rl" -lt 0 ]; then echo "layering: src/$layer is not a known layer"; fail=1; continue; fi
	rm_=$(index "$mod" $(order_of "$layer"))
	if [ "$rm_" -lt 0 ]; then echo "layering: $layer/$base is not in the order of $layer/"; fail=1; continue; fi
	for inc in $(sed -n 's/^#include "\([a-z]*\)\/\([a-z_]*\)\.h".*/\1:\2/p' "$f"); do
		il=${inc%%:*}; im=$(module "$il" "${inc#*:}")
		ri=$(index "$il" $layers)
		if [ "$ri" -lt 0 ]; then echo "layering: $layer/$base includes $il/$im.h, an unknown layer"; fail=1
		elif [ "$ri" -gt "$rl" ]; then echo "layering: $layer/$base includes $il/$im.h, a later layer"; fail=1
		elif [ "$ri" -eq "$rl" ] && [ "$(index "$im" $(order_of "$layer"))" -gt "$rm_" ]; then
			echo "layering: $layer/$base includes $im.h, a later module of $layer/"; fail=1
		fi
	done
	# Headers of our own are always named with their layer.
	if grep -q '^#include "[a-z_]*\.h"' "$f" && grep '^#include "[a-z_]*\.h"' "$f" | grep -vq '"config\.h"'; then
		echo "layering: $layer/$base includes a project header without its layer folder"; fail=1
	fi
done
for f in $pure; do
	if grep -Eq '^#include ("store/app\.h"|"base/log\.h"|<pthread\.h>|"alert/alertrun\.h")' "$top/src/$f"; then
		echo "layering: $f is pure but includes an I/O module"; fail=1
	fi
done
for pair in csv.h:feed rrd.h:store sqlite3.h:ledger microhttpd.h:http sodium.h:auth curl/curl.h:fetch zlib.h:gzip jansson.h:json ini.h:catalog,register,conf,alert,baseline,cbs; do
	h=${pair%%:*}; allowed=${pair#*:}
	for f in $(grep -l "#include <$h>" "$top"/src/*/*.c "$top"/src/*/*.h 2>/dev/null); do
		mod=$(basename "$f"); mod=${mod%.*}; mod=${mod%%_*}
		case ",$allowed," in *",$mod,"*) ;; *) echo "layering: <$h> included by $mod (only $allowed may)"; fail=1 ;; esac
	done
done
[ $fail -eq 0 ] && echo "layering: ok"
exit $fail
