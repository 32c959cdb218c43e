// pressure: states the other workloads do not create (docs/states.md).
// wide keeps fourteen pointers live at once with no call among their uses,
// more than gosub has variable registers on any arch, so every variable
// register holds the goroutine's only reference to an object; its nested
// sums load a pointer into each expression temporary in turn. hold is
// called with its caller's stack object and clears its own argument slot,
// so only its own frame still points at that object.
package main

import "runtime"

type node struct {
	val  int
	next *node
}

type pair struct {
	a *node
	b *node
	n int
}

var seed int

func mk(v int) *node {
	n := new(node)
	n.val = v
	m := new(node)
	m.val = v*7 + 1
	n.next = m
	return n
}

// wide: a..n are allocated first; from the last allocation to the return
// nothing is called, so each one lives in its register (or its frame word,
// once the registers are gone) and nowhere else on the stack.
func wide() int {
	a := mk(seed)
	b := mk(seed + 1)
	c := mk(seed + 2)
	d := mk(seed + 3)
	e := mk(seed + 4)
	f := mk(seed + 5)
	g := mk(seed + 6)
	h := mk(seed + 7)
	i := mk(seed + 8)
	j := mk(seed + 9)
	k := mk(seed + 10)
	l := mk(seed + 11)
	m := mk(seed + 12)
	n := mk(seed + 13)
	s := n.val + m.val*2 + l.val*3 + k.val*5 + j.val*7 + i.val*11
	s = s*3 + h.val + g.val*2 + f.val*3 + e.val*5 + d.val*7
	s = s*5 + c.val + b.val*2 + a.val*3
	s = s + a.next.val + (b.next.val + (c.next.val + d.next.val))
	s = s*7 + e.next.val + (f.next.val + (g.next.val + h.next.val))
	s = s*7 + i.next.val + (j.next.val + (k.next.val + l.next.val))
	s = s + m.next.val + n.next.val
	return s % 1000003
}

// hold: p comes after more parameters than there are variable registers,
// so it is read and written in its argument slot, in the caller's frame;
// once q has it and p is nil, q -- in hold's frame -- is the only pointer
// to the caller's stack object, whose nodes are reached through it alone.
func hold(x0 int, x1 int, x2 int, x3 int, x4 int, x5 int, x6 int, x7 int,
	x8 int, x9 int, x10 int, x11 int, x12 int, p *pair) int {
	q := p
	p = nil
	s := x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11 + x12
	for r := 0; r < 3; r++ {
		s = s*3 + q.a.val + q.b.next.val + q.n
	}
	if p != nil {
		s = 0
	}
	return s
}

func owner(v int) int {
	var p pair
	p.a = mk(v)
	p.b = mk(v + 1)
	p.n = v
	return hold(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, &p)
}

func main() {
	total := 0
	for r := 0; r < 4; r++ {
		seed = r * 3
		total = (total*31 + wide()) % 1000003
		total = (total*17 + owner(r)) % 1000003
		runtime.GC()
	}
	println("pressure", total)
}
