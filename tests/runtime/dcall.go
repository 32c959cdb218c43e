// dcall.go -- the guest program of the debug-call tests (dcall_guest.c):
// main.f is injected at a safe PC, at an unsafe one and in runtime code;
// main.g allocates, collects and recurses deep enough to grow its
// goroutine's stack several times; main.poke wakes the waiter goroutine and
// yields, which must not let the waiter run before the call ends (DC-5).
// Output: dcall.out.
package main

import "runtime"

type node struct {
	next *node
	v    int
}

var keep *node

var wake chan int

var woken int

func waiter() {
	v := <-wake
	woken = v
}

func poke(a int, b int) int {
	wake <- a
	runtime.Gosched()
	return b + woken
}

func f(a int, b int) int {
	return a*10 + b
}

func deep(n int) int {
	var buf [8]int
	buf[n%8] = n
	if n == 0 {
		return 0
	}
	return deep(n-1) + buf[n%8] - n + 1
}

func g(a int, b int) int {
	p := new(node)
	p.v = a
	runtime.GC()
	r := deep(300)
	runtime.GC()
	return p.v*1000 + b*100 + r
}

func worker(c chan int, n int) {
	s := 0
	for i := 0; i < n; i++ {
		s += i
	}
	c <- s
}

func loop(n int) int {
	s := 0
	p := new(node)
	p.next = keep
	keep = p
	for i := 0; i < n; i++ {
		s += i
		p.v = s
	}
	return s + p.v
}

func main() {
	c := make(chan int)
	go worker(c, 100)
	x := loop(10)
	println(x)
	println(<-c)
	println(f(3, 4), g(1, 2))
	wake = make(chan int)
	go waiter()
	runtime.Gosched()
	println(woken)
}

func p(a int, b int) int {
	if a == 1 {
		panic("boom")
	}
	return b
}
