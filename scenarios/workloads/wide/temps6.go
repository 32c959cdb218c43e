// temps6: an expression six temporaries deep, the most gosub has on arm64
// and riscv64, so that the last two hold a pointer -- the only reference
// on the stack to the node it loads. gosub refuses it on amd64 (four
// temporaries there): this directory holds workloads built for some
// arches only, out of the every-arch workload globs; a suite names their
// arches ("arches" of a sweep).
package main

import "runtime"

type node struct {
	val  int
	next *node
}

func mk(v int) *node {
	n := new(node)
	n.val = v
	m := new(node)
	m.val = v*5 + 2
	n.next = m
	return n
}

func deep(a *node, b *node, c *node, d *node, e *node, f *node) int {
	return a.next.val + (b.next.val + (c.next.val + (d.next.val +
		(e.next.val + f.next.val))))
}

func main() {
	total := 0
	for r := 0; r < 5; r++ {
		total = total*3 + deep(mk(r), mk(r+1), mk(r+2), mk(r+3), mk(r+4),
			mk(r+5))
		runtime.GC()
	}
	println("temps6", total)
}
