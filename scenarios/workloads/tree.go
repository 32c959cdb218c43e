// tree: a binary search tree with insertion, lookup, height and an
// in-order walk, rebuilt several times so collections reclaim old trees.
package main

import "runtime"

type tree struct {
	key   int
	count int
	left  *tree
	right *tree
}

func insert(t *tree, k int) *tree {
	if t == nil {
		t = new(tree)
		t.key = k
		t.count = 1
		return t
	}
	if k < t.key {
		t.left = insert(t.left, k)
	} else if k > t.key {
		t.right = insert(t.right, k)
	} else {
		t.count++
	}
	return t
}

func contains(t *tree, k int) bool {
	for t != nil {
		if k == t.key {
			return true
		}
		if k < t.key {
			t = t.left
		} else {
			t = t.right
		}
	}
	return false
}

func height(t *tree) int {
	if t == nil {
		return 0
	}
	l := height(t.left)
	r := height(t.right)
	if l > r {
		return l + 1
	}
	return r + 1
}

var walked int

func walk(t *tree) {
	if t == nil {
		return
	}
	walk(t.left)
	walked = walked*31 + t.key*t.count
	walk(t.right)
}

func build(seed int, n int) *tree {
	var root *tree
	x := seed
	for i := 0; i < n; i++ {
		x = (x*1103515245 + 12345) % 2147483648
		root = insert(root, x%1000)
	}
	return root
}

func main() {
	var root *tree
	for round := 0; round < 4; round++ {
		root = build(round+7, 200)
		runtime.GC()
		println("round", round, "height", height(root), "has 500", contains(root, 500))
	}
	walk(root)
	println("walk hash", walked)
	hits := 0
	for k := 0; k < 1000; k += 7 {
		if contains(root, k) {
			hits++
		}
	}
	println("hits", hits)
}
