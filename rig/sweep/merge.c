/*
 * merge.c -- `everypc merge`: the shards' output directories joined into
 * the one the unsharded sweep writes (shard.h, SHD-2, SHD-3).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "shard.h"
#include "sweep.h"

/* SHD-3: the same sweep in every directory, each shard once, all present. */
static int check_plans(char *const *dirs, size_t n, struct plan_file *pf,
		       char *err, size_t errlen)
{
	size_t i, k;
	char *nl0 = strchr(pf[0].text, '\n');

	for (i = 1; i < n; i++) {
		char *nl = strchr(pf[i].text, '\n');
		if (pf[i].count != pf[0].count ||
		    strcmp(pf[i].title, pf[0].title) || strcmp(nl, nl0)) {
			snprintf(err, errlen,
				 "%s and %s are shards of different sweeps "
				 "(their plans differ)",
				 dirs[0], dirs[i]);
			return -1;
		}
		for (k = 0; k < i; k++)
			if (pf[k].index == pf[i].index) {
				snprintf(err, errlen,
					 "%s and %s are both shard %d/%d",
					 dirs[k], dirs[i], pf[i].index,
					 pf[i].count);
				return -1;
			}
	}
	if ((int)n != pf[0].count) {
		char have[256] = "";
		for (i = 0; i < n; i++)
			snprintf(have + strlen(have),
				 sizeof have - strlen(have), "%s%d",
				 i ? ", " : "", pf[i].index);
		snprintf(err, errlen,
			 "%zu of %d shards given (have %s): the cases of the "
			 "others would be missing",
			 n, pf[0].count, have);
		return -1;
	}
	return 0;
}

/* SHD-3: every record of shard directory dir (shard `index`) into out, once. */
static int take_records(const char *dir, struct ev_journal *out, char *err,
			size_t errlen)
{
	struct ev_journal *j = ev_journal_open(dir, 1, err, errlen);
	size_t i;
	int rc = -1;

	if (!j)
		return -1;
	for (i = 0; i < ev_journal_count(j); i++) {
		const struct ev_result *r = ev_journal_record(j, i);
		char what[300];
		ev_result_describe(r, what, sizeof what);
		if (ev_journal_find(out, r)) {
			snprintf(
			    err, errlen,
			    "%s: case %s is also in another shard's journal",
			    dir, what);
			goto out;
		}
		if (ev_journal_append(out, r) < 0) {
			snprintf(err, errlen, "%s: cannot append: %s",
				 ev_journal_path(out), strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	ev_journal_close(j);
	return rc;
}

/* Each case journalled by the shard the plan gives it to. */
static int check_owners(char *const *dirs, size_t n, const struct plan_file *pf,
			char *err, size_t errlen)
{
	size_t d, i;
	for (d = 0; d < n; d++) {
		struct ev_journal *j = ev_journal_open(dirs[d], 1, err, errlen);
		if (!j)
			return -1;
		for (i = 0; i < pf[0].n; i++) {
			const struct planned *c = &pf[0].p[i];
			if (c->shard != pf[d].index &&
			    ev_journal_find(j, &c->key)) {
				char what[300];
				ev_result_describe(&c->key, what, sizeof what);
				snprintf(err, errlen,
					 "%s (shard %d/%d) journalled %s, a "
					 "case of shard %d",
					 dirs[d], pf[d].index, pf[d].count,
					 what, c->shard);
				ev_journal_close(j);
				return -1;
			}
		}
		ev_journal_close(j);
	}
	return 0;
}

/* Copy regular file from into to (created or replaced). */
static int copy_file(const char *from, const char *to, const char *mode)
{
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, mode) : NULL;
	char buf[65536];
	size_t got;
	int rc = 0;

	if (!in || !out)
		rc = -1;
	while (rc == 0 && (got = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, got, out) != got)
			rc = -1;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		rc = -1;
	return rc;
}

/* The shards' scenarios into OUT/scenarios, their times into OUT's
   timing file. */
static int take_files(const char *dir, const char *out, char *err,
		      size_t errlen)
{
	char from[2048], to[2048];
	DIR *d;
	struct dirent *e;

	snprintf(from, sizeof from, "%s/%s", dir, TIMING_FILE);
	snprintf(to, sizeof to, "%s/%s", out, TIMING_FILE);
	if (access(from, F_OK) == 0 && copy_file(from, to, "ab") < 0) {
		snprintf(err, errlen, "%s: cannot append %s: %s", to, from,
			 strerror(errno));
		return -1;
	}
	snprintf(from, sizeof from, "%s/scenarios", dir);
	if (!(d = opendir(from)))
		return 0; /* no failure in that shard */
	snprintf(to, sizeof to, "%s/scenarios", out);
	mkdir(to, 0755);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		snprintf(from, sizeof from, "%s/scenarios/%s", dir, e->d_name);
		snprintf(to, sizeof to, "%s/scenarios/%s", out, e->d_name);
		if (copy_file(from, to, "wb") < 0) {
			snprintf(err, errlen, "%s: %s", to, strerror(errno));
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

/* Every shard's plan, read and checked against the others (SHD-3). */
static int read_plans(char *const *dirs, size_t n, struct plan_file *pf,
		      char *err, size_t errlen)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (plan_read(dirs[i], &pf[i], err, errlen) < 0)
			return -1;
	if (check_plans(dirs, n, pf, err, errlen) < 0 ||
	    check_owners(dirs, n, pf, err, errlen) < 0)
		return -1;
	return 0;
}

/* Every shard's records, scenarios and times into output directory out
   (its journal and timing file started afresh). */
static int join_shards(char *const *dirs, size_t n, const char *out_dir,
		       char *err, size_t errlen)
{
	struct ev_journal *out;
	char path[1100];
	size_t i;
	int rc = -1;

	snprintf(path, sizeof path, "%s/%s", out_dir, TIMING_FILE);
	unlink(path);
	if (!(out = ev_journal_open(out_dir, 0, err, errlen)))
		return -1;
	ev_journal_batch(out);
	for (i = 0; i < n; i++)
		if (take_records(dirs[i], out, err, errlen) < 0 ||
		    take_files(dirs[i], out_dir, err, errlen) < 0)
			goto done;
	if (ev_journal_sync(out) < 0) {
		snprintf(err, errlen, "%s: %s", ev_journal_path(out),
			 strerror(errno));
		goto done;
	}
	rc = 0;
done:
	ev_journal_close(out);
	return rc;
}

int ev_merge_run(char *const *dirs, size_t n, const struct ev_sweep_opts *o,
		 char *err, size_t errlen)
{
	struct plan_file *pf = calloc(n ? n : 1, sizeof *pf);
	size_t i, missing = 0;
	int rc = 2, lockfd = -1;
	char *digest = NULL;

	if (!pf || !n)
		return snprintf(err, errlen,
				n ? "out of memory"
				  : "no shard directories to merge"),
		       2;
	if (read_plans(dirs, n, pf, err, errlen) < 0)
		goto done;
	if (make_dirs(o->out, err, errlen) < 0)
		goto done;
	if ((lockfd = lock_out(o->out, err, errlen)) < 0)
		goto done;
	if (join_shards(dirs, n, o->out, err, errlen) < 0)
		goto done;
	if (canonical_journal(pf[0].p, pf[0].n, pf[0].title, o->out, &missing,
			      &digest, err, errlen) < 0)
		goto done;
	if (missing) {
		snprintf(err, errlen,
			 "%zu of %zu cases have no result in any shard (named "
			 "above)",
			 missing, pf[0].n);
		goto done;
	}
	if (plan_write(o->out, 1, 1, pf[0].title, pf[0].p, pf[0].n, err,
		       errlen) < 0)
		goto done;
	rc = finish_results(o, (long long)time(NULL), digest, err, errlen);
done:
	free(digest);
	if (lockfd >= 0)
		close(lockfd);
	for (i = 0; i < n; i++)
		plan_file_free(&pf[i]);
	free(pf);
	return rc;
}
