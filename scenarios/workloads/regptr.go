// regptr: pointers the conservative scan of an asynchronously stopped
// goroutine must find -- in its registers: a fresh object before anything
// in memory points at it (fresh, holder), an interior pointer into an
// object nothing else keeps (interior), a pointer to a stack object
// (framed, viaStack); in its innermost frame: the result word of a call
// that returned a new object (results). main allocates objects of the
// small size classes first, so from the second call on every small new()
// here takes gosub's inline fast path (a GC-atomic sequence) and leaves
// no copy of the new pointer in the frame: sweep with hit 2.
package main

import "runtime"

type node struct {
	val  int
	next *node
}

type rec struct {
	tag  int
	vals [6]int
	link *node
}

type pair struct {
	a *node
	b *node
	n int
}

// big: larger than the largest size class (abi.h), always allocated by
// a call to the runtime.
type big struct {
	val  int
	next *big
	pad  [300]int
}

var warm *node
var warmRec *rec

// fresh: two new nodes linked together and walked; from the allocations
// to the return they exist only in registers (and in each other).
func fresh(v int) int {
	n := new(node)
	n.val = v
	m := new(node)
	m.val = v * 3
	m.next = n
	s := 0
	for p := m; p != nil; p = p.next {
		s = s*7 + p.val
	}
	return s
}

// interior: once p is set, r is dead and &r.vals -- a pointer into the
// middle of r, past its first word -- is all that keeps r alive.
func interior(k int) int {
	r := new(rec)
	r.tag = k
	p := &r.vals
	for i := 0; i < 6; i++ {
		p[i] = k*i + 1
	}
	s := 0
	for i := 5; i >= 0; i-- {
		s = s*3 + p[i]
	}
	return s
}

// viaStack: q points at the caller's stack object (its argument slot in
// the caller's frame holds it too, precisely); the heap nodes are reached
// only through the stack object.
func viaStack(q *pair) int {
	s := q.n
	for i := 0; i < 3; i++ {
		s += q.a.val*i + q.b.val
	}
	return s
}

// holder: a stack object filled with fresh heap pointers; between the
// allocations and the call the new nodes are in registers and in the
// stack object only.
func holder(k int) int {
	var p pair
	p.n = k
	p.a = new(node)
	p.a.val = k + 1
	p.b = new(node)
	p.b.val = k + 2
	return viaStack(&p)
}

// results: big is too large for a size class, so every new(big) is a
// call to runtime.newobject; right after it returns, the new object is
// referenced only by the result word in this frame -- a word the map of
// that call site does not cover (the callee wrote it) -- once the
// reloads of k and m have overwritten the registers the runtime left it
// in. Only a conservative scan of the interrupted frame keeps it there.
func results(k int, m int) int {
	a := new(big)
	a.val = k + m
	b := new(big)
	b.val = k - m
	b.next = a
	b.pad[k] = m
	s := 0
	for p := b; p != nil; p = p.next {
		s = s*5 + p.val + p.pad[k]
	}
	return s
}

// count: a callee that takes no pointer.
func count(n int) int {
	c := 0
	for i := 0; i < n; i++ {
		c += i
	}
	return c
}

// framed: p is a stack object (its address is taken) and q, the live
// pointer to it, is held in a register only (the frame's address slot
// keeps a dead copy). Its heap nodes are reached through p alone; the
// call at the end takes an int, so no argument slot points at p.
func framed(k int) int {
	var p pair
	q := &p
	q.a = new(node)
	q.a.val = k
	q.b = new(node)
	q.b.val = k * 2
	s := q.a.val*3 + q.b.val
	return s + count(k)
}

func main() {
	warm = new(node)
	warmRec = new(rec)
	runtime.GC()
	total := 0
	for i := 0; i < 3; i++ {
		total += fresh(i + 1)
		total += interior(i + 2)
		total += holder(i)
		total += results(i, 7)
		total += framed(i)
	}
	println("regptr", total)
	runtime.GC()
	println("warm", warm.val, warmRec.tag)
}
