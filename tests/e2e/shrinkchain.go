// shrinkchain: a stack object pointing to another one while the stack is
// moved by a deferred shrink (tests/e2e/stackcopy_test.sh). main grows the
// stack (deep), then hold builds a -> b and calls into the runtime
// (println), where a shrink deferred by an asynchronous preemption happens. a.next is
// never read after, so the program prints the same whether or not the copy
// adjusted it: only a check at the copy sees a stale pointer.
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

// grown: a -> b while the stack grows (deep), for an injected call.
func grown(k int) int {
	var b link
	var a link
	b.val = k
	a.next = &b
	a.val = k + 1
	a.obj = new(item)
	s := deep(200)
	return s + own(&a)
}

// own: a's own fields only, never what a.next points to.
func own(a *link) int {
	return a.val*7 + a.obj.v
}

// hold: a -> b (both stack objects: their addresses are taken), then a
// runtime call with the chain on the stack.
func hold(k int) int {
	var b link
	var a link
	b.val = k
	a.next = &b
	a.val = k + 1
	a.obj = new(item)
	a.obj.v = k * 3
	println("hold", k)
	return own(&a)
}

func main() {
	t := deep(300)
	for i := 0; i < 3; i++ {
		t += hold(i)
	}
	println("hold", t)
}
