/*
 * report_int.h -- what the report's files share (report.c, report_fail.c,
 * report_html.c).
 */
#ifndef EVERYPC_REPORT_INT_H
#define EVERYPC_REPORT_INT_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* s as HTML text, fit for an element or a quoted attribute (RPT-2). */
void rpt_put_text(FILE *f, const char *s);
/* s as a link target: every byte but [A-Za-z0-9-._~/] percent-encoded,
   so no scheme (':'), query or fragment can appear (RPT-2). */
void rpt_put_url(FILE *f, const char *s);
/* r's function: "ARCH<sep>WORKLOAD[<sep>mutant MUTANT]<sep>FUNC", sep
   literal HTML. */
void rpt_put_func(FILE *f, const struct ev_report_row *r, const char *sep);
/* <a href="target">label</a>, both escaped. */
void rpt_put_link(FILE *f, const char *target, const char *label);

/* The failures, grouped as the digest groups them (digest.h), each group
   with its first case spelt out and all its cases listed; a failing row's
   PC row has the id "pc<i>", i the index of the first row of that PC
   (pc_row[k] for row k). 0, or -1 when out of memory. */
int rpt_put_failures(FILE *f, const struct ev_report_row *rows, size_t n,
		     const size_t *pc_row);

#endif
