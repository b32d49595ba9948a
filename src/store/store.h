/* src/store/store.h — derived time series in RRD files (librrd; the only
 * module that includes <rrd.h>). One file per (gemeente, indicator) under
 * rrd/GMxxxx/<indicator>.rrd with one row per period of the indicator's kind
 * (store_step: the kind's mean length; period k since 1970 is row k), over
 * a window from the catalogue's 'sinds' or the oldest value, whichever is
 * earlier, to five years after the current period. Components (teller, noemer) are kept as two
 * data sources so groups can be re-divided.
 *
 * Thread-safety: librrd is not thread-safe; every call into it is made with
 * the store's one mutex held, so a struct store may be shared by threads. */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>

#include "input/catalog.h"
#include "base/err.h"
#include "base/period.h"

struct store;

#define STORE_ENTRY	256	/* bytes for one "t:v:…" update argument (7 DS) */

struct store_point {
	struct period periode;
	double	v[2];	/* waarde, or teller and noemer; NaN = unknown */
};

/* A line drawn from memory instead of a file: the published values of a
 * series (disclosure control decides them, not the file), one per period
 * of kind, sorted; NaN = a gap. nds 1: waarde; 2: teller and noemer. */
struct store_line {
	enum period_kind kind;
	const struct store_point *pts;
	size_t	n;
	int	nds;
};

/* The DEF source of l for store_graph ("cb//…", librrd's fetch callback):
 * valid while l lives. Data source names: waarde, or teller and noemer. */
void	store_line_source(const struct store_line *l, char *buf, size_t size);
/* End of l's last period in seconds (the time store_last gives a file);
 * 0 when l is empty. */
long long store_line_last(const struct store_line *l);

/* dir is the rrd/ directory (created if missing). Leftover *.tmp files from
 * an interrupted rebuild are removed. */
struct store *store_open(const char *dir, struct err *err);
void	store_close(struct store *st);	/* NULL is a no-op */

/* Seconds per row of a kind's files: 2629746 (a mean Gregorian month)
 * times the months per period. */
long long store_step(enum period_kind kind);

/* The rows a file of ind holding [first, last] is created with: from the
 * earlier of 'sinds' and first, to the later of last and the period of
 * now, plus five years of headroom. first and rows count slots. */
struct store_window {
	long long step;		/* store_step of the kind */
	long long first;	/* slot of the window's first period */
	long long rows;
};
void	store_window(const struct indicator *ind, const struct period *first,
	    const struct period *last, long long now, struct store_window *ret);

/* Number of data sources of an indicator's file: 2 with components, else 1. */
int	store_nds(const struct indicator *ind);

/* Append points (sorted, all after the file's last update) in one batched
 * rrd_update; creates the file when missing. Returns 0, 1 when the file
 * already has data at or after the first point, has another layout, or
 * would push a value out of its window (caller must rebuild from the
 * ledger), or -1 on error. */
int	store_append(struct store *st, const char *gemeente,
	    const struct indicator *ind, const struct store_point *pts, size_t n,
	    struct err *err);
/* Write the whole series into a temp file and rename() it over the old one. */
int	store_rebuild(struct store *st, const char *gemeente,
	    const struct indicator *ind, const struct store_point *pts, size_t n,
	    struct err *err);
/* Structure check of a series file without librrd (issue 13): present,
 * a regular file, RRD head readable, the layout of ind (step, data
 * sources, one archive) and exactly the size head and rows need. 0, or
 * -1 with err saying what is wrong (Dutch, no path). */
int	store_check(struct store *st, const char *gemeente,
	    const struct indicator *ind, struct err *err);
/* The oldest and newest period a series file's rows cover. 0 or -1. */
int	store_window_of(struct store *st, const char *gemeente,
	    const struct indicator *ind, struct period *ret_first,
	    struct period *ret_last, struct err *err);
/* Remove a series file (when no value is left); a missing one is fine. */
int	store_remove(struct store *st, const char *gemeente,
	    const char *indicator, struct err *err);
/* Read the stored value of each period in [from, to] of the indicator's
 * periode (one point per period; NaN where there is none). from and to
 * must be of the indicator's kind; a missing file is an error (-1). */
int	store_read(struct store *st, const char *gemeente,
	    const struct indicator *ind, const struct period *from,
	    const struct period *to, struct store_point **ret, size_t *ret_n,
	    struct err *err);
/* Path of a series file into buf. Returns 0, or -1 when it does not fit. */
int	store_path(const struct store *st, const char *gemeente,
	    const char *indicator, char *buf, size_t size);
/* 1 if the series file exists. */
int	store_exists(const struct store *st, const char *gemeente,
	    const char *indicator);

/* period_end of the newest period of a series file, e.g. for a chart's
 * default range. */
int	store_last(struct store *st, const char *gemeente,
	    const struct indicator *ind, long long *ret, struct err *err);

/* ---- group bands (design §3) ----
 * One file per (group, indicator) under _band/<groep>/<indicator>.rrd with
 * the calendar layout of the series files and seven data sources, in this
 * order: n (gemeenten whose published value enters the percentiles), P10,
 * P25, P50, P75, P90 and agg (the group aggregate). groep is a canonical
 * group id ([A-Za-z0-9_-]: "alle", "provincie-utrecht", "G4",
 * "vergelijkbaar-GM0363"). */
#define STORE_BAND_NDS	7
enum { STORE_BAND_N, STORE_BAND_P10, STORE_BAND_P25, STORE_BAND_P50,
	STORE_BAND_P75, STORE_BAND_P90, STORE_BAND_AGG };

struct store_band_point {
	struct period periode;
	double	v[STORE_BAND_NDS];	/* NaN = unknown */
};

/* Path of a band file into buf; -1 for an invalid id or a short buffer. */
int	store_band_path(const struct store *st, const char *groep,
	    const char *indicator, char *buf, size_t size);
int	store_band_exists(const struct store *st, const char *groep,
	    const char *indicator);	/* 1 if it exists */
/* Write the whole band (points sorted by period, at least one) into a
 * temp file and rename() it over the old one; safe to call from several
 * threads for the same file. */
int	store_band_write(struct store *st, const char *groep,
	    const struct indicator *ind, const struct store_band_point *pts,
	    size_t n, struct err *err);
/* Read the band's values for each period in [from, to] (as store_read). */
int	store_band_read(struct store *st, const char *groep,
	    const struct indicator *ind, const struct period *from,
	    const struct period *to, struct store_band_point **ret,
	    size_t *ret_n, struct err *err);
int	store_band_last(struct store *st, const char *groep,
	    const struct indicator *ind, long long *ret, struct err *err);

/* The librrd arguments store_append and store_rebuild use, exported so a
 * benchmark can write the same files with the raw library (bench/rrd_raw).
 * Create: rrd_create_r(path, step, start, argc, argv) with the data
 * source and archive definitions of ind for points pts[0..n-1] at time
 * now; argv points into buf. */
struct store_create_args {
	struct store_window window;
	long long step;		/* seconds per row */
	long long start;	/* the start of the window's first row */
	int	argc;
	const char *argv[3];
	char	buf[3][96];
};
void	store_create_args(const struct indicator *ind,
	    const struct store_point *pts, size_t n, long long now,
	    struct store_create_args *ret);
/* Update: rrd_update_r(path, NULL, argc, argv) writing pts (sorted) after
 * time last: "t:v[:v]" per point, plus an unknown at the start of a period
 * that does not follow the previous one. argv and buf are malloc'd: free
 * with store_update_args_clear. */
struct store_update_args {
	int	argc;
	const char **argv;
	char	(*buf)[STORE_ENTRY];
};
int	store_update_args(const struct indicator *ind,
	    const struct store_point *pts, size_t n, long long last,
	    struct store_update_args *ret, struct err *err);
void	store_update_args_clear(struct store_update_args *u);

/* Run rrd_graph_v with argv (argv[0] ignored, "-" as file name so the image
 * is returned in memory) under the mutex. *ret_img is malloc'd. argv[1…]
 * are options and graph elements only: store inserts the "-" itself (a
 * leading "-" from the caller is tolerated). Returns -1 with librrd's
 * message on error. librrd 1.7.2 leaks ~55 bytes per call internally. */
int	store_graph(struct store *st, int argc, const char **argv,
	    unsigned char **ret_img, size_t *ret_len, struct err *err);

/* Holt-Winters aberrant-behaviour detection (design §8, "afwijkend
 * patroon"): librrd's HWPREDICT, SEASONAL, DEVSEASONAL, DEVPREDICT and
 * FAILURES archives over a series of one value per period. */
struct store_hw {
	int	season;		/* periods per season: 12 months, 4 quarters */
	double	alpha, beta, gamma;	/* smoothing of level, slope, season */
	int	threshold, window;	/* FAILURES: threshold of window */
	double	delta;		/* band: prediction ± delta × deviation
				 * (librrd's default 2; 0 keeps it) */
};
/* v[0..n-1] is written to a scratch RRD (one-second steps, one value per
 * step, NaN = unknown; removed afterwards) under the mutex; ret_flags[i]
 * is 1 where librrd flagged a failure at value i, else 0. n must be at
 * least 2 * season: the first season only initialises the model. */
int	store_aberrant(struct store *st, const double *v, size_t n,
	    const struct store_hw *hw, unsigned char *ret_flags,
	    struct err *err);

#endif /* STORE_H */
