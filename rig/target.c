/*
 * target.c -- building and opening a sweep target (target.h).
 */
#include "target.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"
#include "everypc/rig_abi.h"
#include "launch.h"
#include "paths.h"
#include "suite.h"

static char *xstrdup(const char *s)
{
	char *d = malloc(strlen(s) + 1);
	if (d)
		strcpy(d, s);
	return d;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int mkdirs(const char *path)
{
	char buf[1024], *p;
	snprintf(buf, sizeof buf, "%s", path);
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* The first n - 1 bytes f holds, without trailing newlines. */
static void read_back(FILE *f, char *out, size_t n)
{
	size_t got;
	rewind(f);
	got = fread(out, 1, n - 1, f);
	out[got] = 0;
	while (got && (out[got - 1] == '\n'))
		out[--got] = 0;
	if (!got)
		snprintf(out, n, "(no output)");
}

/* h continued with s and its NUL (so that "ab","c" differs from "a","bc"). */
static uint64_t hash_str(uint64_t h, const char *s)
{
	return ev_fnv1a_more(h, s, strlen(s) + 1);
}

/* h continued with the name and the bytes of the tool, a path or a name
   searched in $PATH; 0, or -1 when it cannot be found or read. */
static int hash_tool(uint64_t *h, const char *tool)
{
	char path[1100];

	if (!strchr(tool, '/') && ev_paths_search(tool, path, sizeof path) < 0)
		return -1;
	*h = hash_str(*h, tool);
	return ev_hash_tool(h, strchr(tool, '/') ? tool : path);
}

/* The guest C compiler gosub uses for arch (`gosub -print-cc`, once per
   arch and run: PATHS-1) into cc; 0, or -1. */
static int guest_cc(int arch, char *cc, size_t n)
{
	static char known[EV_NUM_ARCHES][1024];
	const char *argv[] = {ev_tool_gosub(), "-arch", ev_arch_name(arch),
			      "-print-cc", NULL};
	FILE *f;
	int st = -1;

	if (arch < 0 || arch >= EV_NUM_ARCHES)
		return -1;
	if (!known[arch][0] && (f = ev_scratch_file())) {
		st = launch_run_tool((char *const *)argv, NULL, fileno(f),
				     fileno(f));
		read_back(f, known[arch], sizeof known[arch]);
		fclose(f);
		if (st != 0 || strchr(known[arch], '\n'))
			known[arch][0] = 0;
	}
	snprintf(cc, n, "%s", known[arch]);
	return cc[0] ? 0 : -1;
}

/* The cache key of t's build (cache.h): everything gosub's output depends
   on -- the workload's name and bytes, the arch, the mutant, gosub's
   bytes, the runtime library it links, the guest C compiler (its name and
   its driver's bytes). Not the output path nor the directory: the ELF
   does not depend on them (build() compiles by base name). 0, or -1 when
   one cannot be read: then there is no caching. */
static int build_key(const struct ev_target *t, uint64_t *key)
{
	const char *rt = ev_path_runtime();
	uint64_t h = hash_str(EV_FNV1A_BASIS, "gosub -arch -mutant -o 1");
	char lib[1200], cc[1024];

	if (!ev_cache_on()) /* --no-cache: not even gosub -print-cc */
		return -1;
	h = hash_str(h, ev_arch_name(t->arch));
	h = hash_str(h, t->mutant ? t->mutant : "");
	h = hash_str(h, t->name);
	if (!rt || (size_t)snprintf(lib, sizeof lib, "%s/%s/libeprt%s%s.a", rt,
				    ev_arch_name(t->arch), t->mutant ? "-" : "",
				    t->mutant ? t->mutant : "") >= sizeof lib)
		return -1;
	if (ev_hash_file(&h, t->workload) < 0 ||
	    hash_tool(&h, ev_tool_gosub()) < 0 || ev_hash_tool(&h, lib) < 0 ||
	    guest_cc(t->arch, cc, sizeof cc) < 0 || hash_tool(&h, cc) < 0)
		return -1;
	*key = h ? h : 1; /* 0 means none */
	return 0;
}

/* The payload of a cache hit written to path (CACHE-3), executable as
   gosub writes it; 0, or -1 on a miss. */
static int elf_from_cache(uint64_t key, const char *path)
{
	char *data;
	size_t len;
	int rc;

	if (!ev_cache_get("elf", key, &data, &len))
		return -1;
	rc = ev_write_atomic(path, data, len, 0755);
	free(data);
	return rc;
}

static int build(struct ev_target *t, const char *builddir, char *err,
		 size_t errlen)
{
	char dir[1024], out[1200], msg[1024];
	const char *argv[10];
	int n = 0, st;
	size_t len = strlen(t->name);
	char wdir[1024], outabs[1400];
	const char *slash = strrchr(t->workload, '/');
	uint64_t key = 0;
	char *elf;
	size_t elflen;
	FILE *log;

	snprintf(wdir, sizeof wdir, "%.*s",
		 slash ? (int)(slash - t->workload) : 1,
		 slash ? t->workload : ".");
	if (slash == t->workload)
		snprintf(wdir, sizeof wdir, "/");
	snprintf(dir, sizeof dir, "%s/%s", builddir, ev_arch_name(t->arch));
	if (mkdirs(dir) < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(out, sizeof out, "%s/%.*s%s%s.elf", dir, (int)(len - 3),
		 t->name, t->mutant ? "." : "", t->mutant ? t->mutant : "");
	if (out[0] != '/' && getcwd(outabs, sizeof outabs)) { /* child chdirs */
		size_t k = strlen(outabs);
		snprintf(outabs + k, sizeof outabs - k, "/%s", out);
		snprintf(out, sizeof out, "%s", outabs);
	}
	if (build_key(t, &key) == 0 && elf_from_cache(key, out) == 0) {
		t->elf = xstrdup(out);
		return 0;
	}
	argv[n++] = ev_tool_gosub();
	argv[n++] = "-arch";
	argv[n++] = ev_arch_name(t->arch);
	if (t->mutant) {
		argv[n++] = "-mutant";
		argv[n++] = t->mutant;
	}
	argv[n++] = "-o";
	argv[n++] = out;
	argv[n++] = t->name;
	argv[n] = NULL;
	if (!(log = ev_scratch_file())) {
		snprintf(err, errlen, "scratch file in %s: %s",
			 ev_path_tmpdir(), strerror(errno));
		return -1;
	}
	/* Compile from the workload's directory by its base name, so the
	   binary (and its build-id) does not depend on where the checkout
	   is: a recorded scenario replays on any machine. */
	st = launch_run_tool((char *const *)argv, wdir, -1, fileno(log));
	if (st != 0) {
		read_back(log, msg, sizeof msg);
		fclose(log);
		snprintf(err, errlen, "building %s for %s%s%s failed: %s",
			 t->workload, ev_arch_name(t->arch),
			 t->mutant ? " with mutant " : "",
			 t->mutant ? t->mutant : "", msg);
		return -1;
	}
	fclose(log);
	t->elf = xstrdup(out);
	if (key && ev_read_file(out, &elf, &elflen) == 0) {
		ev_cache_put("elf", key, elf, elflen);
		free(elf);
	}
	return 0;
}

/* objdump's text with its symbol offsets in the rig's notation, decimal
   as in the journal, the digest and the scenario names (TGT-1):
   "<main.push+0xb8>" becomes "<main.push+184>", never longer. */
static void insn_notation(const char *in, char *out, size_t n)
{
	size_t len = 0;
	const char *p = in;

	while (*p && len + 1 < n) {
		const char *lt = strchr(p, '<'), *gt, *plus;
		char *end;
		unsigned long long off;

		gt = lt ? strchr(lt, '>') : NULL;
		plus = gt ? strstr(lt, "+0x") : NULL;
		if (!plus || plus > gt) {
			snprintf(out + len, n - len, "%s", p);
			return;
		}
		off = strtoull(plus + 3, &end, 16);
		len += (size_t)snprintf(out + len, n - len, "%.*s+%llu",
					(int)(plus - p), p, off);
		p = end;
	}
	out[len < n ? len : n - 1] = 0;
}

static int add_insn(struct ev_target *t, size_t *cap, uint64_t pc,
		    const char *text)
{
	if (t->ninsns == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		struct ev_insn *ni = realloc(t->insns, nc * sizeof *ni);
		if (!ni)
			return -1;
		t->insns = ni;
		*cap = nc;
	}
	t->insns[t->ninsns].pc = pc;
	t->insns[t->ninsns].text = malloc(strlen(text) + 1);
	if (!t->insns[t->ninsns].text)
		return -1;
	insn_notation(text, t->insns[t->ninsns].text, strlen(text) + 1);
	t->ninsns++;
	return 0;
}

/* Parse one objdump line "  401000:\tmov ..." (TGT-1). */
static int parse_objdump_line(char *line, uint64_t *pc, char **text)
{
	char *p = line, *end;
	while (*p == ' ')
		p++;
	*pc = strtoull(p, &end, 16);
	if (end == p || *end != ':' || end[1] != '\t')
		return -1;
	*text = end + 2;
	end = *text + strlen(*text);
	while (end > *text && (end[-1] == '\n' || end[-1] == ' '))
		*--end = 0;
	for (p = *text; *p; p++)
		if (*p == '\t')
			*p = ' ';
	return 0;
}

/* The cache key of the disassembly of t->elf: the ELF's bytes, objdump
   (its name and bytes) and its options. 0, or -1 (no caching). */
static int disassembly_key(const struct ev_target *t, const char *objdump,
			   uint64_t *key)
{
	uint64_t h = hash_str(EV_FNV1A_BASIS, "-d --no-show-raw-insn 2");

	if (!ev_cache_on() || hash_tool(&h, objdump) < 0 ||
	    ev_hash_file(&h, t->elf) < 0)
		return -1;
	*key = h;
	return 0;
}

/* objdump -d of t->elf into a malloc'd *text (*len bytes). 0, or -1 with
   err. */
static int objdump_text(struct ev_target *t, const char *objdump, char **text,
			size_t *len, char *err, size_t errlen)
{
	char msg[512];
	const char *argv[] = {objdump, "-d", "--no-show-raw-insn", t->elf,
			      NULL};
	FILE *f = ev_scratch_file(), *log = ev_scratch_file();
	int st, rc = -1;

	if (!f || !log) {
		snprintf(err, errlen, "objdump: scratch file in %s: %s",
			 ev_path_tmpdir(), strerror(errno));
	} else if ((st = launch_run_tool((char *const *)argv, NULL, fileno(f),
					 fileno(log))) != 0) {
		read_back(log, msg, sizeof msg);
		snprintf(err, errlen, "%s -d %s failed (status %d): %s",
			 argv[0], t->elf, st, msg);
	} else if (ev_read_fd(fileno(f), text, len) < 0) {
		snprintf(err, errlen, "objdump: reading its output: %s",
			 strerror(errno));
	} else {
		rc = 0;
	}
	if (f)
		fclose(f);
	if (log)
		fclose(log);
	return rc;
}

/* TGT-1 from text[0..len), objdump's lines; those kept (each as objdump
   wrote it) go to kept when not NULL. 0, or -1 with err. */
static int parse_disassembly(struct ev_target *t, char *text, size_t len,
			     FILE *kept, char *err, size_t errlen)
{
	char line[512], raw[512];
	size_t cap = 0;
	FILE *f = fmemopen(text, len ? len : 1, "r");

	if (!f) {
		snprintf(err, errlen, "objdump: %s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		uint64_t pc;
		char *insn;
		memcpy(raw, line, sizeof raw);
		if (parse_objdump_line(line, &pc, &insn) < 0 ||
		    !elfmeta_func_at(t->m, pc))
			continue;
		if (t->ninsns && pc <= t->insns[t->ninsns - 1].pc)
			continue; /* objdump repeats nothing, but be safe */
		if (add_insn(t, &cap, pc, insn) < 0) {
			snprintf(err, errlen, "out of memory");
			fclose(f);
			return -1;
		}
		if (kept)
			fputs(raw, kept);
	}
	fclose(f);
	if (t->ninsns > 0)
		return 0;
	snprintf(err, errlen, "%s: objdump found no managed instructions",
		 t->elf);
	return -1;
}

/* The instructions of the managed functions (TGT-1), from the cache when
   it holds them (CACHE-2): it keeps objdump's lines of those functions
   only, which parse to the same list. */
static int disassemble(struct ev_target *t, char *err, size_t errlen)
{
	const char *objdump = ev_tool_objdump(t->arch);
	char *text, *kbuf = NULL;
	size_t len, klen = 0;
	uint64_t key = 0;
	int keyed = disassembly_key(t, objdump, &key) == 0, hit, rc;
	FILE *kept = NULL;

	hit = keyed && ev_cache_get("objdump", key, &text, &len);
	if (!hit && objdump_text(t, objdump, &text, &len, err, errlen) < 0)
		return -1;
	if (keyed && !hit)
		kept = open_memstream(&kbuf, &klen);
	rc = parse_disassembly(t, text, len, kept, err, errlen);
	if (kept && fclose(kept) == 0 && rc == 0)
		ev_cache_put("objdump", key, kbuf, klen);
	free(kbuf);
	free(text);
	return rc;
}

static int symbols(struct ev_target *t, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		size_t off;
	} req[] = {
	    {EVERYPC_SYM_RIG, offsetof(struct ev_target, sym_rig)},
	    {EVERYPC_SYM_LAYOUT, offsetof(struct ev_target, sym_layout)},
	    {EVERYPC_SYM_HOOK_ITER_START,
	     offsetof(struct ev_target, hook_start)},
	    {EVERYPC_SYM_HOOK_ITER_END, offsetof(struct ev_target, hook_end)},
	    {EVERYPC_SYM_HOOK_PARKED, offsetof(struct ev_target, hook_parked)},
	    {EVERYPC_SYM_HOOK_THROW, offsetof(struct ev_target, hook_throw)},
	    {EVERYPC_SYM_HOOK_STACK_COPIED,
	     offsetof(struct ev_target, hook_stack_copied)},
	    {EVERYPC_SYM_HOOK_MARK_SLICE,
	     offsetof(struct ev_target, hook_mark_slice)},
	    {EVERYPC_SYM_ASYNC_PREEMPT,
	     offsetof(struct ev_target, async_preempt)},
	};
	const struct elfmeta_symbol *s;
	size_t i;

	for (i = 0; i < sizeof req / sizeof req[0]; i++) {
		s = elfmeta_symbol(t->m, req[i].name);
		if (!s || !s->value) {
			snprintf(err, errlen,
				 "%s: symbol %s missing (rig_abi.h)", t->elf,
				 req[i].name);
			return -1;
		}
		*(uint64_t *)((char *)t + req[i].off) = s->value;
	}
	s = elfmeta_symbol(t->m, EVERYPC_SYM_HOOK_GC_DONE);
	t->hook_gc_done = s ? s->value : 0;
	return 0;
}

int ev_target_open(struct ev_target *t, int arch, const char *workload,
		   const char *mutant, const char *builddir, char *err,
		   size_t errlen)
{
	const char *slash = strrchr(workload, '/');
	char lerr[256];
	size_t i;

	memset(t, 0, sizeof *t);
	if (access(workload, R_OK) < 0) {
		snprintf(err, errlen, "workload %s: %s", workload,
			 strerror(errno));
		return -1;
	}
	if (mutant && !ev_mutant_name_ok(mutant)) {
		snprintf(err, errlen, "mutant '%s': %s", mutant,
			 EV_MUTANT_NAME_RULE);
		return -1;
	}
	t->arch = arch;
	t->rr = rig_regs_find(ev_arch_name(arch));
	t->qemu = ev_tool_qemu(arch);
	t->workload = xstrdup(workload);
	t->name = xstrdup(slash ? slash + 1 : workload);
	t->mutant = mutant ? xstrdup(mutant) : NULL;
	if (ends_with(workload, ".go")) {
		if (build(t, builddir, err, errlen) < 0)
			goto fail;
	} else {
		t->elf = xstrdup(workload);
	}
	if (elfmeta_open(t->elf, &t->m, err, errlen) < 0 ||
	    elfmeta_check(t->m, err, errlen) < 0)
		goto fail;
	if (t->m->arch != t->rr->ep_arch) {
		snprintf(err, errlen, "%s is built for %s, not %s", t->elf,
			 elfmeta_arch_name(t->m->arch), ev_arch_name(arch));
		goto fail;
	}
	for (i = 0; i < t->m->build_id_len && i < 64; i++)
		sprintf(t->build_id + 2 * i, "%02x", t->m->build_id[i]);
	if (symbols(t, err, errlen) < 0 || disassemble(t, err, errlen) < 0)
		goto fail;
	t->lines = ev_lines_open(t->elf, lerr, sizeof lerr); /* optional */
	return 0;
fail:
	ev_target_close(t);
	return -1;
}

void ev_target_close(struct ev_target *t)
{
	size_t i;
	for (i = 0; i < t->ninsns; i++)
		free(t->insns[i].text);
	free(t->insns);
	if (t->m)
		elfmeta_close(t->m);
	ev_lines_close(t->lines);
	ev_reference_free(&t->ref);
	free(t->meta_bad);
	free(t->workload);
	free(t->name);
	free(t->mutant);
	free(t->elf);
	memset(t, 0, sizeof *t);
}

const struct elfmeta_func *ev_target_func(const struct ev_target *t,
					  const char *name)
{
	size_t i;
	for (i = 0; i < t->m->nfuncs; i++)
		if (strcmp(t->m->funcs[i].name, name) == 0)
			return &t->m->funcs[i];
	return NULL;
}

void ev_target_func_insns(const struct ev_target *t,
			  const struct elfmeta_func *f, size_t *first,
			  size_t *n)
{
	size_t lo = 0, hi = t->ninsns;
	while (lo < hi) { /* first insn with pc >= entry */
		size_t mid = (lo + hi) / 2;
		if (t->insns[mid].pc < f->entry)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	for (hi = lo; hi < t->ninsns && t->insns[hi].pc < f->end; hi++)
		;
	*n = hi - lo;
}

int ev_target_line(const struct ev_target *t, uint64_t pc)
{
	const char *file;
	int line;
	if (ev_lines_lookup(t->lines, pc, &file, &line) < 0)
		return 0;
	return line;
}
