/*
 * json.c -- position-tracking JSON reader and deterministic writer (json.h).
 * The reader is recursive descent over a bounded buffer; every error names
 * the position where it was found (JSON-2).
 */
#include "json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	const char *p, *end, *start;
	const char *file;
	int line;
	const char *line_start;
	char *err;
	size_t errlen;
	int failed;
};

static void fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->failed)
		return;
	r->failed = 1;
	n = snprintf(r->err, r->errlen, "%s:%d:%d: ", r->file, r->line,
		     (int)(r->p - r->line_start) + 1);
	if (n < 0 || (size_t)n >= r->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - n, fmt, ap);
	va_end(ap);
}

static void skip_ws(struct reader *r)
{
	while (r->p < r->end) {
		char c = *r->p;
		if (c == '\n') {
			r->line++;
			r->line_start = r->p + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			return;
		}
		r->p++;
	}
}

static struct jv *new_value(struct reader *r, enum jv_kind k)
{
	struct jv *v = calloc(1, sizeof *v);
	if (!v) {
		fail(r, "out of memory");
		return NULL;
	}
	v->kind = k;
	v->line = r->line;
	v->col = (int)(r->p - r->line_start) + 1;
	return v;
}

static int append_item(struct reader *r, struct jv *v, struct jv *item,
		       char *key)
{
	struct jv **items = realloc(v->items, (v->n + 1) * sizeof *items);
	if (!items) {
		fail(r, "out of memory");
		return -1;
	}
	v->items = items;
	if (v->kind == JV_OBJ) {
		char **keys = realloc(v->keys, (v->n + 1) * sizeof *keys);
		if (!keys) {
			fail(r, "out of memory");
			return -1;
		}
		v->keys = keys;
		v->keys[v->n] = key;
	}
	v->items[v->n++] = item;
	return 0;
}

/* JSON-4: a second "actions" in a suite would silently win or lose. */
static int has_key(const struct jv *obj, const char *key)
{
	size_t i;
	for (i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return 1;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append code point cp as UTF-8. */
static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	out[0] = (char)(0xE0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

static int read_escape(struct reader *r, char *out, size_t *o)
{
	char c;
	unsigned cp = 0;
	int i;

	if (r->p >= r->end) {
		fail(r, "unterminated string");
		return -1;
	}
	c = *r->p++;
	switch (c) {
	case '"':
	case '\\':
	case '/':
		out[(*o)++] = c;
		return 0;
	case 'b':
		out[(*o)++] = '\b';
		return 0;
	case 'f':
		out[(*o)++] = '\f';
		return 0;
	case 'n':
		out[(*o)++] = '\n';
		return 0;
	case 'r':
		out[(*o)++] = '\r';
		return 0;
	case 't':
		out[(*o)++] = '\t';
		return 0;
	case 'u':
		for (i = 0; i < 4; i++) {
			int h = r->p < r->end ? hexval(*r->p) : -1;
			if (h < 0) {
				fail(r, "bad \\u escape in string");
				return -1;
			}
			cp = cp * 16 + (unsigned)h;
			r->p++;
		}
		if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
			fail(r, "\\u%04x is not allowed in everypc files", cp);
			return -1;
		}
		*o += put_utf8(out + *o, cp);
		return 0;
	default:
		r->p--;
		fail(r, "bad escape '\\%c' in string", c);
		return -1;
	}
}

static char *read_string(struct reader *r)
{
	const char *q;
	char *out;
	size_t o = 0;

	r->p++; /* opening quote */
	for (q = r->p; q < r->end && *q != '"'; q++)
		if (*q == '\\')
			q++;
	/* Escapes only shrink, except \u (6 bytes -> at most 3). */
	out = malloc((size_t)(q - r->p) + 4);
	if (!out) {
		fail(r, "out of memory");
		return NULL;
	}
	while (r->p < r->end && *r->p != '"') {
		unsigned char c = (unsigned char)*r->p;
		if (c < 0x20) {
			fail(r, "control character in string");
			free(out);
			return NULL;
		}
		r->p++;
		if (c == '\\') {
			if (read_escape(r, out, &o) < 0) {
				free(out);
				return NULL;
			}
		} else {
			out[o++] = (char)c;
		}
	}
	if (r->p >= r->end) {
		fail(r, "unterminated string");
		free(out);
		return NULL;
	}
	r->p++;
	out[o] = 0;
	return out;
}

static struct jv *parse_value(struct reader *r, int depth);

static struct jv *parse_number(struct reader *r)
{
	struct jv *v = new_value(r, JV_INT);
	int neg = 0;
	uint64_t mag = 0, limit;

	if (!v)
		return NULL;
	if (*r->p == '-') {
		neg = 1;
		r->p++;
	}
	if (r->p >= r->end || *r->p < '0' || *r->p > '9') {
		fail(r, "expected a digit");
		free(v);
		return NULL;
	}
	if (*r->p == '0' && r->p + 1 < r->end && r->p[1] >= '0' &&
	    r->p[1] <= '9') {
		fail(r, "leading zero in number");
		free(v);
		return NULL;
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		unsigned d = (unsigned)(*r->p - '0');
		if (mag > (limit - d) / 10) {
			fail(r, "number out of 64-bit range");
			free(v);
			return NULL;
		}
		mag = mag * 10 + d;
		r->p++;
	}
	if (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E')) {
		fail(r, "only integer numbers are allowed");
		free(v);
		return NULL;
	}
	v->i = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return v;
}

static struct jv *parse_word(struct reader *r)
{
	static const struct {
		const char *w;
		enum jv_kind k;
		int val;
	} words[] = {
	    {"true", JV_BOOL, 1}, {"false", JV_BOOL, 0}, {"null", JV_NULL, 0}};
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = strlen(words[i].w);
		if ((size_t)(r->end - r->p) >= n &&
		    memcmp(r->p, words[i].w, n) == 0) {
			struct jv *v = new_value(r, words[i].k);
			if (v)
				v->i = words[i].val;
			r->p += n;
			return v;
		}
	}
	fail(r, "unexpected character '%c'", *r->p);
	return NULL;
}

/* An object member's "key" and its ':' (a new key of obj, JSON-4), or NULL
   after fail(). */
static char *read_key(struct reader *r, const struct jv *obj)
{
	const char *at = r->p;
	char *key;

	if (r->p >= r->end || *r->p != '"') {
		fail(r, "expected a \"key\"");
		return NULL;
	}
	if (!(key = read_string(r)))
		return NULL;
	if (has_key(obj, key)) {
		r->p = at; /* the error names the key's place */
		fail(r, "duplicate key \"%s\"", key);
		free(key);
		return NULL;
	}
	skip_ws(r);
	if (r->p >= r->end || *r->p != ':') {
		fail(r, "expected ':' after key \"%s\"", key);
		free(key);
		return NULL;
	}
	r->p++;
	return key;
}

static struct jv *parse_container(struct reader *r, int depth, int is_obj)
{
	struct jv *v = new_value(r, is_obj ? JV_OBJ : JV_ARR);
	char close = is_obj ? '}' : ']';

	if (!v)
		return NULL;
	r->p++;
	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		struct jv *item;

		skip_ws(r);
		if (is_obj && !(key = read_key(r, v)))
			break;
		if (!(item = parse_value(r, depth + 1))) {
			free(key);
			break;
		}
		if (append_item(r, v, item, key) < 0) {
			free(key);
			jv_free(item);
			break;
		}
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return v;
		}
		fail(r, "expected ',' or '%c'", close);
		break;
	}
	jv_free(v);
	return NULL;
}

static struct jv *parse_value(struct reader *r, int depth)
{
	struct jv *v;

	if (depth > JV_MAX_DEPTH) {
		fail(r, "nesting deeper than %d", JV_MAX_DEPTH);
		return NULL;
	}
	skip_ws(r);
	if (r->p >= r->end) {
		fail(r, "unexpected end of input");
		return NULL;
	}
	switch (*r->p) {
	case '{':
		return parse_container(r, depth, 1);
	case '[':
		return parse_container(r, depth, 0);
	case '"':
		if (!(v = new_value(r, JV_STR)))
			return NULL;
		if (!(v->s = read_string(r))) {
			free(v);
			return NULL;
		}
		return v;
	default:
		if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
			return parse_number(r);
		return parse_word(r);
	}
}

struct jv *jv_parse(const char *text, size_t len, const char *file, char *err,
		    size_t errlen)
{
	struct reader r = {text, text + len, text,   file, 1,
			   text, err,	     errlen, 0};
	struct jv *v;

	if (errlen)
		err[0] = 0;
	if (memchr(text, 0, len)) {
		r.p = memchr(text, 0, len);
		/* position the error at the NUL */
		for (const char *q = text; q < r.p; q++)
			if (*q == '\n') {
				r.line++;
				r.line_start = q + 1;
			}
		fail(&r, "NUL byte in input");
		return NULL;
	}
	v = parse_value(&r, 0);
	if (!v)
		return NULL;
	skip_ws(&r);
	if (r.p != r.end) {
		fail(&r, "trailing characters after the JSON value");
		jv_free(v);
		return NULL;
	}
	return v;
}

struct jv *jv_parse_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct jv *v;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	fcntl(fileno(f), F_SETFD, FD_CLOEXEC); /* LAUNCH-6 */
	for (;;) {
		size_t n;
		if (len == cap) {
			char *nb;
			cap = cap ? cap * 2 : 4096;
			if (cap > (64u << 20) || !(nb = realloc(buf, cap))) {
				snprintf(err, errlen, "%s: file too large",
					 path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	v = jv_parse(buf ? buf : "", len, path, err, errlen);
	free(buf);
	return v;
}

void jv_free(struct jv *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		jv_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
	free(v);
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
	size_t i;

	if (!obj || obj->kind != JV_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

const char *jv_kind_name(enum jv_kind k)
{
	static const char *names[] = {"null",	  "a boolean", "an integer",
				      "a string", "an array",  "an object"};
	return (unsigned)k < 6 ? names[k] : "?";
}

/* ---- writer ---- */

void jw_init(struct jw *w) { memset(w, 0, sizeof *w); }

void jw_free(struct jw *w)
{
	free(w->buf);
	memset(w, 0, sizeof *w);
}

static void put(struct jw *w, const char *s, size_t n)
{
	if (w->oom)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		char *nb;
		while (w->len + n + 1 > cap)
			cap *= 2;
		if (!(nb = realloc(w->buf, cap))) {
			w->oom = 1;
			return;
		}
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = 0;
}

static void puts_w(struct jw *w, const char *s) { put(w, s, strlen(s)); }

static void put_quoted(struct jw *w, const char *s)
{
	put(w, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(w, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			puts_w(w, esc);
		} else {
			put(w, (const char *)&c, 1);
		}
	}
	put(w, "\"", 1);
}

static void begin_member(struct jw *w, const char *key)
{
	if (w->need_comma)
		put(w, ",", 1);
	w->need_comma = 1;
	if (key) {
		put_quoted(w, key);
		put(w, ":", 1);
	}
}

void jw_obj_begin(struct jw *w)
{
	begin_member(w, NULL);
	put(w, "{", 1);
	w->need_comma = 0;
}

void jw_key_obj(struct jw *w, const char *key)
{
	begin_member(w, key);
	put(w, "{", 1);
	w->need_comma = 0;
}

void jw_obj_end(struct jw *w)
{
	put(w, "}", 1);
	w->need_comma = 1;
}

void jw_arr_begin(struct jw *w, const char *key)
{
	begin_member(w, key);
	put(w, "[", 1);
	w->need_comma = 0;
}

void jw_arr_end(struct jw *w)
{
	put(w, "]", 1);
	w->need_comma = 1;
}

void jw_str(struct jw *w, const char *key, const char *val)
{
	begin_member(w, key);
	put_quoted(w, val ? val : "");
}

void jw_int(struct jw *w, const char *key, int64_t val)
{
	char num[32];
	begin_member(w, key);
	snprintf(num, sizeof num, "%lld", (long long)val);
	puts_w(w, num);
}

void jw_hex(struct jw *w, const char *key, uint64_t val)
{
	char num[32];
	snprintf(num, sizeof num, "0x%llx", (unsigned long long)val);
	jw_str(w, key, num);
}

void jw_bool(struct jw *w, const char *key, int val)
{
	begin_member(w, key);
	puts_w(w, val ? "true" : "false");
}

void jw_null(struct jw *w, const char *key)
{
	begin_member(w, key);
	puts_w(w, "null");
}
