/*
 * front.c -- gosub_front(): runs the phases (parse, check, escape, lower +
 * liveness) over one file; the arena (arena.c) and the diagnostics (diag.c)
 * are its own files.
 *
 * Invariants: AST-1 (one arena, freed whole on failure) and AST-2 (errors
 * unwind to the setjmp here; at most FE_MAX_ERRORS are printed, sorted by
 * position, as "path:line:col: message").
 */
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "front.h"

/* The phases, separated from fe_compile so that no local of the setjmp
   caller changes after setjmp. */
static struct ir_program *run_phases(struct fe_ctx *fx, const char *src,
				     size_t len, const struct ir_target *t)
{
	struct fe_prog *p = fe_alloc(fx, sizeof(*p));
	p->file = parse_file(fx, src, len);
	if (fx->ndiags)
		return NULL;
	check_program(fx, p->file, p);
	if (fx->ndiags)
		return NULL;
	escape_program(fx, p);
	struct ir_program *prog = lower_program(fx, p, t);
	if (fx->ndiags)
		return NULL;
	return prog;
}

int fe_compile(const char *path, const char *src, size_t len,
	       const struct ir_target *t, struct ir_program **out, FILE *errout)
{
	struct fe_ctx *fx = calloc(1, sizeof(*fx));
	if (!fx)
		fe_oom();
	fx->path = path ? path : "<input>";
	struct ir_program *volatile prog = NULL;
	if (!setjmp(fx->bail))
		prog = run_phases(fx, src ? src : "", src ? len : 0, t);
	if (!prog || fx->ndiags) {
		if (!fx->ndiags)
			fprintf(errout, "%s: compilation failed\n", fx->path);
		fe_print_diags(fx, errout);
		fe_arena_free(fx);
		free(fx);
		return 1;
	}
	prog->source_file = fe_strdup(fx, fx->path, strlen(fx->path));
	*out = prog;
	/* AST-1: the arena now belongs to the program and is never freed. */
	free(fx);
	return 0;
}

int gosub_front(const char *path, const char *src, size_t len,
		const struct ir_target *t, struct ir_program **out)
{
	return fe_compile(path, src, len, t, out, stderr);
}
