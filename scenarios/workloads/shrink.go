// shrink: deep recursion grows the goroutine stack by copying (a frame
// with a stack object and heap pointers at every level); back at shallow
// depth the stack is mostly unused, so a collection wants to shrink it.
// A goroutine stopped asynchronously holds a conservative frame, so the
// shrink must wait for its next synchronous safe point.
package main

import "runtime"

type node struct {
	val  int
	next *node
}

var sink *node

// grow: recursion deep enough to double the stack several times; each
// frame keeps an array (a stack object) and a heap pointer across the
// recursive call, so every copy must adjust them.
func grow(n int, acc *node) int {
	var pad [8]int
	pad[n%8] = n
	c := acc
	if n%64 == 0 {
		c = new(node)
		c.val = n
		c.next = acc
	}
	if n == 0 {
		s := 0
		for p := c; p != nil; p = p.next {
			s += p.val + 1
		}
		return s
	}
	return grow(n-1, c) + pad[n%8] - n
}

// shallow: runs right after grow returned, near the top of a large
// stack; pointers into its own frame (a stack object) and into the heap.
func shallow(k int) int {
	var buf [4]int
	p := &buf
	h := new(node)
	h.val = k
	for i := 0; i < 4; i++ {
		p[i] = h.val + i
	}
	s := 0
	for i := 0; i < 4; i++ {
		s = s*11 + p[i]
	}
	return s + h.val
}

func main() {
	sink = new(node)
	d := grow(400, nil)
	s := shallow(7)
	s += shallow(9)
	println("grow", d, "shallow", s)
	runtime.GC()
	d = grow(50, nil)
	println("again", d, shallow(3))
}
