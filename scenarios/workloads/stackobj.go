// stackobj: address-taken locals. Some stay in the frame as stack objects
// (their address only reaches callees that do not keep it); some escape to
// the heap (stored in a global or returned).
package main

import "runtime"

type pair struct {
	a *int
	b *int
	n int
}

var leaked *int

func sumPair(p *pair) int {
	s := p.n
	if p.a != nil {
		s += *p.a
	}
	if p.b != nil {
		s += *p.b
	}
	return s
}

func setBoth(p *pair, x int) {
	p.a = new(int)
	*p.a = x
	p.b = new(int)
	*p.b = x * 2
}

func leak(v int) {
	x := v
	leaked = &x
}

func escapeReturn(v int) *int {
	y := v + 1
	return &y
}

func local(seed int) int {
	var p pair
	p.n = seed
	setBoth(&p, seed+5)
	runtime.GC()
	var q pair
	setBoth(&q, seed)
	runtime.GC()
	return sumPair(&p) + sumPair(&q)
}

func counter(c *int, times int) {
	for i := 0; i < times; i++ {
		*c = *c + i
	}
}

func main() {
	total := 0
	for i := 0; i < 10; i++ {
		total += local(i)
	}
	println("local total", total)
	leak(42)
	r := escapeReturn(7)
	runtime.GC()
	println("leaked", *leaked, "returned", *r)
	n := 0
	counter(&n, 100)
	println("counter", n)
}
