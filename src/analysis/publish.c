/* src/analysis/publish.c — families of indicators (tied by the catalogue's
 * sums), the list of withheld figures, and the memo of it per family, year
 * and data version. The elimination itself is publish_solve.c. See
 * publish.h for the model. */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/publish.h"
#include "base/util.h"

/* ---- families ---- */

static int
member_of(const struct publish_family *f, const struct indicator *ind)
{
	/* by id: a caller may pass a copy of a catalogue entry */
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->m[i]->id, ind->id) == 0)
			return (int)i;
	return -1;
}

/* 1 when a declares a sum with b as a part (ids are unique in a
 * catalogue, so the name is enough; this runs on every read). */
static int
declares(const struct indicator *a, const struct indicator *b)
{
	for (size_t s = 0; s < a->nsom; s++)
		for (size_t k = 0; k < a->som[s].n; k++)
			if (a->som[s].t[k].id[0] == b->id[0] &&
			    strcmp(a->som[s].t[k].id, b->id) == 0)
				return 1;
	return 0;
}

static int
tied(const struct indicator *a, const struct indicator *b)
{
	return (a->nsom > 0 && declares(a, b)) || (b->nsom > 0 &&
	    declares(b, a));
}

void
publish_family(const struct catalog *cat, const struct indicator *ind,
    struct publish_family *ret)
{
	ret->n = 0;
	ret->m[ret->n++] = ind;
	/* breadth-first over the sums; the catalogue is small (~60) */
	for (size_t q = 0; q < ret->n; q++)
		for (size_t i = 0; i < cat->n && ret->n < PUBLISH_MEMBERS; i++)
			if (tied(ret->m[q], &cat->items[i]) &&
			    member_of(ret, &cat->items[i]) < 0)
				ret->m[ret->n++] = &cat->items[i];
	/* catalogue order: the same family whichever member asked */
	for (size_t i = 1; i < ret->n; i++)
		for (size_t j = i; j > 0 && strcmp(ret->m[j - 1]->id,
		    ret->m[j]->id) > 0; j--) {
			const struct indicator *t = ret->m[j];
			ret->m[j] = ret->m[j - 1];
			ret->m[j - 1] = t;
		}
}

void
publish_family_key(const struct publish_family *f, char *buf, size_t size)
{
	uint64_t h = UTIL_FNV1A_BASIS;

	for (size_t i = 0; i < f->n; i++) {
		const struct indicator *m = f->m[i];
		h = util_fnv1a_str(h, m->id);
		h = util_fnv1a(h, &m->min_n, sizeof(m->min_n));
		h = util_fnv1a(h, &m->min_n_teller, sizeof(m->min_n_teller));
		for (size_t s = 0; s < m->nsom; s++)
			for (size_t k = 0; k < m->som[s].n; k++) {
				h = util_fnv1a_str(h, m->som[s].t[k].id);
				h = util_fnv1a(h, &m->som[s].t[k].gewicht,
				    sizeof(double));
			}
	}
	snprintf(buf, size, "%.40s:%016llx", f->m[0]->id,
	    (unsigned long long)h);
}

/* ---- the list ---- */

int
publish_list_add(struct publish_list *l, const char *gm, const char *id,
    const struct period *p, struct err *err)
{
	if (l->n == l->cap) {
		size_t	cap = l->cap ? l->cap * 2 : 64;
		void   *g = realloc(l->v, cap * sizeof(*l->v));
		if (g == NULL)
			return err_set(err, "onvoldoende geheugen");
		l->v = g;
		l->cap = cap;
	}
	struct publish_cell *c = &l->v[l->n++];
	snprintf(c->gemeente, sizeof(c->gemeente), "%s", gm);
	snprintf(c->indicator, sizeof(c->indicator), "%s", id);
	c->periode = *p;
	return 0;
}


static int
cmp_cell(const void *a, const void *b)
{
	const struct publish_cell *x = a, *y = b;
	int	c;

	if ((c = strcmp(x->gemeente, y->gemeente)) != 0 ||
	    (c = strcmp(x->indicator, y->indicator)) != 0)
		return c;
	if (x->periode.kind != y->periode.kind)
		return x->periode.kind < y->periode.kind ? -1 : 1;
	if (x->periode.year != y->periode.year)
		return x->periode.year < y->periode.year ? -1 : 1;
	return (x->periode.index > y->periode.index) -
	    (x->periode.index < y->periode.index);
}

void
publish_sort(struct publish_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_cell);
}

void
publish_list_free(struct publish_list *l)
{
	if (l == NULL)
		return;
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
publish_withheld(const struct publish_list *l, const struct indicator *ind,
    const struct compare_period *v)
{
	struct publish_cell key;

	if (l->n == 0)
		return 0;
	snprintf(key.gemeente, sizeof(key.gemeente), "%s", v->gemeente);
	snprintf(key.indicator, sizeof(key.indicator), "%s", ind->id);
	/* a stand over a longer period is its peildatum's figure */
	key.periode = ind->meting == METING_STAND && v->aanwezig > 0 ?
	    v->peildatum : v->periode;
	return bsearch(&key, l->v, l->n, sizeof(*l->v), cmp_cell) != NULL;
}

/* ---- memo ---- */

#define MEMO_MAX 512

struct memo_entry {
	char	root[64];
	int	year;
	long long version;
	long long feed;		/* newest feed id at computation */
	struct publish_list l;
};

struct publish {
	pthread_mutex_t mu;
	struct memo_entry *e;
	size_t	n;
};

struct publish *
publish_new(void)
{
	struct publish *pub = calloc(1, sizeof(*pub));

	if (pub == NULL)
		return NULL;
	if ((pub->e = calloc(MEMO_MAX, sizeof(*pub->e))) == NULL) {
		free(pub);
		return NULL;
	}
	pthread_mutex_init(&pub->mu, NULL);
	return pub;
}

void
publish_free(struct publish *pub)
{
	if (pub == NULL)
		return;
	for (size_t i = 0; i < pub->n; i++)
		publish_list_free(&pub->e[i].l);
	free(pub->e);
	pthread_mutex_destroy(&pub->mu);
	free(pub);
}

static struct memo_entry *
memo_find(struct publish *pub, const char *root, int year, long long version)
{
	for (size_t i = 0; i < pub->n; i++)
		if (pub->e[i].year == year && pub->e[i].version == version &&
		    strcmp(pub->e[i].root, root) == 0)
			return &pub->e[i];
	return NULL;
}

int
publish_memo_mark(struct publish *pub, const char *root, int year,
    long long version, const struct indicator *ind,
    struct compare_period *v, size_t n)
{
	struct memo_entry *e;

	pthread_mutex_lock(&pub->mu);
	if ((e = memo_find(pub, root, year, version)) != NULL)
		for (size_t i = 0; i < n; i++)
			v[i].beschermd |= publish_withheld(&e->l, ind, &v[i]);
	pthread_mutex_unlock(&pub->mu);
	return e != NULL;
}

/* When the memo is full the older half goes (entries are appended, so
 * the first ones are the oldest). */
static void
memo_evict(struct publish *pub)
{
	size_t	half = pub->n / 2;

	for (size_t i = 0; i < half; i++)
		publish_list_free(&pub->e[i].l);
	memmove(pub->e, pub->e + half, (pub->n - half) * sizeof(*pub->e));
	pub->n -= half;
}

/* The entry (root, year) of any version. */
static struct memo_entry *
memo_any(struct publish *pub, const char *root, int year)
{
	for (size_t i = pub->n; i-- > 0;)
		if (pub->e[i].year == year && strcmp(pub->e[i].root, root) == 0)
			return &pub->e[i];
	return NULL;
}

long long
publish_memo_since(struct publish *pub, const char *root, int year)
{
	struct memo_entry *e;
	long long feed;

	pthread_mutex_lock(&pub->mu);
	feed = (e = memo_any(pub, root, year)) != NULL ? e->feed : -1;
	pthread_mutex_unlock(&pub->mu);
	return feed;
}

void
publish_memo_restamp(struct publish *pub, const char *root, int year,
    long long since, long long version, long long feed)
{
	struct memo_entry *e;

	pthread_mutex_lock(&pub->mu);
	if ((e = memo_any(pub, root, year)) != NULL && e->feed == since &&
	    memo_find(pub, root, year, version) == NULL) {
		e->version = version;
		e->feed = feed;
	}
	pthread_mutex_unlock(&pub->mu);
}

void
publish_memo_put(struct publish *pub, const char *root, int year,
    long long version, long long feed, struct publish_list *l)
{
	struct memo_entry *e;

	pthread_mutex_lock(&pub->mu);
	if (memo_find(pub, root, year, version) != NULL) {
		publish_list_free(l);	/* another thread was first */
		pthread_mutex_unlock(&pub->mu);
		return;
	}
	if ((e = memo_any(pub, root, year)) != NULL)	/* an older one */
		publish_list_free(&e->l);
	else {
		if (pub->n == MEMO_MAX)
			memo_evict(pub);
		e = &pub->e[pub->n++];
	}
	snprintf(e->root, sizeof(e->root), "%s", root);
	e->year = year;
	e->version = version;
	e->feed = feed;
	e->l = *l;
	memset(l, 0, sizeof(*l));
	pthread_mutex_unlock(&pub->mu);
}
