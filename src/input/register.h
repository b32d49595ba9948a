/* src/input/register.h — the gemeenten register (indicators/gemeenten.csv), the
 * herindelingen (indicators/herindelingen.csv) and user-defined groups
 * (indicators/groepen.ini). Immutable after load; shared without locks. */
#ifndef REGISTER_H
#define REGISTER_H

#include <stddef.h>

#include "base/err.h"

#define REGISTER_NKLASSEN 8	/* CBS gemeentegrootteklassen, domain §2 */

struct gemeente {
	char	code[8];	/* "GM0363" */
	char	naam[80];	/* CBS spelling, UTF-8 */
	char	provincie[32];
	long	inwoners;	/* approximate, see doc/bronnen.md; 0 when opgeheven */
	int	grootteklasse;	/* 1..8, from inwoners; 0 when opgeheven */
	int	actief;		/* 1 for the 342 gemeenten of 2025 */
	char	opgeheven[11];	/* "YYYY-MM-DD" for a gemeente that merged away, else "" */
	char	opvolger[8];	/* new code after a merger; "" if none or split */
	int	gesplitst;	/* 1 when split over several successors (Haaren) */
};

struct herindeling {
	char	datum[11];
	char	oude_code[8], oude_naam[80];
	char	nieuwe_code[8], nieuwe_naam[80];
	char	bron[96];	/* provenance note, e.g. "minvws-sql" */
	int	splitsing;	/* old code appears with several successors */
};

struct groep {
	char	id[48];		/* section name in groepen.ini, e.g. "G4" */
	char	naam[128];
	char	omschrijving[256];
	char	(*codes)[8];
	size_t	n;
};

struct reg {
	struct gemeente *gemeenten;	/* active ones first, each part sorted by code */
	size_t	n, nactief;
	struct herindeling *herindelingen;
	size_t	nh;
	struct groep *groepen;
	size_t	ng;
};

/* Load gemeenten.csv, herindelingen.csv and groepen.ini from dir. Errors
 * are "file:line: message". */
struct reg *register_load(const char *dir, struct err *err);
void	register_free(struct reg *reg);		/* NULL is a no-op */
/* By "GM0363", "0363" or exact (case-sensitive) name, active or opgeheven.
 * Borrowed pointer or NULL. */
const struct gemeente *register_find(const struct reg *reg, const char *key);
const struct groep *register_groep_find(const struct reg *reg, const char *id);
/* The gemeenten a token or account may act for, as rows of
 * reg->gemeenten: parsed once per request from the ledger's text (space-
 * separated codes, "" = all) by register_scope_parse, then checked by row
 * without parsing or comparing text again. Valid only with the register
 * it was parsed against. */
#define REG_SCOPE_MAX	96	/* a 512-byte list holds at most 73 codes */
struct reg_scope {
	const struct reg *reg;	/* the register the rows index */
	int	all;		/* every gemeente ("" in the ledger) */
	size_t	n;
	size_t	rows[REG_SCOPE_MAX];	/* indices into reg->gemeenten */
};

/* Parse text into ret. A code the register does not know (a gemeente
 * removed from it since the token was made) is left out: it allows
 * nothing. Returns 0, or -1 when text names more than REG_SCOPE_MAX. */
int	register_scope_parse(const struct reg *reg, const char *text,
	    struct reg_scope *ret);
/* 1 when the scope allows the gemeente in row (of the same register). */
int	register_scope_has(const struct reg_scope *s, size_t row);
/* 1 when the scope allows gemeente g, a pointer into reg->gemeenten
 * (register_find's result), reg being the scope's register; NULL: 0. */
int	register_scope_allows(const struct reg_scope *s, const struct reg *reg,
	    const struct gemeente *g);

/* CBS size class 1..8 of a number of inwoners. */
int	register_grootteklasse(long inwoners);
/* "minder dan 5.000 inwoners" … "250.000 inwoners of meer". */
const char *register_grootteklasse_name(int klasse);

#endif /* REGISTER_H */
