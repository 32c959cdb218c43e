/*
 * cache.h -- the rig's cache of what a small sweep would otherwise redo at
 * every run (issue 16 item 4): the workload built by gosub, objdump's
 * disassembly of it, go run's reference output (reference.h, REF-1). Each
 * entry is found by a content hash of everything that determines it, so
 * an entry is never stale, only unused.
 *
 * INVARIANTS (cited as "CACHE-n"):
 *
 * CACHE-1 The cache directory is $EVERYPC_CACHE_DIR, else
 *         $XDG_CACHE_HOME/everypc, else $HOME/.cache/everypc, made when
 *         missing; none (and nothing cached) when it cannot be written,
 *         or after ev_cache_disable (--no-cache).
 *
 * CACHE-2 An entry KIND/KEY (KEY: 16 hex digits) is one file: the line
 *         "everypc-cache 1 KIND KEY SIZE HASH", then SIZE bytes of
 *         payload whose FNV-1a hash is HASH. A read trusts it only when
 *         every field matches and the file holds exactly that many bytes;
 *         anything else -- truncated, corrupted, another format -- is a
 *         miss, and the caller rebuilds and replaces it.
 *
 * CACHE-3 Every file the cache writes, and every file rebuilt from it, is
 *         written whole to a temporary file in the same directory and
 *         renamed into place: a reader, in this process or another, sees
 *         the old file, the new one or none, never part of one.
 *
 * CACHE-4 A kind holds at most EV_CACHE_MAX_ENTRIES entries: a write
 *         beyond that removes the least recently used (a hit renews an
 *         entry's modification time).
 */
#ifndef EVERYPC_CACHE_H
#define EVERYPC_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define EV_FNV1A_BASIS 0xcbf29ce484222325ull
#define EV_CACHE_MAX_ENTRIES 512 /* the full mutation matrix's 330 ELFs */

/* FNV-1a 64 of p[0..n), and the same continued from h. */
uint64_t ev_fnv1a(const void *p, size_t n);
uint64_t ev_fnv1a_more(uint64_t h, const void *p, size_t n);

/* All of the file at path, or of the regular file open as fd (from its
   start), into a malloc'd *data (*len bytes, NUL-terminated beyond); 0, or
   -1 (errno). */
int ev_read_file(const char *path, char **data, size_t *len);
int ev_read_fd(int fd, char **data, size_t *len);

/* h continued with the size and the bytes of the file at path: 0, or -1
   when it cannot be read (h then undefined). */
int ev_hash_file(uint64_t *h, const char *path);

/* h continued with a digest of the file at path (the FNV-1a of its size
   and its bytes), remembered for the rest of the process while the file's
   device, inode, size, modification and status-change times stay the
   same, and the file was not changed in the seconds before (a rewrite of
   the same size within the file system's timestamp granularity would go
   unseen): for the tools a sweep hashes once per target, which it never
   writes. Not for a file the rig itself may rewrite in place (a workload,
   an ELF). 0, or -1 when it cannot be read (h then
   unchanged). */
int ev_hash_tool(uint64_t *h, const char *path);

/* CACHE-4 (--no-cache): from now on nothing is read from or written to
   the cache directory. */
void ev_cache_disable(void);
int ev_cache_on(void); /* 0 after ev_cache_disable */

/* CACHE-1: the cache directory into buf, made when missing; 1 when it can
   be used, else 0. */
int ev_cache_dir(char *buf, size_t n);

/* CACHE-2: entry kind/key's payload into a malloc'd *data (*len bytes,
   NUL-terminated beyond): 1 on a hit, 0 on a miss (none, disabled, or not
   whole). */
int ev_cache_get(const char *kind, uint64_t key, char **data, size_t *len);

/* CACHE-2..4: store data[0..len) as kind/key; best effort (a cache that
   cannot be written costs only the next run's time). */
void ev_cache_put(const char *kind, uint64_t key, const void *data, size_t len);

/* CACHE-3: data[0..len) as the file path, with mode; 0, or -1 (errno) with
   path untouched. */
int ev_write_atomic(const char *path, const void *data, size_t len,
		    mode_t mode);

#endif
