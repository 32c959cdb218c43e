// gcload: the collector's cost under QEMU (README, "The write barrier and
// the incremental collector"). A list of 20000 nodes stays live while
// 4000000 short-lived nodes are allocated and spliced in and out, so the
// allocation trigger fires many times and pointer stores run while a
// cycle marks.
package main

type node struct {
	val  int
	next *node
}

var head *node
var spare *node

func main() {
	for i := 0; i < 20000; i++ {
		p := new(node)
		p.val = i
		p.next = head
		head = p
	}
	sum := 0
	for i := 0; i < 4000000; i++ {
		p := new(node)
		p.val = i
		p.next = spare
		spare = p
		if i%64 == 63 {
			q := head.next
			head.next = q.next
			q.next = spare
			spare = nil
			sum += q.val
			q.next = head
			head = q
		}
	}
	n := 0
	for p := head; p != nil; p = p.next {
		n++
	}
	println("sum", sum, "len", n)
}
