/*
 * main.c -- the gosub driver and metadata dumper.
 *
 *   gosub -arch amd64|arm64|riscv64 [-S] [-mutant NAME] [-dump-ir] -o OUT F.go
 *   gosub -dump-meta ELF
 *   gosub -arch amd64|arm64|riscv64 -print-cc
 *
 * -print-cc prints the guest C compiler gosub would use for the arch
 * (everypc --version asks it).
 *
 * Compiling: read F.go, gosub_front() -> IR, the target's emit -> assembly.
 * With -S the assembly is OUT; otherwise it is assembled and linked against
 * <runtimedir>/<arch>/libeprt[-NAME].a in a private mkdtemp directory (in
 * $TMPDIR, else /tmp) that is removed afterwards. The runtime directory is
 * $EVERYPC_RUNTIME_DIR, else found beside gosub's executable (runtime/ in
 * the build tree, ../lib/everypc/runtime in an install prefix); the guest C
 * compilers come from gosub_config.h (system tools found at configure
 * time), overridable by EVERYPC_CC_<ARCH>. Exit status: 0, or 1 after an
 * error message on any failure.
 *
 * Dumping: the metadata reader (runtime/meta) reads and validates the ELF;
 * the dump lists, per function, its call sites, stack objects, unsafe ranges
 * and oracle records with addresses and function offsets as objdump -d prints
 * them.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "didyoumean.h"
#include "elfmeta.h"
#include "emit.h"
#include "everypc/abi.h"
#include "everypc/meta.h"
#include "front.h"
#include "gosub_config.h"
#include "selfdir.h"

struct opts {
	const struct ir_target *target;
	const char *out, *in, *mutant, *dump_meta, *argv0;
	int asm_only, dump_ir, print_cc;
};

#define USAGE                                                                  \
	"usage: gosub -arch amd64|arm64|riscv64 [-S] [-mutant NAME] "          \
	"[-dump-ir] -o OUT FILE.go\n"                                          \
	"       gosub -dump-meta ELF\n"                                        \
	"       gosub -arch amd64|arm64|riscv64 -print-cc\n"                   \
	"       gosub --help | -h | --version\n"

static int usage(void)
{
	fputs(USAGE, stderr);
	return 1;
}

/* --help: the usage and what each option does, on stdout. */
static int help(void)
{
	fputs("gosub: compile a program of everypc's Go subset for the rig's "
	      "runtime\n" USAGE "\n"
	      "  -arch ARCH     the target: amd64, arm64 or riscv64\n"
	      "  -o OUT         the output: the ELF, or with -S the assembly\n"
	      "  -S             write the assembly; do not assemble or link\n"
	      "  -mutant NAME   plant bug NAME: link libeprt-NAME.a, or for\n"
	      "                 short-prologue-range, wb-range-unmarked,\n"
	      "                 wb-escaped-skip or wb-frame-taken, emit it\n"
	      "  -dump-ir       print the intermediate representation\n"
	      "  -dump-meta ELF print the decoded metadata of ELF\n"
	      "  -print-cc      print the guest C compiler for -arch\n"
	      "  --help, -h     print this help\n"
	      "  --version      print gosub's version\n"
	      "\n"
	      "Exit status 0 on success, 1 after a message on standard "
	      "error.\n"
	      "Environment: EVERYPC_RUNTIME_DIR, EVERYPC_CC_AMD64, "
	      "EVERYPC_CC_ARM64,\n"
	      "EVERYPC_CC_RISCV64 (see gosub(1)).\n",
	      stdout);
	return fflush(stdout) ? 1 : 0;
}

static const struct ir_target *target_named(const char *name)
{
	static const struct ir_target *const all[] = {
	    &ir_target_amd64, &ir_target_arm64, &ir_target_riscv64};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int more = i + 1 < argc;
		if (!strcmp(a, "-S"))
			o->asm_only = 1;
		else if (!strcmp(a, "-dump-ir"))
			o->dump_ir = 1;
		else if (!strcmp(a, "-print-cc"))
			o->print_cc = 1;
		else if (!strcmp(a, "-arch") && more) {
			o->target = target_named(argv[++i]);
			if (!o->target) {
				fprintf(stderr,
					"gosub: unknown arch '%s' "
					"(amd64, arm64, riscv64)\n",
					argv[i]);
				return -1;
			}
		} else if (!strcmp(a, "-o") && more)
			o->out = argv[++i];
		else if (!strcmp(a, "-mutant") && more)
			o->mutant = argv[++i];
		else if ((!strcmp(a, "-dump-meta") ||
			  !strcmp(a, "--dump-meta")) &&
			 more)
			o->dump_meta = argv[++i];
		else if (a[0] != '-' && !o->in)
			o->in = a;
		else {
			fprintf(stderr, "gosub: unexpected argument '%s'\n", a);
			return usage(), -1;
		}
	}
	if (o->dump_meta || (o->print_cc && o->target))
		return 0;
	if (!o->target || !o->out || !o->in)
		return usage(), -1;
	return 0;
}

/* ---- reading and running ----------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n;
	*len = 0;
	if (!f) {
		fprintf(stderr, "gosub: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	do {
		if (*len + 1 >= cap) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 4096);
			if (!nb) {
				free(buf);
				fclose(f);
				fprintf(stderr, "gosub: out of memory\n");
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len - 1, f);
		*len += n;
	} while (n > 0);
	if (ferror(f)) {
		fprintf(stderr, "gosub: %s: read error\n", path);
		free(buf);
		buf = NULL;
	} else {
		buf[*len] = 0;
	}
	fclose(f);
	return buf;
}

/* Run argv; 0 when it exits 0. */
static int run(char *const argv[])
{
	pid_t pid = fork();
	int st;
	if (pid < 0) {
		fprintf(stderr, "gosub: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "gosub: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	fprintf(stderr, "gosub: %s failed\n", argv[0]);
	return -1;
}

/* The guest C compiler for t: EVERYPC_CC_<ARCH> or the configured one. */
static const char *guest_cc(const struct ir_target *t)
{
	static const struct {
		const char *arch, *env, *cc;
	} tab[] = {
	    {"amd64", "EVERYPC_CC_AMD64", GOSUB_CC_AMD64},
	    {"arm64", "EVERYPC_CC_ARM64", GOSUB_CC_ARM64},
	    {"riscv64", "EVERYPC_CC_RISCV64", GOSUB_CC_RISCV64},
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		if (strcmp(tab[i].arch, t->name))
			continue;
		const char *env = getenv(tab[i].env);
		return env && env[0] ? env : tab[i].cc;
	}
	return "";
}

/* Compiler mutants: a bug planted in what gosub emits (IR_MUTANT_*, ir.h),
   linked with the correct runtime; -mutant names them as it names the
   runtime's libeprt-NAME.a. EVERYPC_GOSUB_MUTANTS (CMake) lists them. */
static const struct {
	const char *name;
	unsigned bit;
} compiler_mutants[] = {
    {"short-prologue-range", IR_MUTANT_SHORT_PROLOGUE},
    {"wb-range-unmarked", IR_MUTANT_WB_RANGE_UNMARKED},
    {"wb-escaped-skip", IR_MUTANT_WB_ESCAPED_SKIP},
    {"wb-frame-taken", IR_MUTANT_WB_FRAME_TAKEN},
};
#define NCOMPILER_MUTANTS (sizeof compiler_mutants / sizeof compiler_mutants[0])

/* The IR_MUTANT_* bit of compiler mutant name, or 0. */
static unsigned compiler_mutant(const char *name)
{
	for (size_t i = 0; name && i < NCOMPILER_MUTANTS; i++)
		if (!strcmp(compiler_mutants[i].name, name))
			return compiler_mutants[i].bit;
	return 0;
}

/* The mutant of dir/<arch>/libeprt-*.a or of the compiler nearest to name,
   into meant ("" when none is near: didyoumean.h). */
static void mutant_meant(const char *dir, const char *arch, const char *name,
			 char *meant, size_t n)
{
	char path[4096], *names[256];
	const char *best;
	size_t k = 0;
	DIR *d;
	struct dirent *e;

	meant[0] = 0;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, arch) >=
		sizeof path ||
	    !(d = opendir(path)))
		return;
	while ((e = readdir(d)) && k < sizeof names / sizeof names[0]) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, "libeprt-", 8) || len < 11 ||
		    strcmp(e->d_name + len - 2, ".a"))
			continue;
		if ((names[k] = malloc(len - 9)))
			snprintf(names[k++], len - 9, "%.*s", (int)(len - 10),
				 e->d_name + 8);
	}
	closedir(d);
	for (size_t i = 0; i < NCOMPILER_MUTANTS && k < 256; i++)
		if ((names[k] = strdup(compiler_mutants[i].name)))
			k++;
	best = ev_did_you_mean(name, (const char *const *)names, k);
	if (best)
		snprintf(meant, n, "; did you mean '%s'?", best);
	while (k)
		free(names[--k]);
}

/* The runtime libraries' directory into dir: $EVERYPC_RUNTIME_DIR, else
   beside gosub's own executable (SELF/runtime in the build tree,
   SELF/../lib/everypc/runtime in an install prefix; rig/selfdir.h). No
   path of the build tree is compiled in. */
static int runtime_dir(const struct opts *o, char *dir, size_t n)
{
	char self[4096];
	const char *env = getenv("EVERYPC_RUNTIME_DIR");
	if (env && env[0]) {
		if ((size_t)snprintf(dir, n, "%s", env) < n)
			return 0;
		fprintf(stderr, "gosub: EVERYPC_RUNTIME_DIR: path too long\n");
		return -1;
	}
	if (ev_paths_self_dir(o->argv0, self, sizeof self) < 0) {
		fprintf(stderr, "gosub: cannot tell where the gosub executable "
				"is, so not where the runtime libraries are: "
				"set EVERYPC_RUNTIME_DIR\n");
		return -1;
	}
	if (ev_paths_runtime_dir(self, dir, n) == 0)
		return 0;
	fprintf(stderr,
		"gosub: no runtime libraries beside %s/gosub (neither "
		"%s/runtime nor %s/../lib/everypc/runtime): set "
		"EVERYPC_RUNTIME_DIR\n",
		self, self, self);
	return -1;
}

static int runtime_lib(const struct opts *o, char *buf, size_t n)
{
	char meant[128], dir[4096];
	/* a runtime mutant's library; a compiler mutant's is the correct one */
	const char *m = compiler_mutant(o->mutant) ? NULL : o->mutant;
	if (runtime_dir(o, dir, sizeof dir) < 0)
		return -1;
	if ((size_t)snprintf(buf, n, "%s/%s/libeprt%s%s.a", dir,
			     o->target->name, m ? "-" : "", m ? m : "") >= n) {
		fprintf(stderr, "gosub: %s: path too long\n", dir);
		return -1;
	}
	if (access(buf, R_OK) == 0)
		return 0;
	if (m) {
		mutant_meant(dir, o->target->name, o->mutant, meant,
			     sizeof meant);
		fprintf(stderr,
			"gosub: no runtime library for mutant '%s' on "
			"%s: %s not found%s\n",
			o->mutant, o->target->name, buf, meant);
	} else {
		fprintf(stderr,
			"gosub: runtime library %s not found (build the "
			"runtime for %s first)\n",
			buf, o->target->name);
	}
	return -1;
}

/* ---- compiling ----------------------------------------------------------- */

static int write_asm(const struct opts *o, const struct ir_program *prog,
		     const char *path)
{
	FILE *f = fopen(path, "w");
	int rc;
	if (!f) {
		fprintf(stderr, "gosub: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = o->target->emit(prog, f);
	if (fclose(f) && !rc) {
		fprintf(stderr, "gosub: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	if (rc)
		remove(path);
	return rc;
}

static int assemble_link(const struct opts *o, const char *s, const char *obj,
			 const char *lib)
{
	const char *cc = guest_cc(o->target);
	/* The assembler records the current directory as DWARF comp_dir: map
	   it away so the binary, and its build-id, do not depend on where the
	   checkout is (recorded scenarios replay anywhere). */
	static char cwd[4096], map[4200];
	if (!getcwd(cwd, sizeof cwd))
		snprintf(cwd, sizeof cwd, ".");
	snprintf(map, sizeof map, "-fdebug-prefix-map=%s=.", cwd);
	char *as[] = {(char *)cc, "-g", map,	     "-c",
		      (char *)s,  "-o", (char *)obj, NULL};
	char *ld[] = {(char *)cc,
		      "-static",
		      "-nostdlib",
		      "-no-pie",
		      "-Wl,--build-id",
		      "-o",
		      (char *)o->out,
		      (char *)obj,
		      (char *)lib,
		      "-lgcc",
		      NULL};
	if (!cc[0]) {
		fprintf(stderr,
			"gosub: no C compiler configured for %s (set "
			"EVERYPC_CC_AMD64, _ARM64 or _RISCV64)\n",
			o->target->name);
		return -1;
	}
	return run(as) || run(ld) ? -1 : 0;
}

static int build_exe(const struct opts *o, const struct ir_program *prog)
{
	char lib[4096], tmpl[1024], s[1100], obj[1100];
	const char *tmp = getenv("TMPDIR");
	int rc;
	if (runtime_lib(o, lib, sizeof lib))
		return -1;
	snprintf(tmpl, sizeof tmpl, "%s/gosub-XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(tmpl)) {
		fprintf(stderr, "gosub: mkdtemp %s: %s\n", tmpl,
			strerror(errno));
		return -1;
	}
	snprintf(s, sizeof s, "%s/prog.s", tmpl);
	snprintf(obj, sizeof obj, "%s/prog.o", tmpl);
	rc = write_asm(o, prog, s);
	if (!rc)
		rc = assemble_link(o, s, obj, lib);
	remove(s);
	remove(obj);
	rmdir(tmpl);
	return rc;
}

static int compile(const struct opts *o)
{
	size_t len;
	char *src = read_file(o->in, &len);
	struct ir_program *prog = NULL;
	int rc;
	if (!src)
		return 1;
	rc = gosub_front(o->in, src, len, o->target, &prog);
	if (rc == 0) {
		prog->mutants = compiler_mutant(o->mutant);
		ir_plant_mutants(prog);
	}
	if (rc == 0 && o->dump_ir)
		for (int i = 0; i < prog->nfuncs; i++)
			ir_dump_func(&prog->funcs[i], o->target, stdout);
	if (rc == 0)
		rc = o->asm_only ? write_asm(o, prog, o->out)
				 : build_exe(o, prog);
	free(src);
	return rc ? 1 : 0;
}

/* ---- dumping ------------------------------------------------------------- */

static void put_mask_words(const uint8_t *mask, uint64_t nbits,
			   const char *prefix)
{
	int any = 0;
	for (uint64_t i = 0; i < nbits; i++)
		if (ep_bit(mask, i)) {
			printf(" %s%llu", prefix, (unsigned long long)(8 * i));
			any = 1;
		}
	if (!any)
		printf(" -");
}

static void put_regs(const struct be_arch *a, uint64_t regmask)
{
	if (!regmask) {
		printf(" -");
		return;
	}
	for (int r = 0; r < 64; r++)
		if (regmask >> r & 1) {
			if (a && r < a->ngdb)
				printf(" %s", a->gdbname[r]);
			else
				printf(" r%d", r);
		}
}

static void put_offsets(const int32_t *w, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++)
		printf(" SP+%d", w[k]);
	if (!n)
		printf(" -");
}

static void dump_func_tables(const struct elfmeta *m,
			     const struct elfmeta_func *f)
{
	for (uint32_t i = 0; i < f->ncallsites; i++) {
		const struct elfmeta_callsite *c = &f->callsites[i];
		printf("    callsite ret 0x%llx <+0x%llx> live ptr slots:",
		       (unsigned long long)c->retpc,
		       (unsigned long long)(c->retpc - f->entry));
		put_mask_words(c->ptrmask, f->frame_size / 8, "SP+");
		const struct elfmeta_oracle_call *oc =
		    elfmeta_oracle_call_at(m, c->retpc);
		printf(" live slots:");
		put_offsets(oc ? oc->live : NULL, oc ? oc->nlive : 0);
		printf("\n");
	}
	for (uint32_t i = 0; i < f->nstackobjs; i++) {
		const struct elfmeta_stackobj *s = &f->stackobjs[i];
		printf("    stackobj SP+%d size %u ptr words:", s->off,
		       s->size);
		put_mask_words(s->ptrmask, s->size / 8, "+");
		printf("\n");
	}
	for (size_t i = 0; i < m->nunsafe; i++) {
		const struct elfmeta_unsafe *u = &m->unsafe[i];
		if (u->start < f->entry || u->start >= f->end)
			continue;
		printf("    unsafe [0x%llx, 0x%llx) <+0x%llx..+0x%llx> %s\n",
		       (unsigned long long)u->start, (unsigned long long)u->end,
		       (unsigned long long)(u->start - f->entry),
		       (unsigned long long)(u->end - f->entry),
		       elfmeta_unsafe_kind_name(u->kind));
	}
}

static void dump_oracle(const struct elfmeta *m, const struct elfmeta_func *f)
{
	const struct be_arch *a = be_by_arch(m->arch);
	for (size_t i = 0; i < m->noracle; i++) {
		const struct elfmeta_oracle *o = &m->oracle[i];
		if (o->start < f->entry || o->start >= f->end)
			continue;
		printf("    oracle [0x%llx, 0x%llx) <+0x%llx..+0x%llx> regs:",
		       (unsigned long long)o->start, (unsigned long long)o->end,
		       (unsigned long long)(o->start - f->entry),
		       (unsigned long long)(o->end - f->entry));
		put_regs(a, o->regmask);
		printf(" slots:");
		put_offsets(o->slots, o->nslots);
		printf(" live regs:");
		put_regs(a, o->livemask);
		printf(" live slots:");
		put_offsets(o->live, o->nlive);
		printf("\n");
	}
}

static void dump_funcs(const struct elfmeta *m)
{
	printf("functions: %zu\n", m->nfuncs);
	for (size_t i = 0; i < m->nfuncs; i++) {
		const struct elfmeta_func *f = &m->funcs[i];
		printf("  %s [0x%llx, 0x%llx) line %u frame %u args %u "
		       "ptr args:",
		       f->name, (unsigned long long)f->entry,
		       (unsigned long long)f->end, f->line, f->frame_size,
		       f->args_size);
		for (int b = 0; b < 64; b++)
			if (f->args_ptrmask >> b & 1)
				printf(" #%d", b);
		if (!f->args_ptrmask)
			printf(" -");
		printf("%s\n", f->flags & 1 ? " main.main" : "");
		dump_func_tables(m, f);
		dump_oracle(m, f);
	}
}

static void dump_types_globals(const struct elfmeta *m)
{
	printf("types: %zu\n", m->ntypes);
	for (size_t i = 0; i < m->ntypes; i++) {
		printf("  #%zu %s size %llu ptr words:", i, m->types[i].name,
		       (unsigned long long)m->types[i].size);
		put_mask_words(m->types[i].ptrmask, m->types[i].size / 8, "+");
		printf("\n");
	}
	printf("globals: [0x%llx, 0x%llx) ptr words:",
	       (unsigned long long)m->globals_start,
	       (unsigned long long)(m->globals_start + m->globals_size));
	put_mask_words(m->globals_ptrmask, m->globals_size / 8, "+");
	printf("\n");
	for (uint64_t w = 0; w < m->globals_size / 8; w++) {
		uint64_t v = 0;
		for (int b = 7; b >= 0; b--)
			v = v << 8 | m->globals_init[8 * w + b];
		if (v)
			printf("  init +%llu = %lld\n",
			       (unsigned long long)(8 * w), (long long)v);
	}
}

static int dump_meta(const char *path)
{
	char err[512];
	struct elfmeta *m;
	if (elfmeta_open(path, &m, err, sizeof err)) {
		fprintf(stderr, "gosub: %s\n", err);
		return 1;
	}
	printf("file: %s\narch: %s\nsource: %s\nentry: 0x%llx\nbuild-id: ",
	       path, elfmeta_arch_name(m->arch), m->source_file,
	       (unsigned long long)m->entry);
	for (size_t i = 0; i < m->build_id_len; i++)
		printf("%02x", m->build_id[i]);
	printf("\neverypc_module: 0x%llx\nclobber regs:",
	       (unsigned long long)m->module_addr);
	put_regs(be_by_arch(m->arch), m->clobber_regs);
	printf("\n");
	dump_funcs(m);
	dump_types_globals(m);
	int rc = elfmeta_check(m, err, sizeof err);
	if (rc)
		fprintf(stderr, "gosub: %s: inconsistent metadata: %s\n", path,
			err);
	elfmeta_close(m);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	o.argv0 = argv[0];
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return help();
	if (argc == 2 && !strcmp(argv[1], "--version"))
		return printf("gosub %s\n", GOSUB_VERSION) < 0 ||
		       fflush(stdout);
	if (parse_args(argc, argv, &o))
		return 1;
	if (o.dump_meta)
		return dump_meta(o.dump_meta);
	if (o.print_cc)
		return puts(guest_cc(o.target)) == EOF;
	return compile(&o);
}
