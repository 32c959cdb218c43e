// stackchain: stack objects that point to other stack objects. A frame
// keeps a chain of address-taken locals (a.next = &b, b.next = &c) whose
// last link holds the only pointer to a heap object, so a collection must
// find b and c through a, transitively; and a stack that grows under such
// a chain must move the pointers between its links with it.
package main

type item struct {
	v int
}

type link struct {
	next *link
	obj  *item
	val  int
}

// deep: recursion deep enough to grow the stack by copying several times.
func deep(n int) int {
	var pad [16]int
	pad[n%16] = n
	if n == 0 {
		return 0
	}
	return deep(n-1) + pad[n%16] - n + 1
}

// sum: the values along a chain, and what its links' heap objects hold.
func sum(a *link) int {
	s := 0
	for p := a; p != nil; p = p.next {
		s = s*3 + p.val
		if p.obj != nil {
			s += p.obj.v
		}
	}
	return s
}

// chained: only a reaches b, and only b reaches c, the one holder of a
// heap object: a collection while sum walks the chain must keep it.
func chained(k int) int {
	var c link
	c.obj = new(item)
	c.obj.v = k * 5
	c.val = k
	var b link
	b.next = &c
	b.val = k + 1
	var a link
	a.next = &b
	a.val = k + 2
	return sum(&a) + a.val
}

// tally: a's own fields only, never what a.next points to.
func tally(a *link) int {
	return a.val*7 + a.obj.v
}

// grown: a -> b, then the stack grows under them (deep): the copy must
// move a.next with the stack, though only a's own fields are read after.
func grown(k int) int {
	var b link
	var a link
	b.val = k
	a.next = &b
	a.val = k + 1
	a.obj = new(item)
	a.obj.v = k * 2
	s := sum(&a)
	s += deep(300)
	return s + tally(&a)
}

func main() {
	t := 0
	for i := 0; i < 3; i++ {
		t += chained(i)
	}
	println("chained", t)
	println("grown", grown(4))
}
