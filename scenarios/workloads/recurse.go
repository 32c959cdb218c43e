// recurse: deep recursion that grows the goroutine stack well past 1 MiB
// by copying, with pointers into the stack (stack objects) and heap
// pointers held in frames while it moves; then shallow work so the stack
// can shrink at a later collection.
package main

import "runtime"

type cell struct {
	v    int
	next *cell
}

func deep(n int, acc *cell) int {
	if n == 0 {
		runtime.GC()
		s := 0
		for p := acc; p != nil; p = p.next {
			s += p.v
		}
		return s
	}
	var pad [6]int
	pad[n%6] = n
	c := acc
	if n%1000 == 0 {
		c = new(cell)
		c.v = n
		c.next = acc
	}
	r := deep(n-1, c)
	return r + pad[n%6] - n
}

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func depthSum(n int, p *int) int {
	*p = *p + n
	if n == 0 {
		return *p
	}
	return depthSum(n-1, p)
}

func main() {
	println("deep", deep(20000, nil))
	runtime.GC()
	println("fib", fib(20))
	x := 0
	println("depthSum", depthSum(3000, &x), x)
	runtime.GC()
	println("again", deep(500, nil))
}
