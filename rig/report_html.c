/*
 * report_html.c -- text and links made safe for the report's HTML
 * (report_int.h; RPT-2).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report_int.h"
#include "suite.h"

/* ---- escaping (RPT-2) ---- */

static const char *entity(int c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	}
	return NULL;
}

/* A code point HTML forbids in text: controls other than white space. */
static int forbidden(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return 0;
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* Decode the UTF-8 sequence at s: its length, or 0 when it is not a valid
   (shortest-form, non-surrogate) sequence. The NUL terminator is never a
   continuation byte, so decoding stops at the end of the string. */
static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
	int n, i;

	if (s[0] < 0x80)
		n = 1, *cp = s[0];
	else if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, *cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, *cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, *cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (*cp < min[n] || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* s as HTML text, fit for an element or a quoted attribute. */
void rpt_put_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		uint32_t cp;
		int n = utf8_decode(p, &cp);

		if (n == 0 || forbidden(cp))
			fputs("&#xFFFD;", f);
		else if (entity(*p))
			fputs(entity(*p), f);
		else
			fwrite(p, 1, (size_t)n, f);
		p += n ? n : 1;
	}
}

/* s as a link target: every byte but [A-Za-z0-9-._~/] percent-encoded,
   so no scheme (':'), query or fragment can appear. */
void rpt_put_url(FILE *f, const char *s)
{
	static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789-._~/";

	for (; *s; s++) {
		if (strchr(plain, *s))
			fputc(*s, f);
		else
			fprintf(f, "%%%02X", (unsigned char)*s);
	}
}

void rpt_put_link(FILE *f, const char *target, const char *label)
{
	fputs("<a href=\"", f);
	rpt_put_url(f, target);
	fputs("\">", f);
	rpt_put_text(f, label);
	fputs("</a>", f);
}

void rpt_put_func(FILE *f, const struct ev_report_row *r, const char *sep)
{
	fprintf(f, "%s%s", ev_arch_name(r->res.arch), sep);
	rpt_put_text(f, r->res.workload);
	if (r->res.mutant) {
		fprintf(f, "%smutant ", sep);
		rpt_put_text(f, r->res.mutant);
	}
	fputs(sep, f);
	rpt_put_text(f, r->res.func);
}
