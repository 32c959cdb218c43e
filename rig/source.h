/*
 * source.h -- the text of source lines, for the digest and the report:
 * each file read once and kept until the set is freed.
 */
#ifndef EVERYPC_SOURCE_H
#define EVERYPC_SOURCE_H

struct ev_sources;

struct ev_sources *ev_sources_new(void);
void ev_sources_free(struct ev_sources *s);
/* Line `line` (1-based) of file path, without its leading and trailing
   white space; owned by s. NULL when the file cannot be read or has no
   such line (s NULL: always NULL). */
const char *ev_source_line(struct ev_sources *s, const char *path, int line);
/* The same line with its indentation (trailing white space still cut),
   as `list` shows it. */
const char *ev_source_text(struct ev_sources *s, const char *path, int line);
/* Whether path could be read (a file of no line included). */
int ev_source_readable(struct ev_sources *s, const char *path);

#endif
