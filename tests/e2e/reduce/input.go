// input.go -- what rig.reduce.<arch> reduces (tests/e2e/reduce_test.sh):
// main.press keeps a pointer in a register across a call, which the
// no-register-scan mutant's collector misses; the rest of the program is
// there to be removed.
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

var global *node

func mix(h int, v int) int {
	return h*31 + v
}

func push(head *node, v int) *node {
	n := new(node)
	n.val = v
	n.next = head
	return n
}

func sum(p *node) int {
	s := 0
	for p != nil {
		s = s*7 + p.val
		p = p.next
	}
	return s
}

func mk(k int) *pair {
	t := new(pair)
	t.n = k
	return t
}

func press(k int) int {
	s := k
	var list *node
	for i := 0; i < 3; i++ {
		list = push(list, i+k)
	}
	s = mix(s, sum(list))
	p := mk(k + 61)
	q := mk(k + 7)
	runtime.GC()
	s = mix(s, p.n)
	s = mix(s, q.n)
	return s
}

func worker(n int, done chan int) {
	h := 0
	for i := 0; i < n; i++ {
		global = push(global, i)
		h = mix(h, sum(global))
	}
	done <- h
}

func main() {
	d := 758
	done := make(chan int)
	go worker(4, done)
	d = mix(d, <-done)
	for i := 0; i < 2; i++ {
		d = mix(d, press(71+i))
	}
	println("digest", d)
}
