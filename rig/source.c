/*
 * source.c -- source lines by file and number (source.h).
 */
#include "source.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct srcfile {
	char *path;
	char *text;   /* the file, each '\n' made a NUL */
	char **lines; /* each line's start, trailing white space cut */
	int nlines;   /* 0 when the file could not be read */
};

struct ev_sources {
	struct srcfile *v;
	size_t n;
};

struct ev_sources *ev_sources_new(void)
{
	return calloc(1, sizeof(struct ev_sources));
}

void ev_sources_free(struct ev_sources *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->v[i].path);
		free(s->v[i].text);
		free(s->v[i].lines);
	}
	free(s->v);
	free(s);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			if (!(nb = realloc(buf, cap = 2 * cap + 4096 + 1)))
				break;
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	fclose(f);
	if (buf)
		buf[len] = 0;
	return buf;
}

/* Split f->text into lines, trailing white space cut. */
static void split_lines(struct srcfile *f)
{
	char *p = f->text, *nl, *end;
	int cap = 0;

	while (*p) {
		char **nv;
		if (f->nlines == cap) {
			cap = 2 * cap + 64;
			if (!(nv = realloc(f->lines, (size_t)cap * sizeof *nv)))
				return;
			f->lines = nv;
		}
		nl = strchr(p, '\n');
		end = nl ? nl : p + strlen(p);
		*end = 0;
		while (end > p && isspace((unsigned char)end[-1]))
			*--end = 0;
		f->lines[f->nlines++] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
}

static struct srcfile *find_file(struct ev_sources *s, const char *path)
{
	struct srcfile *nv, *f;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].path, path))
			return &s->v[i];
	if (!(nv = realloc(s->v, (s->n + 1) * sizeof *nv)))
		return NULL;
	s->v = nv;
	f = &s->v[s->n];
	memset(f, 0, sizeof *f);
	if (!(f->path = malloc(strlen(path) + 1)))
		return NULL;
	strcpy(f->path, path);
	s->n++;
	if ((f->text = slurp(path)))
		split_lines(f);
	return f;
}

const char *ev_source_text(struct ev_sources *s, const char *path, int line)
{
	struct srcfile *f;

	if (!s || !path || line < 1 || !(f = find_file(s, path)))
		return NULL;
	return line <= f->nlines ? f->lines[line - 1] : NULL;
}

const char *ev_source_line(struct ev_sources *s, const char *path, int line)
{
	const char *p = ev_source_text(s, path, line);
	while (p && isspace((unsigned char)*p))
		p++;
	return p;
}

int ev_source_readable(struct ev_sources *s, const char *path)
{
	struct srcfile *f = s && path ? find_file(s, path) : NULL;
	return f && f->text;
}
