/*
 * front.h -- gosub's front and middle end as the driver sees them:
 * parse, type-check, escape-analyse and lower one Go-subset file to IR for a
 * target. Errors are printed to stderr as "file:line:col: message".
 */
#ifndef GOSUB_FRONT_H
#define GOSUB_FRONT_H

#include "ir.h"

/* Compile the file at path (its bytes: src, len) for target t. Returns 0 and
   sets *out, or returns 1 after printing at least one error. Never crashes
   on any input. */
int gosub_front(const char *path, const char *src, size_t len,
		const struct ir_target *t, struct ir_program **out);

#endif
