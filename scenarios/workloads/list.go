// list: singly linked lists built, reversed and summed; globals hold a list
// across a collection, so only the globals root keeps it alive.
package main

import "runtime"

type node struct {
	val  int
	next *node
}

var kept *node
var total int

func push(head *node, v int) *node {
	n := new(node)
	n.val = v
	n.next = head
	return n
}

func build(n int) *node {
	var head *node
	for i := 0; i < n; i++ {
		head = push(head, i*3+1)
	}
	return head
}

func reverse(head *node) *node {
	var prev *node
	for head != nil {
		next := head.next
		head.next = prev
		prev = head
		head = next
	}
	return prev
}

func sum(head *node) int {
	s := 0
	for p := head; p != nil; p = p.next {
		s += p.val
	}
	return s
}

func length(head *node) int {
	n := 0
	for head != nil {
		n++
		head = head.next
	}
	return n
}

func main() {
	a := build(50)
	kept = build(20)
	runtime.GC()
	println("sum", sum(a), "len", length(a))
	a = reverse(a)
	println("first after reverse", a.val, "second", a.next.val)
	for i := 0; i < 5; i++ {
		garbage := build(30)
		total += sum(garbage)
	}
	runtime.GC()
	println("kept", sum(kept), length(kept), "total", total)
	println("sum again", sum(a))
}
