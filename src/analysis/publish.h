/* src/analysis/publish.h — which figures may be published (domain §3.5): the
 * complementary (secondary) suppression that keeps every small cell
 * undetermined by everything else basisd publishes.
 *
 * The model. Per gemeente, year and family of indicators (indicators tied
 * by the sums the catalogue declares: duurklassen to pw_bestand, treden to
 * the clients measured, uitstroom reasons to the total, …) the unknowns
 * are the delivered cells (a count, or a teller and a noemer) of the
 * year's base periods. An attacker knows every published cell, every
 * declared sum, and every published longer period (quarter, halfjaar,
 * year: a sum of months). A small cell (compare_small) is protected when
 * it is not a linear combination of what is known; this is decided
 * exactly (integer elimination over the unknown cells):
 *   1. the declared sums alone may determine a small cell (six duurklassen
 *      and the bestand give the seventh): then one more cell of that sum is
 *      withheld — a part, never the whole, the smallest non-zero one;
 *   2. each longer period of a flow is then published only when it
 *      determines no small cell (nor a small longer period); the year is
 *      tried first, then halfjaren, then quarters.
 * Group figures need nothing here: the comparison computes them over
 * published cells only (compare_eval), so they are sums of published
 * numbers. Figures withheld by 1 and 2 are "aanvullend onderdrukt".
 * What the model does not cover is in doc/methoden.md.
 *
 * publish_block is pure. struct publish is a memo of the results per
 * (family, year, data version), shared by threads (it has its own mutex). */
#ifndef PUBLISH_H
#define PUBLISH_H

#include <stddef.h>

#include "analysis/compare.h"
#include "base/err.h"
#include "input/catalog.h"
#include "input/validate.h"

#define PUBLISH_MEMBERS 16	/* indicators of one family at most */

/* The indicators tied to one by declared sums, the family's root (its
 * first member by id) naming it. */
struct publish_family {
	const struct indicator *m[PUBLISH_MEMBERS];
	size_t	n;
};

/* The family of ind in cat (ind itself when it takes part in no sum). */
void	publish_family(const struct catalog *cat, const struct indicator *ind,
	    struct publish_family *ret);
/* The memo's name of a family: its root and a hash of its members and
 * their sums, so a reloaded catalogue with other sums is another key. */
void	publish_family_key(const struct publish_family *f, char *buf,
	    size_t size);

/* A withheld figure: indicator at periode (its own kind, or a longer
 * period of a flow). */
struct publish_cell {
	char	gemeente[8];
	char	indicator[64];
	struct period periode;
};

/* Withheld figures, sorted by gemeente, indicator, period (see
 * publish_sort). */
struct publish_list {
	struct publish_cell *v;
	size_t	n, cap;
};
void	publish_list_free(struct publish_list *l);	/* NULL-safe */
/* Append a figure; -1 with err set when out of memory. */
int	publish_list_add(struct publish_list *l, const char *gm, const char *id,
	    const struct period *p, struct err *err);
void	publish_sort(struct publish_list *l);

/* The withheld figures of one gemeente in one year: obs are the current
 * values of the family's members for gm in year (any order; other rows
 * are ignored). Appends to out. Returns 0, or -1 with err set (out of
 * memory). */
int	publish_block(const struct publish_family *f, const char *gm, int year,
	    const struct obs *obs, size_t n, struct publish_list *out,
	    struct err *err);

/* A term of a linear form another output publishes (the benchmark's
 * expected and realised figures): gewicht × the figure of id at periode
 * (a flow's longer period sums its months), dimension dim. */
struct publish_term {
	const char *id;
	struct period periode;
	enum cat_dim dim;
	double	gewicht;
};

/* 1 when the forms (form[i] says which form term i belongs to), published
 * besides everything else, determine no small figure of gm's family f in
 * year; 0 when they would; -1 with err set. */
int	publish_forms_ok(const struct publish_family *f, const char *gm,
	    int year, const struct obs *obs, size_t n,
	    const struct publish_term *t, const int *form, size_t nt,
	    struct err *err);

/* 1 when the figure v (of ind, any kind; a stand at a longer period is
 * the figure of its peildatum) is in the sorted list. */
int	publish_withheld(const struct publish_list *l, const struct indicator *ind,
	    const struct compare_period *v);

/* ---- memo ---- */
struct publish;

struct publish *publish_new(void);	/* NULL when out of memory */
void	publish_free(struct publish *pub);	/* NULL-safe */
/* Mark v[0..n) (of ind, one year of the family root's key) from the memo
 * entry (root, year, version): returns 1 when found (v[i].beschermd set),
 * 0 when not memoised. */
int	publish_memo_mark(struct publish *pub, const char *root, int year,
	    long long version, const struct indicator *ind,
	    struct compare_period *v, size_t n);
/* Keep l (taken over, also on failure) as the entry (root, year,
 * version); feed is the newest feed id it was computed with. */
void	publish_memo_put(struct publish *pub, const char *root, int year,
	    long long version, long long feed, struct publish_list *l);
/* An entry (root, year) of another data version: the newest feed id it
 * was computed with, or -1 when there is none. */
long long publish_memo_since(struct publish *pub, const char *root, int year);
/* That entry still holds (no feed since revised its family's year): it
 * becomes the entry of version, computed with feed. */
void	publish_memo_restamp(struct publish *pub, const char *root, int year,
	    long long since, long long version, long long feed);

#endif /* PUBLISH_H */
