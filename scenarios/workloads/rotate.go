// rotate: an AVL tree whose insertions rebalance by rotations while a
// collection may be marking. A rotation unlinks a child from its parent
// (t.left = l.right) while only a register holds it, then links it back
// higher up: the deletion half of the write barrier keeps the child, and
// the new parent, alive once the goroutine's stack has been scanned.
// Trees are rebuilt so that collections reclaim the old ones.
package main

type node struct {
	key    int
	height int
	left   *node
	right  *node
}

var root *node
var rotations int

func height(t *node) int {
	if t == nil {
		return 0
	}
	return t.height
}

func fix(t *node) {
	l := height(t.left)
	r := height(t.right)
	if l > r {
		t.height = l + 1
	} else {
		t.height = r + 1
	}
}

func rotateRight(t *node) *node {
	l := t.left
	t.left = l.right
	l.right = t
	fix(t)
	fix(l)
	rotations++
	return l
}

func rotateLeft(t *node) *node {
	r := t.right
	t.right = r.left
	r.left = t
	fix(t)
	fix(r)
	rotations++
	return r
}

func balance(t *node) *node {
	fix(t)
	b := height(t.left) - height(t.right)
	if b > 1 {
		if height(t.left.left) < height(t.left.right) {
			t.left = rotateLeft(t.left)
		}
		return rotateRight(t)
	}
	if b < -1 {
		if height(t.right.right) < height(t.right.left) {
			t.right = rotateRight(t.right)
		}
		return rotateLeft(t)
	}
	return t
}

func insert(t *node, k int) *node {
	if t == nil {
		n := new(node)
		n.key = k
		n.height = 1
		return n
	}
	if k < t.key {
		t.left = insert(t.left, k)
	} else if k > t.key {
		t.right = insert(t.right, k)
	} else {
		return t
	}
	return balance(t)
}

func digest(t *node, h int) int {
	if t == nil {
		return h
	}
	h = digest(t.left, h)
	h = (h*31 + t.key*7 + t.height) % 1000000007
	return digest(t.right, h)
}

func count(t *node) int {
	if t == nil {
		return 0
	}
	return 1 + count(t.left) + count(t.right)
}

func main() {
	x := 11
	for round := 0; round < 6; round++ {
		root = nil
		for i := 0; i < 150; i++ {
			x = (x*1103515245 + 12345) % 2147483648
			root = insert(root, x%5000)
		}
		println("round", round, "nodes", count(root), "height", height(root), "digest", digest(root, 0))
	}
	println("rotations", rotations)
}
