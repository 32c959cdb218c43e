// inject: targets for debugger-injected calls. walk is swept; add and churn
// are the functions the debugger calls (churn allocates, collects and
// recurses deep enough to grow its goroutine's stack several times), while
// spinner goroutines are runnable and busy, so a call that lets them run
// is caught by the freeze oracle.
package main

import "runtime"

type cell struct {
	v    int
	next *cell
}

var sums [3]int

func add(a int, b int) int {
	return a*10 + b
}

func deep(n int, acc int) int {
	var pad [8]int
	pad[n%8] = acc
	if n == 0 {
		return acc
	}
	return deep(n-1, acc+pad[n%8]%7+1)
}

func churn(n int) int {
	var head *cell
	for i := 0; i < n; i++ {
		c := new(cell)
		c.v = i
		c.next = head
		head = c
	}
	runtime.GC()
	s := 0
	for p := head; p != nil; p = p.next {
		s += p.v
	}
	return s + deep(n*20, 0)
}

func spinner(id int, rounds int, done chan int) {
	x := id
	for i := 0; i < rounds; i++ {
		x = x*31 + i
		if i%50 == 0 {
			runtime.Gosched()
		}
	}
	sums[id] = x % 1000
	done <- id
}

func walk(n int) int {
	var head *cell
	for i := 0; i < n; i++ {
		c := new(cell)
		c.v = i * i
		c.next = head
		head = c
	}
	s := 0
	for p := head; p != nil; p = p.next {
		s += p.v
	}
	return s
}

func main() {
	done := make(chan int)
	go spinner(1, 300, done)
	go spinner(2, 300, done)
	total := walk(20)
	<-done
	<-done
	println("walk", total, "add", add(4, 2), "sums", sums[1], sums[2])
	if total < 0 {
		println(churn(1))
	}
}
