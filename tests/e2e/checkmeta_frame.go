// checkmeta_frame: stores through &x, where x is a stack object, written
// *&x, (&x).f and (&a)[i]: gosub knows they are into x's own storage, so
// they take no write barrier (abi.h ABI-8), and check-meta (CM-4) must
// find nothing in the correct build. A store through a pointer variable
// that holds &x takes the barrier legitimately. Prints 18, as go run does.
package main

type node struct {
	next *node
	v    int
}

type pair struct {
	a *node
	b *node
}

var g *node

func f(q *node) int {
	var x pair
	var arr [3]*node
	(&x).a = q
	(*&x).b = q
	(&arr)[2] = q
	*&arr[1] = q
	p := &x
	p.a = q
	g = q
	return x.a.v + x.b.v + arr[2].v + arr[1].v + (*&x).a.v + (&arr)[2].v
}

func main() {
	n := new(node)
	n.v = 3
	println(f(n))
}
