/*
 * didyoumean.c -- edit distance and the nearest name (didyoumean.h).
 */
#include "didyoumean.h"

#include <stdint.h>
#include <string.h>

#define MAXLEN 63

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

size_t ev_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[MAXLEN + 1][MAXLEN + 1];

	if (la > MAXLEN || lb > MAXLEN)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
				       d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[la][lb];
}

/* The only candidate word is a proper prefix of, or NULL. */
static const char *unique_prefix(const char *word, const char *const *cands,
				 size_t n)
{
	const char *found = NULL;
	size_t len = strlen(word), i;

	for (i = 0; i < n && len; i++)
		if (!strncmp(cands[i], word, len)) {
			if (found)
				return NULL;
			found = cands[i];
		}
	return found;
}

const char *ev_did_you_mean(const char *word, const char *const *cands,
			    size_t n)
{
	const char *best = unique_prefix(word, cands, n);
	size_t bestd = SIZE_MAX, i;
	int ties = 0;

	if (best)
		return best;
	for (i = 0; i < n; i++) {
		size_t d = ev_edit_distance(word, cands[i]);
		if (d < bestd) {
			bestd = d;
			best = cands[i];
			ties = 0;
		} else if (d == bestd) {
			ties++;
		}
	}
	if (!best || ties || bestd > 2 || bestd >= strlen(word))
		return NULL;
	return best;
}
