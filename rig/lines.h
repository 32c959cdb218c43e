/*
 * lines.h -- PC -> source file:line through the guest's DWARF line table
 * (libdw), for journals, reports and backtraces.
 */
#ifndef EVERYPC_LINES_H
#define EVERYPC_LINES_H

#include <stdint.h>

struct ev_lines;

/* NULL when the file cannot be opened or has no DWARF (err set). */
struct ev_lines *ev_lines_open(const char *elf, char *err, unsigned errlen);
void ev_lines_close(struct ev_lines *l);
/* 0 and *file (basename, owned by l) / *line, or -1 when unknown. */
int ev_lines_lookup(struct ev_lines *l, uint64_t pc, const char **file,
		    int *line);

#endif
