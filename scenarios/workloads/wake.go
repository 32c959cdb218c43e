// wake: a target for an injected call that wakes a goroutine. waiter is
// blocked receiving on ch while main runs work; poke, the function the
// debugger calls, sends a value waiter ignores on a channel with room to
// spare (or on none: ch is nil until main makes it), so the call never
// blocks and waiter becomes runnable (it must
// not run before the call returns: the freeze oracle). What main prints
// does not depend on whether, or where, poke was called.
package main

import "runtime"

type cell struct {
	v    int
	next *cell
}

var ch chan int
var seen int

func waiter(done chan int) {
	for {
		v := <-ch
		if v < 0 {
			break
		}
		seen += v
	}
	done <- 1
}

func poke(v int) int {
	if ch != nil { // nil until main makes it
		ch <- v * 0
	}
	return v + 1
}

func work(n int) int {
	var head *cell
	for i := 0; i < n; i++ {
		c := new(cell)
		c.v = i * 3
		c.next = head
		head = c
	}
	s := 0
	for p := head; p != nil; p = p.next {
		s = s*7 + p.v
	}
	return s % 100003
}

func main() {
	ch = make(chan int, 64)
	done := make(chan int)
	go waiter(done)
	runtime.Gosched()
	total := work(12)
	ch <- -1
	<-done
	println("wake", total, "seen", seen)
}
