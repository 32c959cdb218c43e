/*
 * cache.c -- the rig's content-addressed cache (cache.h: CACHE-1..4).
 */
#define _XOPEN_SOURCE 700 /* mkstemp, fchmod */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FNV_PRIME 0x100000001b3ull
#define MAGIC "everypc-cache 1"

static int disabled;

uint64_t ev_fnv1a_more(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;
	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * FNV_PRIME;
	return h;
}

uint64_t ev_fnv1a(const void *p, size_t n)
{
	return ev_fnv1a_more(EV_FNV1A_BASIS, p, n);
}

int ev_read_fd(int fd, char **data, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *b = malloc(cap), *nb;
	ssize_t got;

	if (!b || lseek(fd, 0, SEEK_SET) < 0) {
		free(b);
		return -1;
	}
	for (;;) {
		if (n + 1 == cap) {
			if (!(nb = realloc(b, cap *= 2))) {
				free(b);
				return -1;
			}
			b = nb;
		}
		got = read(fd, b + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	if (got < 0) {
		free(b);
		return -1;
	}
	b[n] = 0;
	*data = b;
	*len = n;
	return 0;
}

int ev_read_file(const char *path, char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc, e;

	if (fd < 0)
		return -1;
	rc = ev_read_fd(fd, data, len);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* What ev_hash_tool has hashed in this process: a tool (gosub, the
   runtime library, the guest C compiler, objdump) is hashed for every
   target of a sweep, the same bytes each time. A file is taken as
   unchanged while its device, inode, size and modification and
   status-change times are. */
#define HASHED_MAX 16
static struct hashed {
	char *path;
	struct stat st;
	uint64_t digest;
} hashed[HASHED_MAX];
static unsigned hashed_next;

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* A file changed in the last seconds may change again within the file
   system's timestamp granularity without its times showing it (git's
   "racy" entries): not remembered. */
static int racy(const struct stat *st)
{
	struct timespec now;
	if (clock_gettime(CLOCK_REALTIME, &now) < 0)
		return 1;
	return now.tv_sec - st->st_mtim.tv_sec < 3 ||
	       now.tv_sec - st->st_ctim.tv_sec < 3;
}

static void remember(const char *path, const struct stat *st, uint64_t d)
{
	struct hashed *e = &hashed[hashed_next++ % HASHED_MAX];
	char *p = strdup(path);

	if (!p)
		return;
	free(e->path);
	e->path = p;
	e->st = *st;
	e->digest = d;
}

/* The digest of the file open as fd at path (its size, then its bytes),
   from memory when it was hashed unchanged before; 0, or -1 (errno). */
static int file_digest(int fd, const char *path, uint64_t *d)
{
	struct stat before, after;
	char *data;
	size_t len;
	uint64_t size;
	int i;

	if (fstat(fd, &before) < 0)
		return -1;
	for (i = 0; i < HASHED_MAX; i++)
		if (hashed[i].path && !strcmp(hashed[i].path, path) &&
		    same_file(&hashed[i].st, &before)) {
			*d = hashed[i].digest;
			return 0;
		}
	if (ev_read_fd(fd, &data, &len) < 0)
		return -1;
	size = len;
	*d = ev_fnv1a_more(ev_fnv1a(&size, sizeof size), data, len);
	free(data);
	if (fstat(fd, &after) == 0 && same_file(&before, &after) &&
	    (uint64_t)after.st_size == size && !racy(&after))
		remember(path, &after, *d);
	return 0;
}

int ev_hash_file(uint64_t *h, const char *path)
{
	char *data;
	size_t len;
	uint64_t size;

	if (ev_read_file(path, &data, &len) < 0)
		return -1;
	size = len;
	*h = ev_fnv1a_more(ev_fnv1a_more(*h, &size, sizeof size), data, len);
	free(data);
	return 0;
}

int ev_hash_tool(uint64_t *h, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc, e;
	uint64_t d;

	if (fd < 0)
		return -1;
	rc = file_digest(fd, path, &d);
	e = errno;
	close(fd);
	errno = e;
	if (rc == 0)
		*h = ev_fnv1a_more(*h, &d, sizeof d);
	return rc;
}

void ev_cache_disable(void) { disabled = 1; }

int ev_cache_on(void) { return !disabled; }

/* mkdir -p of path (each component 0755); errors show at the first use. */
static void make_dirs(char *path)
{
	char *p;
	for (p = path + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(path, 0755);
}

int ev_cache_dir(char *buf, size_t n)
{
	const char *e = getenv("EVERYPC_CACHE_DIR"), *x, *h;

	if (!ev_cache_on())
		return 0;
	if (e && *e)
		snprintf(buf, n, "%s", e);
	else if ((x = getenv("XDG_CACHE_HOME")) && *x)
		snprintf(buf, n, "%s/everypc", x);
	else if ((h = getenv("HOME")) && *h)
		snprintf(buf, n, "%s/.cache/everypc", h);
	else
		return 0;
	make_dirs(buf);
	return access(buf, W_OK) == 0;
}

/* The path of entry kind/key (and its kind's directory, made) into buf. */
static int entry_path(const char *kind, uint64_t key, char *buf, size_t n)
{
	char dir[1024];
	size_t k;

	if (!ev_cache_dir(dir, sizeof dir))
		return -1;
	k = strlen(dir);
	snprintf(dir + k, sizeof dir - k, "/%s", kind);
	mkdir(dir, 0755);
	return (size_t)snprintf(buf, n, "%s/%016llx", dir,
				(unsigned long long)key) < n
		   ? 0
		   : -1;
}

/* CACHE-2: the payload of entry text[0..len) when whole, else NULL. */
static const char *payload_of(const char *kind, uint64_t key, const char *text,
			      size_t len, size_t *plen)
{
	char want[128];
	const char *nl = memchr(text, '\n', len);
	char *end;
	unsigned long long size, hash;
	int k = snprintf(want, sizeof want, "%s %s %016llx ", MAGIC, kind,
			 (unsigned long long)key);

	if (!nl || k <= 0 || (size_t)k >= sizeof want ||
	    strncmp(text, want, (size_t)k) != 0)
		return NULL;
	size = strtoull(text + k, &end, 10);
	if (*end != ' ')
		return NULL;
	hash = strtoull(end + 1, &end, 16);
	if (end != nl || size != len - (size_t)(nl + 1 - text) ||
	    hash != ev_fnv1a(nl + 1, (size_t)size))
		return NULL;
	*plen = (size_t)size;
	return nl + 1;
}

int ev_cache_get(const char *kind, uint64_t key, char **data, size_t *len)
{
	char path[1200], *text;
	const char *p;
	size_t n, plen;

	if (entry_path(kind, key, path, sizeof path) < 0 ||
	    ev_read_file(path, &text, &n) < 0)
		return 0;
	if (!(p = payload_of(kind, key, text, n, &plen))) {
		free(text);
		return 0; /* not whole: the caller rebuilds it (CACHE-2) */
	}
	memmove(text, p, plen);
	text[plen] = 0;
	*data = text;
	*len = plen;
	utimensat(AT_FDCWD, path, NULL, 0); /* CACHE-4: recently used */
	return 1;
}

struct aged {
	char name[17];
	struct timespec t;
};

static int older(const void *a, const void *b)
{
	const struct timespec *x = &((const struct aged *)a)->t,
			      *y = &((const struct aged *)b)->t;
	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return x->tv_nsec < y->tv_nsec ? -1 : x->tv_nsec > y->tv_nsec;
}

/* CACHE-4: the least recently used entries of dir beyond the limit go. */
static void trim(const char *dir)
{
	struct aged *v = NULL, *nv;
	char path[1300];
	size_t n = 0, cap = 0, i;
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		if (strlen(e->d_name) != 16)
			continue; /* ., .., temporary files */
		snprintf(path, sizeof path, "%s/%.16s", dir, e->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (n == cap) {
			if (!(nv = realloc(v, (cap = cap ? 2 * cap : 64) *
						  sizeof *v)))
				break;
			v = nv;
		}
		memcpy(v[n].name, e->d_name, 17);
		v[n++].t = st.st_mtim;
	}
	if (d)
		closedir(d);
	if (n > EV_CACHE_MAX_ENTRIES) {
		qsort(v, n, sizeof *v, older);
		for (i = 0; i < n - EV_CACHE_MAX_ENTRIES; i++) {
			snprintf(path, sizeof path, "%s/%.16s", dir, v[i].name);
			unlink(path);
		}
	}
	free(v);
}

int ev_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[1300];
	const char *b = data;
	size_t done = 0;
	ssize_t w = 1;
	int fd, ok, e = 0;

	snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0)
		return -1;
	while (done < len && w != 0) {
		w = write(fd, b + done, len - done);
		if (w < 0 && errno != EINTR)
			break;
		done += w > 0 ? (size_t)w : 0;
	}
	ok = done == len && fchmod(fd, mode) == 0;
	if (!ok)
		e = done < len && w == 0 ? ENOSPC : errno;
	if (close(fd) < 0 && ok)
		ok = 0, e = errno;
	if (ok && rename(tmp, path) < 0)
		ok = 0, e = errno;
	if (!ok) {
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

void ev_cache_put(const char *kind, uint64_t key, const void *data, size_t len)
{
	char path[1200], head[160], *text;
	int hn;

	if (entry_path(kind, key, path, sizeof path) < 0)
		return;
	hn = snprintf(head, sizeof head, "%s %s %016llx %llu %016llx\n", MAGIC,
		      kind, (unsigned long long)key, (unsigned long long)len,
		      (unsigned long long)ev_fnv1a(data, len));
	if (!(text = malloc((size_t)hn + len)))
		return;
	memcpy(text, head, (size_t)hn);
	memcpy(text + hn, data, len);
	if (ev_write_atomic(path, text, (size_t)hn + len, 0644) == 0)
		*strrchr(path, '/') = 0, trim(path);
	free(text);
}
