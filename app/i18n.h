/*
 * i18n.h — the words on screen, from one file per language under
 * assets/lang/ (`da.txt`, `en.txt`, …; keys shared). Adding a language is
 * adding a file (and its CLDR plural rule to the table in i18n.c, if it
 * counts otherwise than "other" for every number). Lines are `key =
 * value`; `\n` in a value is a line break; `#` starts a comment. Two special
 * keys: `@name` (the language's name in its own script) and `@dir` (`ltr`
 * or `rtl`).
 *
 * A key missing in a language shows the Danish text (never a blank); a key
 * missing in Danish too shows the key itself. i18n_missing() lists every
 * gap, for the test that keeps the files complete; keys starting with
 * "staff." are exempt in other languages (staff mode is Danish only).
 *
 * Plural forms: a key ending in .zero, .one, .two, .few, .many or .other is
 * one form of a counted text (`jobs.count.one = 1 job`, `jobs.count.other =
 * {n} jobs`). i18n_fmt picks the form by the CLDR cardinal rule of the
 * language (the table in i18n.c): KEY.<category>, else KEY.other, else KEY,
 * then the same in Danish. A family is complete when the language has every
 * form its rule gives a whole number (Arabic all six, Polish and Ukrainian
 * one/few/many, the others one/other); "other" may be the bare KEY.
 */
#ifndef SKRANKE_I18N_H
#define SKRANKE_I18N_H

#include <stdbool.h>

#include "util.h"

/* Loads every language file in assets_dir/lang. False (after logging the
 * file and line) when Danish is missing or a file is malformed. */
bool i18n_load(const char *assets_dir);
void i18n_unload(void);

int i18n_count(void);
const char *i18n_code(int index);
bool i18n_has(const char *code);
const char *i18n_get(const char *code, const char *key);
bool i18n_rtl(const char *code);
/* The plural form of key for n (see above) with "{n}" replaced by n, into
 * out; returns out->data. */
const char *i18n_fmt(const char *code, const char *key, long n, struct buf *out);
/* The CLDR plural category of the whole number n in the language code
 * ("zero", "one", "two", "few", "many" or "other"; static). A language
 * without a rule in i18n.c has "other" only. */
const char *i18n_plural(const char *code, long n);
/* The value with "{t}" replaced by text, into out. */
const char *i18n_fmt_text(const char *code, const char *key, const char *text, struct buf *out);
/* One line per gap: "uk.txt: missing home.jobs", "pl.txt: missing
 * jobs.count.few", a key Danish lacks, a plural form the language's rule
 * never uses. Returns the count. */
int i18n_missing(struct buf *report);
/* Key number i of language code's file (in key order) and its value in
 * *value, as written (no Danish fallback); NULL past the last. */
const char *i18n_key_at(const char *code, size_t i, const char **value);

#endif
