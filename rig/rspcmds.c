/*
 * rspcmds.c -- the RSP client's data commands (rspclient.h): qXfer reads,
 * registers, memory and breakpoints, each split to the negotiated packet
 * size (RSPC-4) and sent through rsp_client_command (rspclient.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspclient.h"
#include "rspclient_int.h"

/* ==== qXfer
 * ========================================================================== */

static int xfer_append(char **buf, size_t *len, const char *p, size_t n,
		       struct rsp_error *err)
{
	if (*len + n > RSPC_XFER_MAX)
		return rsp_fail(err, RSP_E_PROTO,
				"qXfer object larger than %u bytes",
				RSPC_XFER_MAX);
	char *b = realloc(*buf, *len + n + 1);
	if (!b)
		return rsp_fail(err, RSP_E_IO, "out of memory");
	memcpy(b + *len, p, n);
	*len += n;
	b[*len] = 0;
	*buf = b;
	return 0;
}

static int xfer_chunk(struct rsp_client *c, const char *object,
		      const char *annex, size_t off, int *more, char **buf,
		      size_t *len, struct rsp_error *err)
{
	size_t want = c->packet_size - 5;
	int k = snprintf(c->cmd, sizeof c->cmd, "qXfer:%s:read:%s:%zx,%zx",
			 object, annex, off, want);
	if (k < 0 || (size_t)k >= sizeof c->cmd)
		return rsp_fail(err, RSP_E_ARG, "qXfer: annex too long");
	const char *r;
	size_t n;
	if (rsp_client_command(c, c->cmd, 0, &r, &n, err) < 0)
		return -1;
	if (r[0] != 'm' && r[0] != 'l')
		return rsp_fail(err, RSP_E_PROTO,
				"'%s': expected 'm' or 'l' reply, got '%.20s'",
				c->op, r);
	if (r[0] == 'm' && n == 1)
		return rsp_fail(err, RSP_E_PROTO,
				"'%s': empty 'm' chunk (no progress)", c->op);
	*more = r[0] == 'm';
	return xfer_append(buf, len, r + 1, n - 1, err);
}

int rsp_client_xfer_read(struct rsp_client *c, const char *object,
			 const char *annex, char **data, size_t *len,
			 struct rsp_error *err)
{
	char *buf = NULL;
	size_t n = 0;
	int more = 1;
	if (xfer_append(&buf, &n, "", 0, err) < 0)
		return -1;
	while (more)
		if (xfer_chunk(c, object, annex, n, &more, &buf, &n, err) < 0) {
			free(buf);
			return -1;
		}
	*data = buf;
	*len = n;
	return 0;
}

/* ==== the cache (RSPC-3)
 * ======================================================================== */

static void drop_mem(struct rsp_cache *k)
{
	int i;
	for (i = 0; i < RSP_CACHE_ENTRIES; i++)
		k->mem[i].len = 0;
}

void rsp_cache_drop(struct rsp_cache *k)
{
	drop_mem(k);
	k->regs_len = 0;
}

void rsp_cache_sent(struct rsp_cache *k, const char *payload, size_t n)
{
	switch (n ? payload[0] : 0) {
	case 'm': /* reads, and breakpoints: QEMU keeps them out of memory */
	case 'g':
	case 'p':
	case 'q':
	case 'Z':
	case 'z':
		return;
	case 'G':
	case 'P':
		k->regs_len = 0;
		return;
	case 'M':
		if (!k->writing)
			drop_mem(k);
		return;
	default:
		rsp_cache_drop(k);
	}
}

void rsp_client_no_cache(struct rsp_client *c)
{
	rsp_cache_drop(&c->cache);
	c->cache.off = 1;
}

static int cache_find(const struct rsp_cache *k, uint64_t addr, size_t n)
{
	int i;
	if (k->off)
		return -1;
	for (i = 0; i < RSP_CACHE_ENTRIES; i++)
		if (k->mem[i].len && addr >= k->mem[i].addr &&
		    addr - k->mem[i].addr <= k->mem[i].len &&
		    n <= k->mem[i].len - (addr - k->mem[i].addr))
			return i;
	return -1;
}

static void cache_put(struct rsp_cache *k, uint64_t addr, const uint8_t *p,
		      size_t n)
{
	if (k->off || !n || n > RSP_CACHE_BYTES || addr + n < addr)
		return;
	k->mem[k->next].addr = addr;
	k->mem[k->next].len = n;
	memcpy(k->mem[k->next].data, p, n);
	k->next = (k->next + 1) % RSP_CACHE_ENTRIES;
}

/* What was written at [addr, addr+n), into every entry that overlaps. */
static void cache_patch(struct rsp_cache *k, uint64_t addr, const uint8_t *p,
			size_t n)
{
	int i;
	for (i = 0; i < RSP_CACHE_ENTRIES; i++) {
		uint64_t a = k->mem[i].addr, e = a + k->mem[i].len;
		uint64_t lo = addr > a ? addr : a;
		uint64_t hi = addr + n < e ? addr + n : e;
		if (k->mem[i].len && lo < hi)
			memcpy(k->mem[i].data + (lo - a), p + (lo - addr),
			       hi - lo);
	}
}

/* ==== registers
 * ======================================================================== */

static int hex_reply(struct rsp_client *c, const char *r, size_t n,
		     uint8_t *buf, size_t cap, size_t *len,
		     struct rsp_error *err)
{
	struct rsp_error e;
	if (n / 2 > cap)
		return rsp_fail(
		    err, RSP_E_ARG,
		    "'%s': reply of %zu bytes exceeds the buffer of "
		    "%zu",
		    c->op, n / 2, cap);
	if (rsp_hex_decode(buf, r, n, 1, &e) < 0)
		return rsp_fail(err, RSP_E_PROTO, "'%s': reply %s", c->op,
				e.msg);
	*len = n / 2;
	return 0;
}

int rsp_client_read_regs(struct rsp_client *c, uint8_t *buf, size_t cap,
			 size_t *len, struct rsp_error *err)
{
	const char *r;
	size_t n;
	if (c->cache.regs_len && c->cache.regs_len <= cap) {
		memcpy(buf, c->cache.regs, c->cache.regs_len);
		*len = c->cache.regs_len;
		return 0;
	}
	if (rsp_client_command(c, "g", 0, &r, &n, err) < 0 ||
	    hex_reply(c, r, n, buf, cap, len, err) < 0)
		return -1;
	if (!c->cache.off && *len <= RSP_CACHE_REGS) {
		memcpy(c->cache.regs, buf, *len);
		c->cache.regs_len = *len;
	}
	return 0;
}

int rsp_client_read_reg(struct rsp_client *c, unsigned regnum, uint8_t *buf,
			size_t cap, size_t *len, struct rsp_error *err)
{
	char cmd[16];
	const char *r;
	size_t n;
	snprintf(cmd, sizeof cmd, "p%x", regnum);
	if (rsp_client_command(c, cmd, 0, &r, &n, err) < 0)
		return -1;
	return hex_reply(c, r, n, buf, cap, len, err);
}

static int write_hex_cmd(struct rsp_client *c, const char *head,
			 const uint8_t *buf, size_t n, struct rsp_error *err)
{
	size_t h = strlen(head);
	if (h + 2 * n >= c->packet_size)
		return rsp_fail(err, RSP_E_ARG,
				"'%s': %zu bytes do not fit PacketSize %zu",
				head, n, c->packet_size);
	memcpy(c->cmd, head, h);
	rsp_hex_encode(c->cmd + h, buf, n);
	c->cmd[h + 2 * n] = 0;
	return rsp_client_command(c, c->cmd, 1, NULL, NULL, err);
}

int rsp_client_write_regs(struct rsp_client *c, const uint8_t *buf, size_t n,
			  struct rsp_error *err)
{
	return write_hex_cmd(c, "G", buf, n, err);
}

int rsp_client_write_reg(struct rsp_client *c, unsigned regnum,
			 const uint8_t *buf, size_t n, struct rsp_error *err)
{
	char head[16];
	snprintf(head, sizeof head, "P%x=", regnum);
	return write_hex_cmd(c, head, buf, n, err);
}

/* ==== memory
 * =============================================================================
 */

/* Largest m request whose reply fits both PacketSize and RSP_PACKET_MAX:
 * PacketSize counts a packet's data characters, not its frame and
 * checksum, so its hex fills PacketSize exactly (QEMU refuses lengths
 * above PacketSize/2; a stub that sends fewer bytes is read again). */
static size_t mem_read_chunk(const struct rsp_client *c)
{
	return c->packet_size / 2;
}

/* RSPC-5 (rspclient_int.h): the block read for [addr, addr+n), or 0
   when none is (the cache is off, or the bytes span two blocks). */
static size_t read_block(const struct rsp_client *c, uint64_t addr, size_t n,
			 uint64_t *lo)
{
	size_t b = RSP_CACHE_BYTES;
	while (b > mem_read_chunk(c))
		b /= 2;
	*lo = addr & ~(uint64_t)(b - 1);
	if (c->cache.off || b < 16 || !n || addr + n < addr ||
	    addr + n > *lo + b || *lo + b < *lo)
		return 0;
	return b;
}

/* One m of the whole block into the cache. 1 done, 0 the stub refused it
   (an E reply: err untouched), -1 with err. */
static int fetch_block(struct rsp_client *c, uint64_t lo, size_t b,
		       struct rsp_error *err)
{
	uint8_t data[RSP_CACHE_BYTES];
	char cmd[48];
	const char *r;
	size_t rn, got;
	struct rsp_error e;

	rsp_build_m(cmd, sizeof cmd, lo, b);
	if (rsp_client_command(c, cmd, 0, &r, &rn, &e) < 0) {
		if (e.kind == RSP_E_STUB)
			return 0;
		*err = e;
		return -1;
	}
	if (hex_reply(c, r, rn, data, b, &got, err) < 0)
		return -1;
	if (got != b)
		return 0;
	cache_put(&c->cache, lo, data, b);
	return 1;
}

int rsp_client_read_mem(struct rsp_client *c, uint64_t addr, void *buf,
			size_t n, struct rsp_error *err)
{
	uint8_t *out = buf;
	uint64_t addr0 = addr, lo;
	size_t n0 = n, b;
	int hit = cache_find(&c->cache, addr, n);
	if (hit < 0 && (b = read_block(c, addr, n, &lo)) != 0) {
		int rc = fetch_block(c, lo, b, err);
		if (rc < 0)
			return -1;
		if (rc)
			hit = cache_find(&c->cache, addr, n);
	}
	if (hit >= 0) {
		memcpy(buf,
		       c->cache.mem[hit].data + (addr - c->cache.mem[hit].addr),
		       n);
		return 0;
	}
	while (n) {
		size_t want = n < mem_read_chunk(c) ? n : mem_read_chunk(c);
		char cmd[48];
		const char *r;
		size_t rn, got;
		rsp_build_m(cmd, sizeof cmd, addr, want);
		if (rsp_client_command(c, cmd, 0, &r, &rn, err) < 0)
			return -1;
		if (hex_reply(c, r, rn, out, want, &got, err) < 0)
			return -1;
		if (got == 0)
			return rsp_fail(err, RSP_E_PROTO,
					"'%s': no bytes returned", c->op);
		out += got;
		addr += got;
		n -= got;
	}
	cache_put(&c->cache, addr0, buf, n0);
	return 0;
}

int rsp_client_write_mem(struct rsp_client *c, uint64_t addr, const void *buf,
			 size_t n, struct rsp_error *err)
{
	const uint8_t *in = buf;
	size_t chunk = (c->packet_size - rsp_M_size(addr, 0) - 1) / 2;
	do {
		size_t k = n < chunk ? n : chunk;
		long len = rsp_build_M(c->cmd, sizeof c->cmd, addr, in, k);
		int rc;
		if (len < 0)
			return rsp_fail(err, RSP_E_ARG, "M: packet too long");
		c->cache.writing = 1;
		rc = rsp_client_command(c, c->cmd, 1, NULL, NULL, err);
		c->cache.writing = 0;
		if (rc < 0) {
			rsp_cache_drop(&c->cache); /* written or not: unknown */
			return -1;
		}
		cache_patch(&c->cache, addr, in, k);
		in += k;
		addr += k;
		n -= k;
	} while (n);
	return 0;
}

/* ==== breakpoints
 * ========================================================================= */

static int zpacket(struct rsp_client *c, char z, uint64_t addr, unsigned kind,
		   struct rsp_error *err)
{
	char cmd[48];
	snprintf(cmd, sizeof cmd, "%c0,%" PRIx64 ",%x", z, addr, kind);
	return rsp_client_command(c, cmd, 1, NULL, NULL, err);
}

int rsp_client_set_break(struct rsp_client *c, uint64_t addr, unsigned kind,
			 struct rsp_error *err)
{
	return zpacket(c, 'Z', addr, kind, err);
}

int rsp_client_clear_break(struct rsp_client *c, uint64_t addr, unsigned kind,
			   struct rsp_error *err)
{
	return zpacket(c, 'z', addr, kind, err);
}
