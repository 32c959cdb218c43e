/*
 * front_util.h -- helpers shared by the front-end unit tests: a made-up
 * target (4 temps, 5 vars, no emitter) and compilation from a string with
 * the diagnostics captured.
 */
#ifndef FRONT_UTIL_H
#define FRONT_UTIL_H

#include "ast.h"

extern const struct ir_target fu_target;

/* Compiles src; returns the exit status (0/1); *errs receives the
   diagnostics text (static buffer, valid until the next call). */
int fu_compile(const char *src, struct ir_program **out, const char **errs);
int fu_compile_n(const char *src, size_t len, const struct ir_target *t,
		 struct ir_program **out, const char **errs);
/* The function named name ("main.f") or NULL. */
struct ir_func *fu_func(struct ir_program *p, const char *name);
/* IR dump of a function into a static buffer. */
const char *fu_dump(const struct ir_func *f);

#endif
