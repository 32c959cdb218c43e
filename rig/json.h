/*
 * json.h -- a small JSON reader that remembers where every value came from,
 * so that a malformed suite or scenario file gets an error naming the file,
 * line, column and field; and a writer for the journal and scenario files
 * whose output is byte-for-byte deterministic (keys in the order written).
 *
 * Invariants:
 * JSON-1 Every jv carries the line/col (1-based) of its first byte.
 * JSON-2 The reader never reads past len, accepts only RFC 8259 JSON with
 *        integer numbers (no fractions or exponents: nothing in everypc's
 *        files is fractional), limits nesting depth to JV_MAX_DEPTH, and
 *        reports the first error as "file:line:col: message".
 * JSON-3 A tree is owned by its root; jv_free(root) releases everything.
 * JSON-4 A name appears at most once in an object (RFC 8259 says SHOULD);
 *        a repeated one is an error at the repetition.
 */
#ifndef EVERYPC_JSON_H
#define EVERYPC_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JV_MAX_DEPTH 64

enum jv_kind { JV_NULL, JV_BOOL, JV_INT, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_kind kind;
	int line, col;
	int64_t i; /* JV_BOOL (0/1), JV_INT */
	char *s;   /* JV_STR, NUL-terminated (NUL inside is an error) */
	size_t n;  /* JV_ARR, JV_OBJ: number of items */
	struct jv **items;
	char **keys; /* JV_OBJ */
};

/* Parse text; on error returns NULL and writes "file:line:col: msg". */
struct jv *jv_parse(const char *text, size_t len, const char *file, char *err,
		    size_t errlen);
/* Read and parse a whole file (errors name the file; I/O errors too). */
struct jv *jv_parse_file(const char *path, char *err, size_t errlen);
void jv_free(struct jv *v);

/* Member of an object, or NULL. */
const struct jv *jv_get(const struct jv *obj, const char *key);
const char *jv_kind_name(enum jv_kind k);

/* Deterministic writer into a growing buffer. */
struct jw {
	char *buf;
	size_t len, cap;
	int need_comma;
	int oom;
};
void jw_init(struct jw *w);
void jw_free(struct jw *w);
void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w, const char *key);
void jw_arr_end(struct jw *w);
void jw_key_obj(struct jw *w, const char *key); /* "key": { */
void jw_str(struct jw *w, const char *key,
	    const char *val); /* key NULL in arrays */
void jw_int(struct jw *w, const char *key, int64_t val);
void jw_hex(struct jw *w, const char *key, uint64_t val); /* "0x..." string */
void jw_bool(struct jw *w, const char *key, int val);
void jw_null(struct jw *w, const char *key);

#endif
