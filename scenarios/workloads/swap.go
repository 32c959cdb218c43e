// swap: goroutines hand pointers to each other while a collection may be
// marking. Each worker owns a list; in turn it takes the object another
// worker left in a global exchange slot, leaves one of its own there, and
// splices what it took into its list. Only the slot, or a register of a
// goroutine whose stack may already be scanned, holds an object in
// flight: both halves of the write barrier matter. Channels of int order
// the turns.
package main

type item struct {
	val  int
	next *item
}

var slot *item
var lists [3]*item
var turns [3]chan int
var done chan int

func fresh(v int) *item {
	p := new(item)
	p.val = v
	return p
}

func length(p *item) int {
	n := 0
	for ; p != nil; p = p.next {
		n++
	}
	return n
}

func sum(p *item) int {
	s := 0
	for ; p != nil; p = p.next {
		s = (s*17 + p.val) % 1000003
	}
	return s
}

// exchange: put our head in the slot, keep what was there.
func exchange(w int) {
	mine := lists[w]
	lists[w] = mine.next
	got := slot
	slot = mine
	mine.next = nil
	if got != nil {
		got.next = lists[w]
		lists[w] = got
	}
	for i := 0; i < 3; i++ { // garbage: allocations run mark steps
		g := fresh(i)
		g.next = got
	}
}

func worker(w int, rounds int) {
	for r := 0; r < rounds; r++ {
		<-turns[w]
		exchange(w)
		p := fresh(w*1000 + r)
		p.next = lists[w]
		lists[w] = p
		turns[(w+1)%3] <- 1
	}
	done <- w
}

func main() {
	for w := 0; w < 3; w++ {
		turns[w] = make(chan int, 1)
		for i := 0; i < 20; i++ {
			p := fresh(w*100 + i)
			p.next = lists[w]
			lists[w] = p
		}
	}
	done = make(chan int, 3)
	for w := 0; w < 3; w++ {
		go worker(w, 40)
	}
	turns[0] <- 1
	for w := 0; w < 3; w++ {
		<-done
	}
	<-turns[0]
	total := 0
	for w := 0; w < 3; w++ {
		println("list", w, "len", length(lists[w]), "sum", sum(lists[w]))
		total += length(lists[w])
	}
	println("slot", slot.val, "total", total+1)
}
