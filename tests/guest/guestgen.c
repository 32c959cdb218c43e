/*
 * guestgen.c -- writes one hand-built IR program of irprogs.c as assembly
 * for an arch, with its expected output and per-line case descriptions:
 *     gosub_guestgen ARCH PROG OUT.s OUT.expected OUT.cases
 * run_guest.cmake assembles, links and runs the result under QEMU.
 */
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "everypc/abi.h"
#include "irprogs.h"

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const int arches[] = {EP_ARCH_AMD64, EP_ARCH_ARM64,
				     EP_ARCH_RISCV64};
	const struct ir_target *t = NULL;
	struct irprog p;
	FILE *out;
	int rc;
	if (argc != 6) {
		fprintf(stderr, "usage: gosub_guestgen ARCH PROG OUT.s "
				"OUT.expected OUT.cases\n");
		return 1;
	}
	for (int i = 0; i < 3; i++)
		if (!strcmp(be_by_arch(arches[i])->target->name, argv[1]))
			t = be_by_arch(arches[i])->target;
	if (!t || irprog_build(argv[2], t, &p)) {
		fprintf(stderr, "gosub_guestgen: bad arch or program\n");
		return 1;
	}
	out = fopen(argv[3], "w");
	if (!out) {
		perror(argv[3]);
		return 1;
	}
	rc = t->emit(p.prog, out);
	if (fclose(out))
		rc = -1;
	if (!rc)
		rc = write_text(argv[4], p.expected) |
		     write_text(argv[5], p.cases);
	irprog_free(&p);
	return rc ? 1 : 0;
}
