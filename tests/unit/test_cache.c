/* test_cache.c -- the rig's cache (rig/cache.h, CACHE-1..4): a tool's
   hash remembered only while the file is the same, the
   directory's search order, a stored entry read back, every way an entry
   can be damaged seen as a miss and then replaced, the atomic writer, the
   limit on entries, --no-cache. */
#define _XOPEN_SOURCE 700 /* mkdtemp */
/* cmocka needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "tmpdir.h"

static char cache[600];

static int setup(void **state)
{
	(void)state;
	if (tmpdir_make("cache") < 0)
		return -1;
	snprintf(cache, sizeof cache, "%s/c/d", dir); /* made by the cache */
	setenv("EVERYPC_CACHE_DIR", cache, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unsetenv("EVERYPC_CACHE_DIR");
	return tmpdir_remove();
}

static const char *entry(const char *kind, uint64_t key)
{
	static char path[800];
	snprintf(path, sizeof path, "%s/%s/%016llx", cache, kind,
		 (unsigned long long)key);
	return path;
}

static void put_text(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int hit(const char *kind, uint64_t key, const char *want)
{
	char *data;
	size_t len;
	int rc = ev_cache_get(kind, key, &data, &len);
	if (rc) {
		assert_int_equal(len, strlen(want));
		assert_memory_equal(data, want, len);
		assert_int_equal(data[len], 0);
		free(data);
	}
	return rc;
}

static void test_fnv1a(void **state)
{
	(void)state;
	/* the FNV-1a 64 test vectors: "" and "a" */
	assert_true(ev_fnv1a("", 0) == 0xcbf29ce484222325ull);
	assert_true(ev_fnv1a("a", 1) == 0xaf63dc4c8601ec8cull);
	assert_true(ev_fnv1a_more(ev_fnv1a("ab", 2), "c", 1) ==
		    ev_fnv1a("abc", 3));
}

/* What ev_hash_tool should give for a file holding text: h continued
   with the FNV-1a of the size, then the bytes. */
static uint64_t tool_hash(uint64_t h, const char *text)
{
	uint64_t size = strlen(text);
	uint64_t d =
	    ev_fnv1a_more(ev_fnv1a(&size, sizeof size), text, strlen(text));
	return ev_fnv1a_more(h, &d, sizeof d);
}

static void test_hash_tool(void **state)
{
	char path[700], tmp[700];
	uint64_t h = 7;
	(void)state;
	snprintf(path, sizeof path, "%s/tool", dir);
	snprintf(tmp, sizeof tmp, "%s/tool.new", dir);
	put_text(path, "abc", 3);
	assert_int_equal(ev_hash_tool(&h, path), 0);
	assert_true(h == tool_hash(7, "abc"));
	h = 7; /* again: the same (a file this new is not remembered: racy) */
	assert_int_equal(ev_hash_tool(&h, path), 0);
	assert_true(h == tool_hash(7, "abc"));
	/* replaced by a rename, the same size: another inode */
	put_text(tmp, "abd", 3);
	assert_int_equal(rename(tmp, path), 0);
	h = 7;
	assert_int_equal(ev_hash_tool(&h, path), 0);
	assert_true(h == tool_hash(7, "abd"));
	/* rewritten in place, another size */
	put_text(path, "abcd", 4);
	h = 7;
	assert_int_equal(ev_hash_tool(&h, path), 0);
	assert_true(h == tool_hash(7, "abcd"));
	/* gone: -1, h unchanged */
	assert_int_equal(unlink(path), 0);
	h = 7;
	assert_int_equal(ev_hash_tool(&h, path), -1);
	assert_true(h == 7);
}

static void test_dir_order(void **state)
{
	char buf[800], want[800];
	(void)state;
	assert_int_equal(ev_cache_dir(buf, sizeof buf), 1);
	assert_string_equal(buf, cache);
	unsetenv("EVERYPC_CACHE_DIR");
	setenv("XDG_CACHE_HOME", dir, 1);
	snprintf(want, sizeof want, "%s/everypc", dir);
	assert_int_equal(ev_cache_dir(buf, sizeof buf), 1);
	assert_string_equal(buf, want);
	unsetenv("XDG_CACHE_HOME");
}

static void test_roundtrip(void **state)
{
	(void)state;
	assert_int_equal(hit("elf", 42, "x"), 0);
	ev_cache_put("elf", 42, "hello\nworld", 11);
	assert_int_equal(hit("elf", 42, "hello\nworld"), 1);
	assert_int_equal(hit("elf", 43, "hello\nworld"), 0);
	assert_int_equal(hit("objdump", 42, "hello\nworld"), 0);
	ev_cache_put("elf", 43, "", 0); /* an empty payload is an entry */
	assert_int_equal(hit("elf", 43, ""), 1);
}

/* Each damaged form of a good entry is a miss, and a put replaces it. */
static void test_damaged(void **state)
{
	char *good, bad[256], path[800], other[800];
	size_t len, n;
	(void)state;
	snprintf(path, sizeof path, "%s", entry("elf", 7));
	snprintf(other, sizeof other, "%s", entry("elf", 8));
	ev_cache_put("elf", 7, "payload bytes", 13);
	assert_int_equal(ev_read_file(path, &good, &len), 0);
	for (n = 0; n < len; n++) { /* truncated anywhere */
		put_text(path, good, n);
		assert_int_equal(hit("elf", 7, "payload bytes"), 0);
	}
	memcpy(bad, good, len); /* one byte of the payload changed */
	bad[len - 1] ^= 1;
	put_text(path, bad, len);
	assert_int_equal(hit("elf", 7, "payload bytes"), 0);
	memcpy(bad, good, len); /* one more byte */
	bad[len] = 'x';
	put_text(path, bad, len + 1);
	assert_int_equal(hit("elf", 7, "payload bytes"), 0);
	put_text(path, good, len); /* another key's entry under this name */
	assert_int_equal(rename(path, other), 0);
	assert_int_equal(hit("elf", 8, "payload bytes"), 0);
	memcpy(bad, good, len); /* another format version */
	bad[14] = '2';
	put_text(path, bad, len);
	assert_int_equal(hit("elf", 7, "payload bytes"), 0);
	ev_cache_put("elf", 7, "payload bytes", 13);
	assert_int_equal(hit("elf", 7, "payload bytes"), 1);
	free(good);
}

static void test_write_atomic(void **state)
{
	char path[800], *data;
	size_t len;
	struct stat st;
	DIR *d;
	struct dirent *e;
	int files = 0;
	(void)state;
	snprintf(path, sizeof path, "%s/f", dir);
	put_text(path, "old", 3);
	assert_int_equal(ev_write_atomic(path, "new text", 8, 0755), 0);
	assert_int_equal(ev_read_file(path, &data, &len), 0);
	assert_int_equal(len, 8);
	assert_memory_equal(data, "new text", 8);
	free(data);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0755);
	snprintf(path, sizeof path, "%s/missing/f", dir); /* cannot: errno */
	assert_int_equal(ev_write_atomic(path, "x", 1, 0644), -1);
	assert_non_null(d = opendir(dir)); /* no temporary file left */
	while ((e = readdir(d)))
		files += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(files, 1);
}

/* CACHE-4: beyond the limit the least recently used go; a hit renews. */
static void test_limit(void **state)
{
	struct timespec t[2] = {{0, 0}, {0, 0}};
	uint64_t k;
	(void)state;
	for (k = 1; k <= EV_CACHE_MAX_ENTRIES; k++) {
		ev_cache_put("objdump", k, "v", 1);
		t[0].tv_sec = t[1].tv_sec = (time_t)(1000000 + k); /* k older */
		assert_int_equal(utimensat(AT_FDCWD, entry("objdump", k), t, 0),
				 0);
	}
	assert_int_equal(hit("objdump", 1, "v"), 1); /* 1 is now the newest */
	ev_cache_put("objdump", 100000, "v", 1);
	assert_int_equal(access(entry("objdump", 1), F_OK), 0);
	assert_int_equal(access(entry("objdump", 2), F_OK), -1); /* oldest */
	assert_int_equal(access(entry("objdump", 3), F_OK), 0);
	assert_int_equal(access(entry("objdump", 100000), F_OK), 0);
}

/* Last: ev_cache_disable lasts for the process. */
static void test_disabled(void **state)
{
	char buf[800];
	(void)state;
	ev_cache_put("elf", 5, "five", 4);
	assert_int_equal(ev_cache_on(), 1);
	ev_cache_disable();
	assert_int_equal(ev_cache_on(), 0);
	assert_int_equal(ev_cache_dir(buf, sizeof buf), 0);
	assert_int_equal(hit("elf", 5, "five"), 0);
	ev_cache_put("elf", 6, "six", 3);
	assert_int_equal(access(entry("elf", 6), F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_fnv1a, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hash_tool, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dir_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_atomic, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_disabled, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
