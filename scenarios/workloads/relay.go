// relay: an escaped local as the only holder of an object while a
// collection may be marking. hold's address is kept in a global, so hold
// lives in a heap cell and every store into it takes the write barrier;
// each round the object it held moves to a global after hold is
// overwritten: only the barrier's deletion half, at the store into hold,
// keeps that object alive once the goroutine's stack has been scanned.
package main

type node struct {
	val  int
	next *node
}

var keep **node
var parked *node
var sink *node

func fresh(v int) *node {
	p := new(node)
	p.val = v
	return p
}

// churn allocates k short-lived nodes: each allocation may run a slice.
func churn(k int) {
	for i := 0; i < k; i++ {
		sink = fresh(i)
	}
}

func relay(n int) int {
	var hold *node
	keep = &hold
	hold = fresh(1)
	s := 0
	for i := 0; i < n; i++ {
		x := hold
		hold = fresh(i*3 + 2)
		churn(2)
		parked = x
		churn(3)
		s = (s*31 + parked.val) % 1000003
	}
	keep = nil
	return s
}

func main() {
	t := 0
	for r := 0; r < 40; r++ {
		t = (t*7 + relay(25)) % 1000003
	}
	println("relay", t, "last", parked.val)
}
