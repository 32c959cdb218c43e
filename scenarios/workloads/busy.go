// busy: several goroutines busy at once -- each worker keeps a private
// heap list, yields with Gosched between steps and reports over a
// channel -- so that a stopped goroutine is never the only one that could
// run (what an injected call must freeze).
package main

import "runtime"

type node struct {
	val  int
	next *node
}

var out [4]int

func step(head *node, v int) *node {
	n := new(node)
	n.val = v
	n.next = head
	return n
}

func worker(id int, rounds int, done chan int) {
	var head *node
	s := 0
	for r := 0; r < rounds; r++ {
		head = step(head, id*100+r)
		s += head.val
		runtime.Gosched()
	}
	for p := head; p != nil; p = p.next {
		s += p.val % 7
	}
	out[id] = s
	done <- id
}

func main() {
	done := make(chan int, 4)
	for w := 0; w < 4; w++ {
		go worker(w, 6, done)
	}
	seen := 0
	for i := 0; i < 4; i++ {
		seen += <-done
	}
	runtime.GC()
	println("busy", seen, out[0], out[1], out[2], out[3])
}
