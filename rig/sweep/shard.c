/*
 * shard.c -- shares of a sweep and the plan file (shard.h).
 */
#include "shard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suite.h"

/* A whole decimal number in [lo, hi]: 0, or -1. */
static int number(const char *s, long lo, long hi, int *v)
{
	char *end;
	long x;

	if (!s || !*s)
		return -1;
	errno = 0;
	x = strtol(s, &end, 10);
	if (*end || errno || x < lo || x > hi)
		return -1;
	*v = (int)x;
	return 0;
}

struct envshard {
	const char *index, *count;
	int base; /* the index variable's first value */
};

static const struct envshard envs[] = {
    {"TEST_SHARD_INDEX", "TEST_TOTAL_SHARDS", 0},   /* Bazel */
    {"GTEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS", 0}, /* GoogleTest */
    {"CI_NODE_INDEX", "CI_NODE_TOTAL", 1},	    /* GitLab */
    {"BUILDKITE_PARALLEL_JOB", "BUILDKITE_PARALLEL_JOB_COUNT", 0},
};

int shard_from_env(int *index, int *count, const char **source, char *err,
		   size_t errlen)
{
	size_t k;

	*count = 0;
	for (k = 0; k < sizeof envs / sizeof envs[0]; k++) {
		const struct envshard *e = &envs[k];
		const char *ci = getenv(e->index), *cn = getenv(e->count);
		int i;
		if (!ci && !cn)
			continue;
		if (number(cn, 1, 1000000, count) < 0) {
			snprintf(err, errlen,
				 "%s='%s': expected a whole number from 1",
				 e->count, cn ? cn : "");
			return -1;
		}
		if (number(ci, e->base, *count - 1 + e->base, &i) < 0) {
			snprintf(err, errlen,
				 "%s='%s': expected a whole number from %d to "
				 "%d (%s=%d)",
				 e->index, ci ? ci : "", e->base,
				 *count - 1 + e->base, e->count, *count);
			return -1;
		}
		*index = i - e->base + 1;
		*source = e->index;
		if (k == 0 && getenv("TEST_SHARD_STATUS_FILE")) {
			/* Bazel's protocol: say that sharding is understood */
			int fd = open(getenv("TEST_SHARD_STATUS_FILE"),
				      O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
			if (fd < 0) {
				snprintf(err, errlen,
					 "TEST_SHARD_STATUS_FILE=%s: %s",
					 getenv("TEST_SHARD_STATUS_FILE"),
					 strerror(errno));
				return -1;
			}
			close(fd);
		}
		return 0;
	}
	return 0;
}

int shard_of(size_t i, size_t n, int count)
{
	return count <= 1 || !n ? 1 : (int)(i * (size_t)count / n) + 1;
}

/* Tabs, newlines and backslashes escaped, so a field is one TSV cell. */
static void put_field(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\t')
			fputs("\\t", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\\')
			fputs("\\\\", f);
		else
			fputc(*s, f);
	}
}

int plan_write(const char *out, int index, int count, const char *title,
	       const struct planned *p, size_t n, char *err, size_t errlen)
{
	char path[1100], tmp[1200];
	FILE *f;
	size_t i;

	snprintf(path, sizeof path, "%s/%s", out, PLAN_FILE);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (!(f = fopen(tmp, "w"))) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	fprintf(f, "everypc-plan\t2\t%d/%d\t", index, count);
	put_field(f, title);
	fputc('\n', f);
	for (i = 0; i < n; i++) {
		const struct ev_result *k = &p[i].key;
		fprintf(f, "%d\t%s\t", shard_of(i, n, count),
			ev_arch_name(k->arch));
		put_field(f, k->workload);
		fputc('\t', f);
		put_field(f, k->mutant ? k->mutant : "-");
		fputc('\t', f);
		put_field(f, k->func);
		fprintf(f, "\t0x%llx\t%llu\t%d\t%s\t",
			(unsigned long long)k->pc,
			(unsigned long long)k->offset, k->hit,
			ev_action_name(k->action));
		put_field(f, p[i].safety);
		fputc('\t', f);
		put_field(f, p[i].disasm);
		fputc('\t', f);
		put_field(f, p[i].source ? p[i].source : "");
		fputc('\n', f);
	}
	if (ferror(f) | (fclose(f) != 0) || rename(tmp, path) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Unescape s[0..len) into a new string kept in pf. */
static char *keep_str(struct plan_file *pf, const char *s, size_t len)
{
	char *v = malloc(len + 1), **ns;
	size_t i, o = 0;

	if (!v || !(ns = realloc(pf->strs, (pf->nstrs + 1) * sizeof *ns))) {
		free(v);
		return NULL;
	}
	pf->strs = ns;
	pf->strs[pf->nstrs++] = v;
	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len) {
			i++;
			v[o++] = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : s[i];
		} else {
			v[o++] = s[i];
		}
	}
	v[o] = 0;
	return v;
}

/* The fields of one line, split at tabs: their starts and lengths. */
static int split(const char *line, const char *end, const char **fld,
		 size_t *len, int max)
{
	int n = 0;
	const char *s = line;
	while (n < max) {
		const char *t = memchr(s, '\t', (size_t)(end - s));
		fld[n] = s;
		len[n] = (size_t)((t ? t : end) - s);
		n++;
		if (!t)
			break;
		s = t + 1;
	}
	return n;
}

static int parse_case(struct plan_file *pf, const char *line, const char *end,
		      struct planned *c)
{
	const char *fld[12];
	size_t len[12];
	char num[32], *e;
	int shard;

	if (split(line, end, fld, len, 12) != 12)
		return -1;
	snprintf(num, sizeof num, "%.*s", (int)len[0], fld[0]);
	shard = (int)strtol(num, &e, 10);
	snprintf(num, sizeof num, "%.*s", (int)len[1], fld[1]);
	c->key.arch = ev_arch_parse(num);
	c->key.workload = keep_str(pf, fld[2], len[2]);
	c->key.mutant = keep_str(pf, fld[3], len[3]);
	if (c->key.mutant && !strcmp(c->key.mutant, "-"))
		c->key.mutant = NULL;
	c->key.func = keep_str(pf, fld[4], len[4]);
	snprintf(num, sizeof num, "%.*s", (int)len[5], fld[5]);
	c->key.pc = strtoull(num, NULL, 16);
	snprintf(num, sizeof num, "%.*s", (int)len[6], fld[6]);
	c->key.offset = strtoull(num, NULL, 10);
	snprintf(num, sizeof num, "%.*s", (int)len[7], fld[7]);
	c->key.hit = atoi(num);
	snprintf(num, sizeof num, "%.*s", (int)len[8], fld[8]);
	c->key.action = ev_action_parse(num);
	c->safety = keep_str(pf, fld[9], len[9]);
	c->disasm = keep_str(pf, fld[10], len[10]);
	c->source = len[11] ? keep_str(pf, fld[11], len[11]) : NULL;
	c->shard = shard;
	return c->key.arch < 0 || c->key.action < 0 || !c->key.workload ||
		       !c->key.func || !c->safety || !c->disasm
		   ? -1
		   : 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 65536 > cap) {
			char *nb = realloc(buf, cap = 2 * cap + 65536);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

int plan_read(const char *dir, struct plan_file *pf, char *err, size_t errlen)
{
	char path[1100];
	const char *s, *end, *nl;
	size_t len = 0, cap = 0;
	int lineno = 1;

	memset(pf, 0, sizeof *pf);
	snprintf(path, sizeof path, "%s/%s", dir, PLAN_FILE);
	if (!(pf->text = slurp(path, &len))) {
		snprintf(err, errlen,
			 "%s: %s (not the output of an everypc sweep?)", path,
			 strerror(errno ? errno : ENOMEM));
		return -1;
	}
	end = pf->text + len;
	nl = memchr(pf->text, '\n', len);
	if (!nl ||
	    sscanf(pf->text, "everypc-plan\t2\t%d/%d\t", &pf->index,
		   &pf->count) != 2 ||
	    pf->index < 1 || pf->index > pf->count) {
		snprintf(err, errlen, "%s:1: not an everypc plan (schema 2)",
			 path);
		return -1;
	}
	s = strchr(strchr(strchr(pf->text, '\t') + 1, '\t') + 1, '\t') + 1;
	pf->title = keep_str(pf, s, (size_t)(nl - s));
	for (s = nl + 1; s < end; s = nl + 1) {
		lineno++;
		if (!(nl = memchr(s, '\n', (size_t)(end - s))))
			nl = end;
		if (pf->n == cap) {
			struct planned *np =
			    realloc(pf->p, (cap = 2 * cap + 1024) * sizeof *np);
			if (!np)
				return snprintf(err, errlen, "out of memory"),
				       -1;
			pf->p = np;
		}
		memset(&pf->p[pf->n], 0, sizeof pf->p[pf->n]);
		if (parse_case(pf, s, nl, &pf->p[pf->n]) < 0) {
			snprintf(err, errlen, "%s:%d: not a planned case", path,
				 lineno);
			return -1;
		}
		pf->n++;
	}
	return 0;
}

void plan_file_free(struct plan_file *pf)
{
	size_t i;
	for (i = 0; i < pf->nstrs; i++)
		free(pf->strs[i]);
	free(pf->strs);
	free(pf->p);
	free(pf->text);
	memset(pf, 0, sizeof *pf);
}
