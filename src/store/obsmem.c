/* src/store/obsmem.c — the ledger's current values in memory (obsmem.h).
 * Per indicator (sorted by id) its series (sorted by gemeente, values in
 * the order ledger_series gives), the distinct periods, and per year the
 * last feed that changed it. A value takes 64 bytes instead of the 400 of
 * a struct obs: the national demo (980 000 values) holds in about 65 MB. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/obsmem.h"

#define YEAR0	1900
#define NYEARS	256		/* 1900..2155: period_parse's range */

struct mval {
	struct period periode;
	double	waarde, teller, noemer;
	enum obs_status status;
	unsigned char synthetisch;
	unsigned short revs;	/* revisions of the period (withdrawn too) */
	char	versie[8];
	char   *toelichting;	/* NULL for "" (nearly always) */
};

struct mseries {
	char	gemeente[8];
	struct mval *v;
	size_t	n;
	int	revs;		/* v[].revs hold ledger_revision_counts */
};

struct mind {
	char	id[64];
	struct mseries *s;	/* sorted by gemeente */
	size_t	n, cap;
	struct period *per;	/* distinct periods, period_cmp order */
	size_t	nper;
	long long changed[NYEARS];	/* last feed that changed the year */
};

struct obsmem {
	pthread_rwlock_t lock;	/* the data below */
	pthread_mutex_t sync;	/* one sync at a time */
	struct mind **ind;	/* sorted by id */
	size_t	nind, cap;
	int	ok;		/* loaded and in sync */
	long long version, feed;
	long long base_feed;	/* feed at the full load: older changes
				 * are unknown here */
	size_t	values, bytes;
	unsigned long long syncs, fallbacks;
};

struct obsmem *
obsmem_new(void)
{
	struct obsmem *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	if (pthread_rwlock_init(&m->lock, NULL) != 0) {
		free(m);
		return NULL;
	}
	if (pthread_mutex_init(&m->sync, NULL) != 0) {
		pthread_rwlock_destroy(&m->lock);
		free(m);
		return NULL;
	}
	m->version = m->feed = -1;
	return m;
}

static void
vals_free(struct mval *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].toelichting);
	free(v);
}

static void
ind_free(struct mind *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n; i++)
		vals_free(d->s[i].v, d->s[i].n);
	free(d->s);
	free(d->per);
	free(d);
}

static void
drop_all(struct obsmem *m)
{
	for (size_t i = 0; i < m->nind; i++)
		ind_free(m->ind[i]);
	free(m->ind);
	m->ind = NULL;
	m->nind = m->cap = 0;
	m->values = m->bytes = 0;
	m->ok = 0;
	m->version = m->feed = -1;
}

void
obsmem_free(struct obsmem *m)
{
	if (m == NULL)
		return;
	drop_all(m);
	pthread_mutex_destroy(&m->sync);
	pthread_rwlock_destroy(&m->lock);
	free(m);
}

/* ---- lookups (callers hold the lock) ---- */

static struct mind *
find_ind(const struct obsmem *m, const char *id, size_t *at)
{
	size_t	lo = 0, hi = m->nind;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;
		int	c = strcmp(m->ind[mid]->id, id);
		if (c == 0) {
			*at = mid;
			return m->ind[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return NULL;
}

static struct mseries *
find_series(const struct mind *d, const char *gm, size_t *at)
{
	size_t	lo = 0, hi = d->n;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;
		int	c = strcmp(d->s[mid].gemeente, gm);
		if (c == 0) {
			*at = mid;
			return &d->s[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return NULL;
}

/* period_cmp, without computing the starts for periods of one kind (a
 * series has one): a cross-section compares 342 × 7 times. */
static int
cmp_period_fast(const struct period *a, const struct period *b)
{
	if (a->kind != b->kind)
		return period_cmp(a, b);
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

/* The value of period p in s (values in time order), or NULL. */
static const struct mval *
find_value(const struct mseries *s, const struct period *p)
{
	size_t	lo = 0, hi = s->n;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;
		int	c = cmp_period_fast(&s->v[mid].periode, p);
		if (c == 0)
			return &s->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- building (outside the lock) ---- */

static int
to_mval(const struct obs *o, struct mval *v)
{
	memset(v, 0, sizeof(*v));
	v->periode = o->periode;
	v->waarde = o->waarde;
	v->teller = o->teller;
	v->noemer = o->noemer;
	v->status = o->status;
	v->synthetisch = (unsigned char)(o->synthetisch != 0);
	memcpy(v->versie, o->versie, sizeof(v->versie));
	v->versie[sizeof(v->versie) - 1] = '\0';
	if (o->toelichting[0] != '\0' &&
	    (v->toelichting = strdup(o->toelichting)) == NULL)
		return -1;
	return 0;
}

static void
to_obs(const char *gm, const char *ind, const struct mval *v, struct obs *o)
{
	memset(o, 0, sizeof(*o));
	memcpy(o->gemeente, gm, sizeof(o->gemeente));
	snprintf(o->indicator, sizeof(o->indicator), "%s", ind);
	o->periode = v->periode;
	o->waarde = v->waarde;
	o->teller = v->teller;
	o->noemer = v->noemer;
	o->status = v->status;
	o->synthetisch = v->synthetisch;
	memcpy(o->versie, v->versie, sizeof(o->versie));
	if (v->toelichting != NULL)
		snprintf(o->toelichting, sizeof(o->toelichting), "%s",
		    v->toelichting);
}

/* gm's current values of indicator from the ledger, compacted. */
static int
load_series(struct ledger *led, const char *gm, const char *indicator,
    struct mseries *ret, struct err *err)
{
	struct obs *o = NULL;
	int    *revs = NULL;
	size_t	n = 0, nrev = 0;

	memset(ret, 0, sizeof(*ret));
	snprintf(ret->gemeente, sizeof(ret->gemeente), "%s", gm);
	if (ledger_series(led, gm, indicator, &o, &n, err) == -1)
		return -1;
	if (ledger_revision_counts(led, gm, indicator, &revs, &nrev, err) ==
	    -1) {
		free(o);
		return -1;
	}
	if ((ret->v = calloc(n ? n : 1, sizeof(*ret->v))) == NULL)
		goto oom;
	for (; ret->n < n; ret->n++)
		if (to_mval(&o[ret->n], &ret->v[ret->n]) == -1)
			goto oom;
	/* per period, in the series' order, when every period has a count
	 * (a period whose values were all withdrawn has one and no value) */
	ret->revs = nrev == n;
	for (size_t i = 0; ret->revs && i < n; i++)
		ret->v[i].revs = (unsigned short)(revs[i] > 65535 ? 65535 :
		    revs[i]);
	free(revs);
	free(o);
	return 0;
oom:
	free(revs);
	free(o);
	vals_free(ret->v, ret->n);
	ret->v = NULL;
	return err_set(err, "onvoldoende geheugen voor de waarden in het "
	    "geheugen");
}

static int
cmp_period(const void *a, const void *b)
{
	return period_cmp(a, b);
}

/* d->per from its series. */
static int
index_periods(struct mind *d)
{
	size_t	n = 0, k = 0;
	struct period *p;

	for (size_t i = 0; i < d->n; i++)
		n += d->s[i].n;
	if ((p = malloc((n ? n : 1) * sizeof(*p))) == NULL)
		return -1;
	for (size_t i = 0, f = 0; i < d->n; i++)
		for (size_t j = 0; j < d->s[i].n; j++)
			p[f++] = d->s[i].v[j].periode;
	if (n > 1)
		qsort(p, n, sizeof(*p), cmp_period);
	for (size_t i = 0; i < n; i++)	/* unique */
		if (k == 0 || period_cmp(&p[i], &p[k - 1]) != 0)
			p[k++] = p[i];
	free(d->per);
	d->per = p;
	d->nper = k;
	return 0;
}

/* ---- applying series (under the exclusive lock) ---- */

static struct mind *
ind_get(struct obsmem *m, const char *id)
{
	size_t	at;
	struct mind *d = find_ind(m, id, &at);

	if (d != NULL)
		return d;
	if (m->nind == m->cap) {
		size_t	cap = m->cap ? 2 * m->cap : 64;
		struct mind **grown = realloc(m->ind, cap * sizeof(*grown));
		if (grown == NULL)
			return NULL;
		m->ind = grown;
		m->cap = cap;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	snprintf(d->id, sizeof(d->id), "%s", id);
	memmove(m->ind + at + 1, m->ind + at, (m->nind - at) * sizeof(*m->ind));
	m->ind[at] = d;
	m->nind++;
	return d;
}

/* Put s (taken over) in place of gm's series of d. The old values go to
 * *old (freed by the caller once the lock is released). -1: no room. */
static int
series_put(struct obsmem *m, struct mind *d, struct mseries *s,
    struct mseries *old)
{
	size_t	at;
	struct mseries *e = find_series(d, s->gemeente, &at);

	memset(old, 0, sizeof(*old));
	if (e != NULL) {
		*old = *e;
		*e = *s;
	} else {
		if (d->n == d->cap) {
			size_t	cap = d->cap ? 2 * d->cap : 16;
			struct mseries *grown = realloc(d->s,
			    cap * sizeof(*grown));
			if (grown == NULL)
				return -1;
			d->s = grown;
			d->cap = cap;
		}
		memmove(d->s + at + 1, d->s + at, (d->n - at) * sizeof(*d->s));
		d->s[at] = *s;
		d->n++;
	}
	m->values += s->n - old->n;
	m->bytes += (s->n - old->n) * sizeof(struct mval);
	return 0;
}

/* ---- sync ---- */

/* A changed series to load: key and, once loaded, its values. */
struct pending {
	char	gemeente[8];
	char	indicator[64];
	struct mseries s;
};

static int
cmp_change(const void *a, const void *b)
{
	const struct ledger_year_change *x = a, *y = b;
	int	c = strcmp(x->indicator, y->indicator);

	return c != 0 ? c : strcmp(x->gemeente, y->gemeente);
}

/* The distinct series of ch (sorted in place), each loaded. */
static int
load_pending(struct ledger *led, struct ledger_year_change *ch, size_t nch,
    struct pending **ret, size_t *ret_n, struct err *err)
{
	struct pending *p = calloc(nch ? nch : 1, sizeof(*p));
	size_t	n = 0;

	if (p == NULL)
		return err_set(err, "onvoldoende geheugen");
	if (nch > 1)
		qsort(ch, nch, sizeof(*ch), cmp_change);
	for (size_t i = 0; i < nch; i++) {
		if (n > 0 && cmp_change(&ch[i], &ch[i - 1]) == 0)
			continue;
		memcpy(p[n].gemeente, ch[i].gemeente, sizeof(p[n].gemeente));
		memcpy(p[n].indicator, ch[i].indicator,
		    sizeof(p[n].indicator));
		if (load_series(led, ch[i].gemeente, ch[i].indicator, &p[n].s,
		    err) == -1)
			goto fail;
		n++;
	}
	*ret = p;
	*ret_n = n;
	return 0;
fail:
	for (size_t i = 0; i < n; i++)
		vals_free(p[i].s.v, p[i].s.n);
	free(p);
	return -1;
}

/* Swap the loaded series in, note the years the changes touched and
 * re-index the periods of the indicators they belong to. Under the
 * exclusive lock; the replaced values are freed after it. */
static int
apply(struct obsmem *m, struct pending *p, size_t np,
    const struct ledger_year_change *ch, size_t nch, struct mseries *old)
{
	int	rc = 0;

	for (size_t i = 0; i < np; i++) {
		struct mind *d = ind_get(m, p[i].indicator);
		if (d == NULL || series_put(m, d, &p[i].s, &old[i]) == -1) {
			rc = -1;	/* p[i].s stays the caller's to free */
			break;
		}
		p[i].s.v = NULL;
		p[i].s.n = 0;
	}
	for (size_t i = 0; rc == 0 && i < nch; i++) {
		size_t	at;
		struct mind *d = find_ind(m, ch[i].indicator, &at);
		int	y = ch[i].year - YEAR0;
		if (d != NULL && y >= 0 && y < NYEARS &&
		    ch[i].feed_id > d->changed[y])
			d->changed[y] = ch[i].feed_id;
	}
	for (size_t i = 0; rc == 0 && i < np; i++) {
		size_t	at;
		struct mind *d = find_ind(m, p[i].indicator, &at);
		if (i > 0 && strcmp(p[i].indicator, p[i - 1].indicator) == 0)
			continue;
		if (d != NULL && index_periods(d) == -1)
			rc = -1;
	}
	return rc;
}

/* The series to (re)load: every key on the first sync, else what the
 * feeds since m->feed changed. Returns them as changes (year 0 for a
 * full load). */
static int
changes_of(struct obsmem *m, struct ledger *led, struct ledger_year_change **ret,
    size_t *ret_n, struct err *err)
{
	struct ledger_key *k = NULL;
	size_t	n = 0;

	if (m->ok)
		return ledger_changes(led, m->feed, ret, ret_n, err);
	if (ledger_keys(led, NULL, &k, &n, err) == -1)
		return -1;
	if ((*ret = calloc(n ? n : 1, sizeof(**ret))) == NULL) {
		free(k);
		return err_set(err, "onvoldoende geheugen");
	}
	for (size_t i = 0; i < n; i++) {
		memcpy((*ret)[i].gemeente, k[i].gemeente, sizeof(k->gemeente));
		memcpy((*ret)[i].indicator, k[i].indicator,
		    sizeof(k->indicator));
	}
	*ret_n = n;
	free(k);
	return 0;
}

static int
sync_locked(struct obsmem *m, struct ledger *led, long long version,
    long long feed, struct err *err)
{
	struct ledger_year_change *ch = NULL;
	struct pending *p = NULL;
	struct mseries *old = NULL;
	size_t	nch = 0, np = 0;
	int	rc = -1, full = !m->ok;

	if (changes_of(m, led, &ch, &nch, err) == -1 ||
	    load_pending(led, ch, nch, &p, &np, err) == -1)
		goto out;
	if ((old = calloc(np ? np : 1, sizeof(*old))) == NULL) {
		err_set(err, "onvoldoende geheugen");
		goto out;
	}
	pthread_rwlock_wrlock(&m->lock);
	if (full)
		drop_all(m);
	rc = apply(m, p, np, full ? NULL : ch, full ? 0 : nch, old);
	if (rc == 0) {
		m->version = version;
		m->feed = feed;
		if (full)
			m->base_feed = feed;
		m->ok = 1;
		m->syncs++;
	} else {
		drop_all(m);	/* the next sync loads everything */
		err_set(err, "onvoldoende geheugen voor de waarden in het "
		    "geheugen");
	}
	pthread_rwlock_unlock(&m->lock);
out:
	for (size_t i = 0; old != NULL && i < np; i++)
		vals_free(old[i].v, old[i].n);
	for (size_t i = 0; p != NULL && i < np; i++)
		vals_free(p[i].s.v, p[i].s.n);
	free(old);
	free(p);
	free(ch);
	return rc;
}

int
obsmem_sync(struct obsmem *m, struct ledger *led, struct err *err)
{
	long long version, feed;
	int	rc = 0;

	pthread_mutex_lock(&m->sync);
	if (ledger_read_begin(led, err) == -1) {
		pthread_mutex_unlock(&m->sync);
		return -1;
	}
	version = ledger_data_version(led);
	feed = ledger_feed_max(led);
	if (version < 0 || feed < 0)
		rc = err_set(err, "datumversie van het grootboek onleesbaar");
	else if (!m->ok || feed != m->feed || version != m->version)
		rc = sync_locked(m, led, version, feed, err);
	ledger_read_end(led);
	if (rc == -1) {
		pthread_rwlock_wrlock(&m->lock);
		drop_all(m);
		pthread_rwlock_unlock(&m->lock);
	}
	pthread_mutex_unlock(&m->sync);
	return rc;
}

/* ---- reads ---- */

static long long
read_ll(struct obsmem *m, const long long *field)
{
	long long v;

	pthread_rwlock_rdlock(&m->lock);
	v = m->ok ? *field : -1;
	pthread_rwlock_unlock(&m->lock);
	return v;
}

long long
obsmem_version(struct obsmem *m)
{
	return read_ll(m, &m->version);
}

long long
obsmem_feed(struct obsmem *m)
{
	return read_ll(m, &m->feed);
}

int
obsmem_year_changed(struct obsmem *m, const char *indicator, int year,
    long long since)
{
	size_t	at;
	const struct mind *d;
	int	rc = 1, y = year - YEAR0;

	pthread_rwlock_rdlock(&m->lock);
	if (m->ok && since >= m->base_feed) {
		d = find_ind(m, indicator, &at);
		rc = d != NULL && y >= 0 && y < NYEARS ? d->changed[y] > since :
		    0;
	}
	pthread_rwlock_unlock(&m->lock);
	return rc;
}

/* Start a read: 1 (and no lock held) when m holds nothing usable. */
static int
read_begin(struct obsmem *m)
{
	pthread_rwlock_rdlock(&m->lock);
	if (m->ok)
		return 0;
	pthread_rwlock_unlock(&m->lock);
	__atomic_add_fetch(&m->fallbacks, 1, __ATOMIC_RELAXED);
	return 1;
}

static int
read_end(struct obsmem *m, struct obs *o, size_t n, struct obs **ret,
    size_t *ret_n, struct err *err)
{
	pthread_rwlock_unlock(&m->lock);
	if (o == NULL)
		return err_set(err, "onvoldoende geheugen");
	*ret = o;
	*ret_n = n;
	return 0;
}

int
obsmem_series(struct obsmem *m, const char *gemeente, const char *indicator,
    struct obs **ret, size_t *ret_n, struct err *err)
{
	size_t	at, n = 0;
	const struct mind *d;
	const struct mseries *s = NULL;
	struct obs *o;

	if (read_begin(m))
		return 1;
	if ((d = find_ind(m, indicator, &at)) != NULL)
		s = find_series(d, gemeente, &at);
	if ((o = calloc(s != NULL && s->n ? s->n : 1, sizeof(*o))) != NULL)
		for (; s != NULL && n < s->n; n++)
			to_obs(s->gemeente, indicator, &s->v[n], &o[n]);
	return read_end(m, o, n, ret, ret_n, err);
}

int
obsmem_revision_counts(struct obsmem *m, const char *gemeente,
    const char *indicator, int **ret, size_t *ret_n, struct err *err)
{
	size_t	at, n = 0;
	const struct mind *d;
	const struct mseries *s = NULL;
	int    *r;

	if (read_begin(m))
		return 1;
	if ((d = find_ind(m, indicator, &at)) != NULL)
		s = find_series(d, gemeente, &at);
	if (s != NULL && !s->revs) {
		pthread_rwlock_unlock(&m->lock);
		return 1;	/* counts and values differ: the ledger's */
	}
	if ((r = malloc((s != NULL && s->n ? s->n : 1) * sizeof(*r))) != NULL)
		for (; s != NULL && n < s->n; n++)
			r[n] = s->v[n].revs;
	pthread_rwlock_unlock(&m->lock);
	if (r == NULL)
		return err_set(err, "onvoldoende geheugen");
	*ret = r;
	*ret_n = n;
	return 0;
}

int
obsmem_cross_section(struct obsmem *m, const char *indicator,
    const struct period *p, struct obs **ret, size_t *ret_n,
    struct err *err)
{
	size_t	at, n = 0;
	const struct mind *d;
	struct obs *o;

	if (read_begin(m))
		return 1;
	d = find_ind(m, indicator, &at);
	if ((o = calloc(d != NULL && d->n ? d->n : 1, sizeof(*o))) != NULL)
		for (size_t i = 0; d != NULL && i < d->n; i++) {
			const struct mval *v = find_value(&d->s[i], p);
			if (v != NULL)
				to_obs(d->s[i].gemeente, indicator, v, &o[n++]);
		}
	return read_end(m, o, n, ret, ret_n, err);
}

int
obsmem_year(struct obsmem *m, const char *indicator, int year,
    struct obs **ret, size_t *ret_n, struct err *err)
{
	size_t	at, n = 0, cap = 0;
	const struct mind *d;
	struct obs *o;

	if (read_begin(m))
		return 1;
	d = find_ind(m, indicator, &at);
	for (size_t i = 0; d != NULL && i < d->n; i++)
		for (size_t j = 0; j < d->s[i].n; j++)
			cap += d->s[i].v[j].periode.year == year;
	if ((o = calloc(cap ? cap : 1, sizeof(*o))) != NULL)
		for (size_t i = 0; d != NULL && i < d->n; i++)
			for (size_t j = 0; j < d->s[i].n; j++)
				if (d->s[i].v[j].periode.year == year)
					to_obs(d->s[i].gemeente, indicator,
					    &d->s[i].v[j], &o[n++]);
	return read_end(m, o, n, ret, ret_n, err);
}

int
obsmem_periods(struct obsmem *m, const char *indicator, struct period **ret,
    size_t *ret_n, struct err *err)
{
	size_t	at, n;
	const struct mind *d;
	struct period *p;

	if (read_begin(m))
		return 1;
	d = find_ind(m, indicator, &at);
	n = d != NULL ? d->nper : 0;
	if ((p = malloc((n ? n : 1) * sizeof(*p))) != NULL && n > 0)
		memcpy(p, d->per, n * sizeof(*p));
	pthread_rwlock_unlock(&m->lock);
	if (p == NULL)
		return err_set(err, "onvoldoende geheugen");
	*ret = p;
	*ret_n = n;
	return 0;
}

void
obsmem_stats(struct obsmem *m, struct obsmem_stats *ret)
{
	memset(ret, 0, sizeof(*ret));
	pthread_rwlock_rdlock(&m->lock);
	ret->indicators = m->nind;
	for (size_t i = 0; i < m->nind; i++)
		ret->series += m->ind[i]->n;
	ret->values = m->values;
	ret->bytes = m->bytes;
	ret->syncs = m->syncs;
	pthread_rwlock_unlock(&m->lock);
	ret->fallbacks = __atomic_load_n(&m->fallbacks, __ATOMIC_RELAXED);
}
