/* qemuguest.c -- see qemuguest.h. */
#include "qemuguest.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint64_t qg_sym(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY);
	elf_version(EV_CURRENT);
	Elf *e = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	Elf_Scn *scn = NULL;
	uint64_t v = 0;
	while (e && !v && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		gelf_getshdr(scn, &sh);
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		for (size_t i = 0; d && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			gelf_getsym(d, (int)i, &s);
			if (!strcmp(elf_strptr(e, sh.sh_link, s.st_name), name))
				v = s.st_value;
		}
	}
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);
	return v;
}

int qg_start(struct qguest *g, const char *qemu, const char *guest,
	     const char *const *args, struct rsp_error *err)
{
	struct launch_opts o;
	struct rsp_client_opts co = {0};
	launch_opts_init(&o);
	o.qemu = qemu;
	o.prog = guest;
	o.prog_args = args;
	o.stderr_fd = 2;
	launch_cleanup_install();
	if (launch_start(&g->ln, &o, err) < 0)
		return -1;
	if (getenv("EVERYPC_TRACE_RSP")) {
		co.trace = rsp_trace_file;
		co.trace_ctx = stderr;
	}
	g->cl = rsp_client_new(launch_take_fd(&g->ln), &co, err);
	if (!g->cl)
		return -1;
	if (rsp_client_handshake(g->cl, err) < 0 ||
	    tdesc_parse(&g->td, "target.xml", tdesc_fetch_rsp, g->cl, err) < 0)
		return -1;
	return rig_regs_check(g->rr, &g->td, err);
}

void qg_stop(struct qguest *g)
{
	if (g->cl)
		rsp_client_close(g->cl);
	g->cl = NULL;
	launch_stop(&g->ln, NULL);
	tdesc_free(&g->td);
}

void qg_die(struct qguest *g, const char *prog, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: %s: ", prog, g->rr ? g->rr->arch : "?");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	launch_stop(&g->ln, NULL);
	exit(1);
}
