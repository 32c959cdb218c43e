/*
 * lines.c -- DWARF line lookups with libdw (lines.h).
 */
#include "lines.h"

#include <elfutils/libdw.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ev_lines {
	int fd;
	Dwarf *dw;
};

struct ev_lines *ev_lines_open(const char *elf, char *err, unsigned errlen)
{
	struct ev_lines *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->fd = open(elf, O_RDONLY);
	if (l->fd < 0) {
		snprintf(err, errlen, "%s: cannot open", elf);
		free(l);
		return NULL;
	}
	l->dw = dwarf_begin(l->fd, DWARF_C_READ);
	if (!l->dw) {
		snprintf(err, errlen, "%s: no DWARF line information (%s)", elf,
			 dwarf_errmsg(-1));
		close(l->fd);
		free(l);
		return NULL;
	}
	return l;
}

void ev_lines_close(struct ev_lines *l)
{
	if (!l)
		return;
	dwarf_end(l->dw);
	close(l->fd);
	free(l);
}

int ev_lines_lookup(struct ev_lines *l, uint64_t pc, const char **file,
		    int *line)
{
	Dwarf_Die cu;
	Dwarf_Line *ln;
	const char *src, *slash;

	if (!l || !dwarf_addrdie(l->dw, pc, &cu))
		return -1;
	ln = dwarf_getsrc_die(&cu, pc);
	if (!ln || dwarf_lineno(ln, line) != 0)
		return -1;
	src = dwarf_linesrc(ln, NULL, NULL);
	if (!src)
		return -1;
	slash = strrchr(src, '/');
	*file = slash ? slash + 1 : src;
	return 0;
}
