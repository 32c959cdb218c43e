/*
 * check.h -- the type checker's internals, shared by its files (check.c:
 * declarations and the program; check_scope.c, check_type.c,
 * check_const.c, check_expr.c, check_call.c, check_stmt.c). The checker's
 * entry point and the types it builds are in ast.h.
 */
#ifndef GOSUB_CHECK_H
#define GOSUB_CHECK_H

#include "ast.h"

struct scope {
	struct scope *up;
	struct sym **syms;
	int n, cap;
};

struct checker {
	struct fe_ctx *fx;
	struct fe_prog *p;
	struct scope *universe, *pkg, *cur;
	struct fe_func *fn; /* function being checked */
	int loopdepth;
	int inloop;
	struct sym *runtime_pkg;
};

/* check_scope.c */
void ck_error(struct checker *c, const struct node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
struct sym *ck_lookup_in(struct scope *s, const char *name);
struct sym *ck_lookup(struct checker *c, const char *name);
struct sym *ck_new_sym(struct checker *c, int kind, const char *name,
		       const struct node *at);
void ck_declare(struct checker *c, struct sym *s, const struct node *at);
void ck_open_scope(struct checker *c);
void ck_close_scope(struct checker *c);
void ck_add_local(struct checker *c, struct sym *s);
void ck_universe(struct checker *c);
int ck_unsupported(struct checker *c, const struct node *n,
		   const struct sym *s);

/* check_type.c */
struct type *ck_new_type(struct checker *c, int kind);
struct type *ck_ptr_to(struct checker *c, struct type *elem);
int ck_is_int(const struct type *t);
int ck_is_bool(const struct type *t);
const char *ck_ts(struct checker *c, const struct type *t);
void ck_complete(struct checker *c, struct type *t, const struct node *at);
struct type *ck_resolve_type(struct checker *c, struct node *n);
int ck_looks_like_type(struct checker *c, const struct node *n);
struct type *ck_param_type(struct checker *c, struct node *tn,
			   const char *what);
void ck_struct_fields(struct checker *c, struct type *t);

/* check_const.c */
int ck_fold_int(int op, int64_t a, int64_t b, int64_t *r);
void ck_set_const(struct node *n, struct type *t, int64_t v);
int64_t ck_fold_cmp(int op, int64_t a, int64_t b);
void ck_const_eval(struct checker *c, struct sym *s);
void ck_declare_consts(struct checker *c, struct node *spec, int global);

/* check_expr.c */
const char *ck_describe(struct checker *c, const struct node *n);
int ck_assign(struct checker *c, struct node *n, struct type *t,
	      const char *ctx);
struct type *ck_default_type(struct checker *c, struct node *n);
int ck_addressable(const struct node *n);
void ck_bad(struct node *n, struct checker *c);
void check_expr(struct checker *c, struct node *n);

/* check_call.c */
void check_call(struct checker *c, struct node *n);

/* check_stmt.c */
void check_func(struct checker *c, struct fe_func *f);

#endif
