// stale: stack objects that are dead but still addressed from the frame.
// After its last use a stack object's address stays in a dead frame slot;
// a collection at a call then frees what the object points to (no precise
// pointer reaches the object), so the object holds stale pointers into
// free slots. A later collection that finds the old address
// conservatively must scan the object conservatively too: scanning it
// with its pointer map would report those stale words as bad pointers.
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

func fill(p *pair, k int) {
	p.a = new(node)
	p.a.val = k
	p.b = new(node)
	p.b.val = k * 2
	p.b.next = p.a
}

func total(p *pair) int {
	return p.n + p.a.val + p.b.val + p.b.next.val
}

// afterUse: p is dead once total returns; the collection frees p.a and
// p.b while the frame still holds &p; the loop after it is where an
// asynchronous collection finds &p conservatively.
func afterUse(k int) int {
	var p pair
	p.n = k
	fill(&p, k+1)
	s := total(&p)
	runtime.GC()
	r := 0
	for i := 0; i < 8; i++ {
		r = r*5 + s + i
	}
	return r
}

// twoObjects: the same with two stack objects, one still live (q) and one
// dead (p), so precise and conservative reach mix in one frame.
func twoObjects(k int) int {
	var p pair
	var q pair
	fill(&p, k)
	fill(&q, k+3)
	s := total(&p)
	runtime.GC()
	t := 0
	for i := 0; i < 4; i++ {
		t += s + i
	}
	return t + total(&q)
}

func main() {
	sum := 0
	for i := 0; i < 3; i++ {
		sum += afterUse(i)
		sum += twoObjects(i)
	}
	println("stale", sum)
}
