/*
 * report.h — the dignity report: what `skranke-central report` computes
 * from the database, and the document it writes three ways (report.pdf,
 * report.html, figures.csv).
 *
 * The numbers: for each quarter, all sites, each site and each unit (and,
 * separately, each language of the answer), and for each of the four
 * statements: the number of answers n (every response counts, "ved ikke"
 * included), the share answering 4–5 ("enig/helt enig") among those who
 * answered 1–5 (k), the mean on 1–5 over k, and the distribution over
 * 1–5 and "ved ikke" as shares of n. Then check-ins per session and
 * walk-ins per errand by weekday and hour.
 *
 * Small numbers are never shown (the rules of Danmarks Statistik):
 * - a group with n < 5 is suppressed whole;
 * - where groups add up to a shown total (sites to the quarter, units to
 *   their site, languages to the quarter) and exactly one of them is
 *   suppressed, the smallest shown one (ties: the first by name) is
 *   suppressed too;
 * - in a shown group, a distribution cell counting 1–4 answers is
 *   suppressed, and when exactly one is, the smallest other one too (the six
 *   cells add up to n); the mean is suppressed when k < 5 or any of 1–5 is,
 *   and the agree share when k < 5, when 4 and 5 together count 1–4, when
 *   exactly one of the cells 4 and 5 is suppressed, or when "ved ikke" is;
 * - check-ins per session and walk-ins per weekday and hour counting 1–4
 *   are suppressed (no totals of them are shown).
 * figures.csv writes a suppressed value as "x".
 *
 * Caveats: the tables hold every unit of every site; a municipality with
 * hundreds of units gets a long PDF.
 */
#ifndef SKRANKE_CENTRAL_REPORT_H
#define SKRANKE_CENTRAL_REPORT_H

#include "central_db.h"

struct report_options {
    const char *from, *to; /* YYYY-MM-DD, inclusive */
    const char *site;      /* NULL: every site */
    const char *out_dir;   /* made when missing */
};

/* Writes report.pdf, report.html and figures.csv into opt->out_dir. 0, or
 * -1 after a log line (a file half written is removed). */
int report_write(struct central_db *db, const struct report_options *opt);

#endif
