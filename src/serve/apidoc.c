/* src/serve/apidoc.c — the OpenAPI documentation of each operation and the
 * component schemas (OpenAPI 3.0.3). Schemas name the fields a client may
 * rely on (required) and allow more, so that adding a field is not a
 * breaking change; tests/e2e/openapi.sh checks live answers against them. */
#include "config.h"

#include <string.h>

#include "serve/apidoc.h"
#include "base/util.h"


/* ---- operations: one row per route name */

static const struct apidoc_op ops[] = {
	{ "healthz", "200 Gezondheid", NULL, NULL },
	{ "metrics", "200 text", NULL, NULL },
	{ "openapi", "200 OpenAPI", NULL, NULL },
	{ "indicators", "200 Indicatoren", NULL, NULL },
	{ "indicators_csv", "200 csv", NULL, NULL },
	{ "indicator", "200 Indicator", NULL, NULL },
	{ "gemeenten", "200 Gemeenten", NULL, NULL },
	{ "gemeenten_csv", "200 csv", NULL, NULL },
	{ "gemeente", "200 GemeenteDetail", NULL, NULL },
	{ "vergelijkbaar", "200 Vergelijkbaar", NULL, NULL },
	{ "groepen", "200 Groepen", NULL, NULL },
	{ "series", "200 Reeks", NULL, NULL },
	{ "series_csv", "200 csv", NULL, NULL },
	{ "vergelijk", "200 Vergelijking", NULL, NULL },
	{ "vergelijk_csv", "200 csv", NULL, NULL,
	    "één regel per gemeente, in volgorde van rang, met kolommen "
	    "indicator, periode, groep, groep_naam, synthetisch (ja/nee), "
	    "vergelijk_als, zoals_op, rang, code, naam, waarde, teller, "
	    "noemer, aantal, weergave, status, onvolledig, onderdrukt, "
	    "peildatum, dan het groepcijfer als groep_n (geleverd), groep_N "
	    "(verwacht), groep_waarde, groep_teller, groep_noemer, "
	    "groep_weergave, groep_status, groep_onvolledig en het landelijke "
	    "cijfer als landelijk_n … landelijk_onvolledig; onderdrukt of "
	    "onbekend is een lege cel" },
	{ "dashboard", "200 Dashboard", NULL, NULL },
	{ "kern", "200 Kern", NULL, NULL },
	{ "getal", "200 GetalGelezen", NULL, NULL },
	{ "benchmark_uitstroom", "200 Benchmark", NULL, NULL },
	{ "chart_svg", "200 svg", NULL, NULL },
	{ "chart_png", "200 png", NULL, NULL },
	{ "chart_vergelijk", "200 svg", NULL, NULL },
	{ "chart_kaart", "200 svg", NULL, NULL },
	{ "feeds_post", "201 Levering, 200 Levering, 403 Levering, "
	    "422 Levering", NULL, "bearer" },
	{ "feeds_get", "200 Levering", NULL, "bearer" },
	{ "feeds_afgewezen", "200 Afgewezen", NULL, "bearer" },
	{ "series_intrekken", "200 Intrekking", NULL, "bearer" },
	{ "alert_regels", "200 AlertRegels", NULL, "bearer|sessie" },
	{ "alert_regel_nieuw", "201 AlertRegel, 200 AlertRegel",
	    "AlertRegelInvoer", "bearer|sessie+csrf" },
	{ "alert_regel", "200 AlertRegel", NULL, "bearer|sessie" },
	{ "alert_regel_wijzig", "200 AlertRegel", "AlertRegelInvoer",
	    "bearer|sessie+csrf" },
	{ "alert_regel_weg", "200 Verwijderd", NULL, "bearer|sessie+csrf" },
	{ "alert_voorbeeld", "200 AlertVoorbeeld", "AlertRegelInvoer",
	    "bearer|sessie" },
	{ "alert_meldingen", "200 Meldingen", NULL, "bearer|sessie" },
	{ "alert_bevestig", "200 Melding", NULL, "bearer|sessie+csrf" },
	{ "alert_feedtoken", "200 FeedToken", NULL, "sessie+csrf" },
	{ "alert_atom", "200 atom", NULL, "feedtoken" },
	{ "sessie_aanmelden", "200 Aanmelding", "AanmeldGegevens", NULL },
	{ "sessie", "200 Sessie", NULL, NULL },
	{ "sessie_afmelden", "200 Afmelding", NULL, NULL },
	{ "alert_pagina", "200 html", NULL, NULL },
};

const struct apidoc_op *
apidoc_find(const char *name)
{
	for (size_t i = 0; name != NULL && i < NELEM(ops); i++)
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}

/* ---- schemas, as JSON text: easier to read and review than json_pack */

static const struct {
	const char *name, *json;
} schemas[] = {
	{ "Fout", "{\"type\":\"object\",\"required\":[\"fout\"],\"properties\":{"
	    "\"fout\":{\"type\":\"string\",\"description\":\"wat er mis is, "
	    "in het Nederlands\"},"
	    "\"details\":{\"type\":\"array\",\"items\":{}}}}" },
	{ "Getal", "{\"type\":\"number\",\"nullable\":true}" },
	{ "Gezondheid", "{\"type\":\"object\",\"required\":[\"status\"],"
	    "\"properties\":{\"status\":{\"type\":\"string\",\"enum\":[\"ok\"]}}}" },
	{ "OpenAPI", "{\"type\":\"object\",\"required\":[\"openapi\",\"info\","
	    "\"paths\"],\"properties\":{\"openapi\":{\"type\":\"string\"},"
	    "\"info\":{\"type\":\"object\"},\"paths\":{\"type\":\"object\"}}}" },
	{ "IdNaam", "{\"type\":\"object\",\"required\":[\"id\",\"naam\"],"
	    "\"properties\":{\"id\":{\"type\":\"string\"},\"naam\":{\"type\":"
	    "\"string\"}}}" },
	{ "IndicatorKort", "{\"type\":\"object\",\"required\":[\"id\",\"naam\","
	    "\"eenheid\",\"soort\",\"periode\"],\"properties\":{"
	    "\"id\":{\"type\":\"string\"},\"naam\":{\"type\":\"string\"},"
	    "\"groep\":{\"type\":\"string\"},\"eenheid\":{\"type\":\"string\"},"
	    "\"soort\":{\"type\":\"string\"},\"meting\":{\"type\":\"string\"},"
	    "\"periode\":{\"type\":\"string\"},\"schaal\":{\"type\":\"integer\"},"
	    "\"richting\":{\"type\":\"string\"},\"min_n\":{\"type\":\"integer\"}}}" },
	{ "Indicator", "{\"allOf\":[{\"$ref\":\"#/components/schemas/"
	    "IndicatorKort\"},{\"type\":\"object\",\"required\":[\"omschrijving\","
	    "\"bron\"],\"properties\":{\"omschrijving\":{\"type\":\"string\"},"
	    "\"teller\":{\"type\":\"string\"},\"noemer\":{\"type\":\"string\"},"
	    "\"min\":{\"$ref\":\"#/components/schemas/Getal\"},"
	    "\"max\":{\"$ref\":\"#/components/schemas/Getal\"},"
	    "\"bron\":{\"type\":\"string\"},\"sinds\":{\"type\":\"string\"},"
	    "\"kanttekening\":{\"type\":\"string\"},"
	    "\"berekening\":{\"type\":\"string\"},"
	    "\"zrm_versie\":{\"type\":\"string\",\"nullable\":true}}}]}" },
	{ "Indicatoren", "{\"type\":\"object\",\"required\":[\"indicatoren\","
	    "\"themas\"],\"properties\":{\"indicatoren\":{\"type\":\"array\","
	    "\"items\":{\"$ref\":\"#/components/schemas/Indicator\"}},"
	    "\"themas\":{\"type\":\"array\",\"items\":{\"$ref\":"
	    "\"#/components/schemas/IdNaam\"}}}}" },
	{ "GemeenteKort", "{\"type\":\"object\",\"required\":[\"code\","
	    "\"naam\"],\"properties\":{\"code\":{\"type\":\"string\","
	    "\"pattern\":\"^GM[0-9]{4}$\"},\"naam\":{\"type\":\"string\"}}}" },
	{ "Gemeente", "{\"allOf\":[{\"$ref\":\"#/components/schemas/"
	    "GemeenteKort\"},{\"type\":\"object\",\"required\":[\"provincie\","
	    "\"inwoners\",\"grootteklasse\"],\"properties\":{"
	    "\"provincie\":{\"type\":\"string\"},"
	    "\"inwoners\":{\"type\":\"integer\"},"
	    "\"grootteklasse\":{\"type\":\"integer\"},"
	    "\"grootteklasse_naam\":{\"type\":\"string\"},"
	    "\"actief\":{\"type\":\"boolean\"}}}]}" },
	{ "Gemeenten", "{\"type\":\"object\",\"required\":[\"gemeenten\"],"
	    "\"properties\":{\"gemeenten\":{\"type\":\"array\",\"items\":{"
	    "\"$ref\":\"#/components/schemas/Gemeente\"}},"
	    "\"bron\":{\"type\":\"string\"}}}" },
	{ "GemeenteDetail", "{\"allOf\":[{\"$ref\":\"#/components/schemas/"
	    "Gemeente\"},{\"type\":\"object\",\"required\":[\"groepen\"],"
	    "\"properties\":{\"groepen\":{\"type\":\"array\",\"items\":{"
	    "\"type\":\"string\"}},\"herindelingen\":{\"type\":\"array\","
	    "\"items\":{}}}}]}" },
	{ "Vergelijkbaar", "{\"type\":\"object\",\"required\":[\"gemeente\","
	    "\"vergelijkbaar\"],\"properties\":{\"gemeente\":{\"$ref\":"
	    "\"#/components/schemas/GemeenteKort\"},\"k\":{\"type\":"
	    "\"integer\"},\"vergelijkbaar\":{\"type\":\"array\",\"items\":{"
	    "\"allOf\":[{\"$ref\":\"#/components/schemas/GemeenteKort\"},"
	    "{\"type\":\"object\",\"properties\":{\"afstand\":{\"type\":"
	    "\"number\"}}}]}}}}" },
	{ "Groepen", "{\"type\":\"object\",\"required\":[\"groepen\"],"
	    "\"properties\":{\"groepen\":{\"type\":\"array\",\"items\":{"
	    "\"type\":\"object\",\"required\":[\"id\",\"naam\",\"gemeenten\"],"
	    "\"properties\":{\"id\":{\"type\":\"string\"},\"naam\":{\"type\":"
	    "\"string\"},\"soort\":{\"type\":\"string\"},\"gemeenten\":{"
	    "\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}}}}" },
	{ "Cel", "{\"type\":\"object\",\"required\":[\"waarde\",\"weergave\"],"
	    "\"properties\":{\"waarde\":{\"$ref\":\"#/components/schemas/Getal\"},"
	    "\"teller\":{\"$ref\":\"#/components/schemas/Getal\"},"
	    "\"noemer\":{\"$ref\":\"#/components/schemas/Getal\"},"
	    "\"status\":{\"type\":\"string\"},"
	    "\"onvolledig\":{\"type\":\"boolean\"},"
	    "\"onderdrukt\":{\"type\":\"boolean\"},"
	    "\"weergave\":{\"type\":\"string\",\"description\":\"de waarde "
	    "zoals getoond (Nederlandse notatie, <5 bij onderdrukking)\"}}}" },
	{ "Reeks", "{\"type\":\"object\",\"required\":[\"gemeente\","
	    "\"indicator\",\"per\",\"synthetisch\",\"waarden\"],\"properties\":{"
	    "\"gemeente\":{\"$ref\":\"#/components/schemas/GemeenteKort\"},"
	    "\"indicator\":{\"$ref\":\"#/components/schemas/IndicatorKort\"},"
	    "\"per\":{\"type\":\"string\"},\"synthetisch\":{\"type\":\"boolean\"},"
	    "\"waarden\":{\"type\":\"array\",\"items\":{\"allOf\":[{\"$ref\":"
	    "\"#/components/schemas/Cel\"},{\"type\":\"object\",\"required\":"
	    "[\"periode\"],\"properties\":{\"periode\":{\"type\":\"string\"},"
	    "\"revisies\":{\"type\":\"integer\",\"nullable\":true}}}]}}}}" },
	{ "Vergelijking", "{\"type\":\"object\",\"required\":[\"indicator\","
	    "\"periode\",\"synthetisch\",\"groep\",\"gemeenten\"],\"properties\":{"
	    "\"indicator\":{\"$ref\":\"#/components/schemas/IndicatorKort\"},"
	    "\"periode\":{\"type\":\"string\"},"
	    "\"synthetisch\":{\"type\":\"boolean\"},"
	    "\"groep\":{\"$ref\":\"#/components/schemas/IdNaam\"},"
	    "\"groepcijfer\":{\"type\":\"object\",\"nullable\":true,"
	    "\"allOf\":[{\"$ref\":\"#/components/schemas/Cel\"}]},"
	    "\"landelijk\":{\"type\":\"object\",\"nullable\":true,"
	    "\"allOf\":[{\"$ref\":\"#/components/schemas/Cel\"}]},"
	    "\"percentielen\":{\"type\":\"object\",\"nullable\":true},"
	    "\"gemeenten\":{\"type\":\"array\",\"items\":{\"allOf\":[{\"$ref\":"
	    "\"#/components/schemas/GemeenteKort\"},{\"$ref\":"
	    "\"#/components/schemas/Cel\"},{\"type\":\"object\",\"properties\":{"
	    "\"rang\":{\"type\":\"integer\",\"nullable\":true}}}]}}}}" },
	{ "Dashboard", "{\"type\":\"object\",\"required\":[\"gemeente\","
	    "\"synthetisch\",\"tegels\"],\"properties\":{\"gemeente\":{\"$ref\":"
	    "\"#/components/schemas/Gemeente\"},\"synthetisch\":{\"type\":"
	    "\"boolean\"},\"tegels\":{\"type\":\"array\",\"items\":{\"type\":"
	    "\"object\",\"required\":[\"indicator\"],\"properties\":{"
	    "\"indicator\":{\"$ref\":\"#/components/schemas/IndicatorKort\"}}}}}}" },
	{ "GetalGelezen", "{\"type\":\"object\",\"required\":[\"tekst\","
	    "\"waarde\",\"weergave\"],\"properties\":{\"tekst\":{\"type\":"
	    "\"string\"},\"waarde\":{\"type\":\"number\"},\"weergave\":{"
	    "\"type\":\"string\"}}}" },
	{ "Kern", "{\"type\":\"object\",\"required\":[\"gemeente\","
	    "\"peergroep\",\"synthetisch\",\"indicatoren\"],\"properties\":{"
	    "\"gemeente\":{\"$ref\":\"#/components/schemas/GemeenteKort\"},"
	    "\"peergroep\":{\"type\":\"object\",\"required\":[\"id\","
	    "\"peers\"],\"properties\":{\"id\":{\"type\":\"string\"},"
	    "\"naam\":{\"type\":\"string\"},\"leden\":{\"type\":"
	    "\"integer\"},\"peers\":{\"type\":\"array\",\"items\":{"
	    "\"$ref\":\"#/components/schemas/GemeenteKort\"}}}},"
	    "\"synthetisch\":{\"type\":\"boolean\"},"
	    "\"indicatoren\":{\"type\":\"array\",\"items\":{\"type\":"
	    "\"object\",\"required\":[\"indicator\",\"jaren\"],"
	    "\"properties\":{\"indicator\":{\"$ref\":"
	    "\"#/components/schemas/IndicatorKort\"},\"jaren\":{\"type\":"
	    "\"array\",\"items\":{\"type\":\"object\",\"required\":"
	    "[\"periode\",\"peers\"],\"properties\":{\"periode\":{"
	    "\"type\":\"string\"},\"gemeente\":{\"type\":\"object\","
	    "\"nullable\":true},\"peers\":{\"type\":\"array\",\"items\":{"
	    "\"allOf\":[{\"$ref\":\"#/components/schemas/GemeenteKort\"},"
	    "{\"$ref\":\"#/components/schemas/Cel\"}]}},"
	    "\"groepcijfer\":{\"type\":\"object\",\"nullable\":true},"
	    "\"landelijk\":{\"type\":\"object\",\"nullable\":true}}}}}}}}}" },
	{ "Benchmark", "{\"type\":\"object\",\"required\":[\"gemeente\","
	    "\"jaar\",\"methode\",\"verwacht\",\"onvolledig\"],\"properties\":{"
	    "\"gemeente\":{\"$ref\":\"#/components/schemas/GemeenteKort\"},"
	    "\"jaar\":{\"type\":\"integer\"},\"methode\":{\"type\":\"string\"},"
	    "\"verwacht\":{\"$ref\":\"#/components/schemas/Getal\"},"
	    "\"gerealiseerd\":{\"$ref\":\"#/components/schemas/Getal\"},"
	    "\"extra\":{\"$ref\":\"#/components/schemas/Getal\"},"
	    "\"onvolledig\":{\"type\":\"boolean\"},"
	    "\"toelichting\":{\"type\":\"string\"}}}" },
	{ "Levering", "{\"type\":\"object\",\"required\":[\"status\","
	    "\"regels\",\"problemen\"],\"description\":\"het verslag van een "
	    "levering, ook bij afkeuring (422) of weigering (403)\","
	    "\"properties\":{\"status\":{\"type\":\"string\"},"
	    "\"bestand\":{\"type\":\"string\"},\"sha256\":{\"type\":\"string\"},"
	    "\"levering\":{\"type\":\"integer\",\"nullable\":true},"
	    "\"ontvangen\":{\"type\":\"string\"},"
	    "\"regels\":{\"type\":\"object\",\"required\":[\"totaal\",\"goed\","
	    "\"fout\"],\"properties\":{\"totaal\":{\"type\":\"integer\"},"
	    "\"goed\":{\"type\":\"integer\"},\"fout\":{\"type\":\"integer\"}},"
	    "\"additionalProperties\":{\"type\":\"integer\"}},"
	    "\"problemen\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
	    "\"problemen_niet_getoond\":{\"type\":\"integer\"}}}" },
	{ "Afgewezen", "{\"type\":\"object\",\"required\":[\"afgewezen\"],"
	    "\"properties\":{\"afgewezen\":{\"type\":\"array\",\"items\":{"
	    "\"type\":\"object\",\"required\":[\"id\",\"ontvangen\","
	    "\"status\",\"leverancier\",\"token\",\"bestand\",\"van\","
	    "\"regels\",\"fout\",\"rapport\"],\"properties\":{"
	    "\"id\":{\"type\":\"integer\"},\"ontvangen\":{\"type\":\"string\"},"
	    "\"status\":{\"type\":\"string\",\"enum\":[\"afgekeurd\","
	    "\"geweigerd\"]},\"leverancier\":{\"type\":\"string\"},"
	    "\"token\":{\"type\":\"integer\"},\"bestand\":{\"type\":\"string\"},"
	    "\"van\":{\"type\":\"string\"},\"regels\":{\"type\":\"integer\"},"
	    "\"fout\":{\"type\":\"integer\"},\"rapport\":{\"$ref\":"
	    "\"#/components/schemas/Levering\"}}}}}}" },
	{ "AlertRegelInvoer", "{\"type\":\"object\",\"required\":[\"soort\","
	    "\"indicator\"],\"properties\":{\"naam\":{\"type\":\"string\"},"
	    "\"soort\":{\"type\":\"string\",\"enum\":[\"drempel\","
	    "\"verandering\",\"trend\",\"afwijking_groep\",\"ontbrekend\","
	    "\"afwijkend_patroon\"]},\"gemeente\":{\"type\":\"string\","
	    "\"nullable\":true},\"groep\":{\"type\":\"string\",\"nullable\":true},"
	    "\"indicator\":{\"type\":\"string\"},\"min_n\":{\"type\":\"integer\"},"
	    "\"actief\":{\"type\":\"boolean\"},\"params\":{\"type\":\"object\"},"
	    "\"csrf\":{\"type\":\"string\"}}}" },
	{ "AlertRegel", "{\"allOf\":[{\"$ref\":\"#/components/schemas/"
	    "AlertRegelInvoer\"},{\"type\":\"object\",\"required\":[\"id\","
	    "\"eigenaar\"],\"properties\":{\"id\":{\"type\":\"integer\"},"
	    "\"eigenaar\":{\"type\":\"string\"}}}]}" },
	{ "AlertRegels", "{\"type\":\"object\",\"required\":[\"regels\"],"
	    "\"properties\":{\"regels\":{\"type\":\"array\",\"items\":{\"$ref\":"
	    "\"#/components/schemas/AlertRegel\"}}}}" },
	{ "AlertVoorbeeld", "{\"type\":\"object\",\"required\":[\"meldingen\"],"
	    "\"properties\":{\"meldingen\":{\"type\":\"array\",\"items\":{}}}}" },
	{ "Melding", "{\"type\":\"object\",\"required\":[\"id\",\"regel_id\","
	    "\"gemeente\",\"indicator\",\"periode\",\"status\",\"melding\"],"
	    "\"properties\":{\"id\":{\"type\":\"integer\"},\"regel_id\":{\"type\":"
	    "\"integer\"},\"regel\":{\"type\":\"string\"},\"gemeente\":{\"type\":"
	    "\"string\"},\"indicator\":{\"type\":\"string\"},\"periode\":{\"type\":"
	    "\"string\"},\"status\":{\"type\":\"string\"},\"waarde\":{\"$ref\":"
	    "\"#/components/schemas/Getal\"},\"melding\":{\"type\":\"string\"},"
	    "\"details\":{\"type\":\"object\"}}}" },
	{ "Meldingen", "{\"type\":\"object\",\"required\":[\"meldingen\"],"
	    "\"properties\":{\"meldingen\":{\"type\":\"array\",\"items\":{\"$ref\":"
	    "\"#/components/schemas/Melding\"}}}}" },
	{ "Verwijderd", "{\"type\":\"object\",\"required\":[\"verwijderd\"],"
	    "\"properties\":{\"verwijderd\":{\"type\":\"integer\"}}}" },
	{ "Intrekking", "{\"type\":\"object\",\"required\":[\"gemeente\","
	    "\"indicator\",\"periode\",\"status\"],\"properties\":{"
	    "\"gemeente\":{\"type\":\"string\"},\"indicator\":{\"type\":"
	    "\"string\"},\"periode\":{\"type\":\"string\"},\"status\":{"
	    "\"type\":\"string\",\"enum\":[\"ingetrokken\"]}}}" },
	{ "FeedToken", "{\"type\":\"object\",\"required\":[\"token\",\"url\"],"
	    "\"properties\":{\"token\":{\"type\":\"string\"},\"url\":{\"type\":"
	    "\"string\"}}}" },
	{ "AanmeldGegevens", "{\"type\":\"object\",\"required\":[\"naam\","
	    "\"wachtwoord\"],\"properties\":{\"naam\":{\"type\":\"string\"},"
	    "\"wachtwoord\":{\"type\":\"string\",\"format\":\"password\"}}}" },
	{ "Aanmelding", "{\"type\":\"object\",\"required\":[\"naam\",\"rol\","
	    "\"csrf\"],\"properties\":{\"naam\":{\"type\":\"string\"},\"rol\":{"
	    "\"type\":\"string\"},\"gemeenten\":{\"type\":\"string\"},\"csrf\":{"
	    "\"type\":\"string\",\"description\":\"meesturen als kop "
	    "X-CSRF-Token bij wijzigingen\"}}}" },
	{ "Sessie", "{\"type\":\"object\",\"required\":[\"aangemeld\"],"
	    "\"properties\":{\"aangemeld\":{\"type\":\"boolean\"},\"naam\":{"
	    "\"type\":\"string\"},\"gemeenten\":{\"type\":\"string\"},"
	    "\"csrf\":{\"type\":\"string\"}}}" },
	{ "Afmelding", "{\"type\":\"object\",\"required\":[\"afgemeld\"],"
	    "\"properties\":{\"afgemeld\":{\"type\":\"boolean\"}}}" },
};

static const char security_schemes[] =
	"{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\",\"description\":"
	"\"token van basisctl token add (leverancier, manager, beheer)\"},"
	"\"sessie\":{\"type\":\"apiKey\",\"in\":\"cookie\",\"name\":"
	"\"basisd_sessie\",\"description\":\"na POST /api/v1/sessie\"},"
	"\"csrf\":{\"type\":\"apiKey\",\"in\":\"header\",\"name\":"
	"\"X-CSRF-Token\",\"description\":\"de csrf uit de aanmelding, bij "
	"elke wijziging met een sessie\"},"
	"\"feedtoken\":{\"type\":\"apiKey\",\"in\":\"query\",\"name\":"
	"\"token\",\"description\":\"van POST /api/v1/alerts/feedtoken\"}}";

json_t *
apidoc_components(void)
{
	json_t *sch = json_object(), *s;
	int	rc = sch == NULL;

	for (size_t i = 0; i < NELEM(schemas) && rc == 0; i++) {
		s = json_loads(schemas[i].json, 0, NULL);
		rc = s == NULL || json_object_set_new(sch, schemas[i].name, s);
	}
	s = json_loads(security_schemes, 0, NULL);
	if (rc != 0 || s == NULL) {
		json_decref(sch);
		json_decref(s);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "schemas", sch, "securitySchemes", s);
}

/* ---- responses */

/* Media kinds of non-JSON answers. */
static const struct {
	const char *kind, *type, *format;
} media[] = {
	{ "csv", "text/csv", NULL },
	{ "svg", "image/svg+xml", NULL },
	{ "png", "image/png", "binary" },
	{ "text", "text/plain", NULL },
	{ "atom", "application/atom+xml", NULL },
	{ "html", "text/html", NULL },
};

static json_t *
ref(const char *schema)
{
	char	buf[96];

	snprintf(buf, sizeof(buf), "#/components/schemas/%s", schema);
	return json_pack("{s:s}", "$ref", buf);
}

static json_t *
content_of(const char *schema)
{
	for (size_t i = 0; i < NELEM(media); i++)
		if (strcmp(schema, media[i].kind) == 0)
			return json_pack("{s:{s:{s:s, s:s*}}}", media[i].type,
			    "schema", "type", "string", "format",
			    media[i].format);
	return json_pack("{s:{s:o}}", "application/json", "schema",
	    ref(schema));
}

/* Error statuses and when an operation can answer them. */
static const struct {
	const char *status, *text;
	int	when;	/* bit 1 parameters, 2 body, 4 credentials, 8 always */
} errors[] = {
	{ "400", "ongeldig verzoek (parameter of pad)", 1 | 2 },
	{ "401", "niet aangemeld of ongeldig token", 4 },
	{ "403", "geen toegang tot deze gemeente of rol", 4 },
	{ "404", "niet gevonden", 1 },
	{ "413", "verzoek te groot", 2 },
	{ "414", "adres te lang (limiet van de server)", 8 },
	{ "415", "verkeerd type inhoud", 2 },
	{ "422", "gegevens afgekeurd", 2 },
	{ "429", "te veel verzoeken; probeer het na Retry-After opnieuw",
	    2 | 4 },
};

static void
add_answers(json_t *res, const struct apidoc_op *op)
{
	const char *answers = op ? op->answers : NULL;
	const char *ok = op && op->text ? op->text : "gelukt";
	char	code[8], schema[48];
	int	n;

	while (answers != NULL &&
	    sscanf(answers, " %7s %47[^,]%n", code, schema, &n) == 2) {
		json_object_set_new(res, code, json_pack("{s:s, s:o}",
		    "description", code[0] == '2' ? ok : "verslag",
		    "content", content_of(schema)));
		answers += n;
		answers += *answers == ',';
	}
}

json_t *
apidoc_responses(const struct apidoc_op *op, int has_params, int has_body)
{
	json_t *res = json_object();
	int	when = 8 | (has_params ? 1 : 0) | (has_body ? 2 : 0) |
	    (op != NULL && op->security != NULL ? 4 : 0);

	add_answers(res, op);
	if (json_object_size(res) == 0)
		json_object_set_new(res, "200", json_pack("{s:s}",
		    "description", "gelukt"));
	for (size_t i = 0; i < NELEM(errors); i++)
		if ((errors[i].when & when) &&
		    json_object_get(res, errors[i].status) == NULL)
			json_object_set_new(res, errors[i].status, json_pack(
			    "{s:s, s:o}", "description", errors[i].text,
			    "content", content_of("Fout")));
	json_object_set_new(res, "default", json_pack("{s:s, s:o}",
	    "description", "fout", "content", content_of("Fout")));
	return res;
}

/* One alternative of a security list, "sessie+csrf" → {sessie:[], csrf:[]}. */
static json_t *
requirement(const char *s, size_t len)
{
	json_t *o = json_object();
	char	name[32];
	size_t	n;

	while (len > 0) {
		n = strcspn(s, "+|");
		n = n > len ? len : n;
		snprintf(name, sizeof(name), "%.*s", (int)n, s);
		json_object_set_new(o, name, json_array());
		s += n + (n < len);
		len -= n + (n < len);
	}
	return o;
}

json_t *
apidoc_security(const struct apidoc_op *op)
{
	json_t *arr;
	const char *s;
	size_t	n;

	if (op == NULL)
		return NULL;
	arr = json_array();	/* empty: public, said explicitly */
	if (op->security == NULL)
		return arr;
	for (s = op->security; *s; s += n + (s[n] == '|')) {
		n = strcspn(s, "|");
		json_array_append_new(arr, requirement(s, n));
	}
	return arr;
}
