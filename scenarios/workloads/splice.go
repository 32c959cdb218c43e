// splice: list splicing while a collection may be marking. A node is
// unlinked from deep in a list kept by a global, only a local holds it
// while the program allocates (and an incremental cycle marks), then it
// is linked back at the front: the write barrier's deletion half (shade
// the overwritten pointer) is what keeps it alive once the goroutine's
// stack has been scanned.
package main

type node struct {
	val  int
	next *node
}

var head *node
var sink *node
var churned int

func build(n int) {
	for i := 0; i < n; i++ {
		p := new(node)
		p.val = i*7 + 3
		p.next = head
		head = p
	}
}

// churn allocates k short-lived nodes: each allocation may run a slice.
func churn(k int) {
	for i := 0; i < k; i++ {
		p := new(node)
		p.val = i
		sink = p
		churned += p.val
	}
}

// splice moves the node after depth d to the front of the list.
func splice(d int, k int) int {
	n := head
	for i := 0; i < d; i++ {
		n = n.next
	}
	p := n.next
	n.next = p.next
	churn(k)
	p.next = head
	head = p
	return p.val
}

func sum() int {
	s := 0
	for p := head; p != nil; p = p.next {
		s += p.val
	}
	return s
}

func length() int {
	n := 0
	for p := head; p != nil; p = p.next {
		n++
	}
	return n
}

func main() {
	build(60)
	moved := 0
	for i := 0; i < 120; i++ {
		churn(i % 23)
		moved += splice(10+i%37, 150)
	}
	println("moved", moved, "sum", sum(), "len", length(), "churned", churned)
}
