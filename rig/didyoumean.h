/*
 * didyoumean.h -- the nearest known name to a misspelt one, for "did you
 * mean ...?" in error messages (commands, options, arches, actions,
 * mutants).
 */
#ifndef EVERYPC_DIDYOUMEAN_H
#define EVERYPC_DIDYOUMEAN_H

#include <stddef.h>

/* The optimal string alignment distance of a and b: insertions, deletions,
   substitutions and transpositions of neighbours, one each. Names longer
   than 63 characters count as far from everything (SIZE_MAX). */
size_t ev_edit_distance(const char *a, const char *b);

/* The candidate word most likely meant: the only one that word is a prefix
   of, else the only one nearest by ev_edit_distance when that is at most 2
   and less than word's length. NULL when none or no single one. */
const char *ev_did_you_mean(const char *word, const char *const *cands,
			    size_t n);

#endif
