/*
 * fuzz_json.c -- libFuzzer target for the JSON reader and writer
 * (rig/json.c). The input is a JSON text.
 *
 * Checked besides the sanitizers (JSON-1..3): a failed parse has a message
 * "file:line:col: ..."; a tree that parses is written back with the jw_*
 * writer, and that text parses to an equal tree (kinds, values, keys in
 * order), positions 1-based.
 */
#include "json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void write_value(struct jw *w, const char *key, const struct jv *v)
{
	switch (v->kind) {
	case JV_NULL:
		jw_null(w, key);
		break;
	case JV_BOOL:
		jw_bool(w, key, (int)v->i);
		break;
	case JV_INT:
		jw_int(w, key, v->i);
		break;
	case JV_STR:
		jw_str(w, key, v->s);
		break;
	case JV_ARR:
		jw_arr_begin(w, key);
		for (size_t i = 0; i < v->n; i++)
			write_value(w, NULL, v->items[i]);
		jw_arr_end(w);
		break;
	case JV_OBJ:
		jw_key_obj(w, key);
		for (size_t i = 0; i < v->n; i++)
			write_value(w, v->keys[i], v->items[i]);
		jw_obj_end(w);
		break;
	}
}

static int same(const struct jv *a, const struct jv *b)
{
	if (a->kind != b->kind || b->line < 1 || b->col < 1)
		return 0;
	switch (a->kind) {
	case JV_NULL:
		return 1;
	case JV_BOOL:
	case JV_INT:
		return a->i == b->i;
	case JV_STR:
		return strcmp(a->s, b->s) == 0;
	case JV_ARR:
	case JV_OBJ:
		if (a->n != b->n)
			return 0;
		for (size_t i = 0; i < a->n; i++) {
			if (a->kind == JV_OBJ && strcmp(a->keys[i], b->keys[i]))
				return 0;
			if (!same(a->items[i], b->items[i]))
				return 0;
		}
		return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct jv *v =
	    jv_parse((const char *)data, size, "in.json", err, sizeof err);
	if (!v) {
		if (strncmp(err, "in.json:", 8) != 0)
			abort();
		return 0;
	}
	if (v->line < 1 || v->col < 1)
		abort();
	struct jw w;
	jw_init(&w);
	write_value(&w, NULL, v);
	if (!w.oom) {
		struct jv *back =
		    jv_parse(w.buf, w.len, "out.json", err, sizeof err);
		if (!back || !same(v, back))
			abort(); /* the writer wrote what the reader refuses */
		jv_free(back);
	}
	jw_free(&w);
	jv_free(v);
	return 0;
}
