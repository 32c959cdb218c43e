// arrays: fixed arrays inside structs, reached directly and through
// pointers; sorting, bounds-checked indexing, and arrays of pointers.
package main

import "runtime"

const N = 16

type bag struct {
	n     int
	items [N]int
	refs  [4]*bag
}

type grid struct {
	cells [8][8]int
}

var g *grid

func fill(b *bag, seed int) {
	x := seed
	for i := 0; i < N; i++ {
		x = (x*75 + 74) % 65537
		b.items[i] = x % 100
	}
	b.n = N
}

func sort(b *bag) {
	for i := 0; i < b.n; i++ {
		for j := 0; j+1 < b.n-i; j++ {
			if b.items[j] > b.items[j+1] {
				t := b.items[j]
				b.items[j] = b.items[j+1]
				b.items[j+1] = t
			}
		}
	}
}

func checksum(p *[N]int) int {
	s := 0
	for i := 0; i < N; i++ {
		s = s*7 + p[i]
	}
	return s
}

func main() {
	root := new(bag)
	fill(root, 3)
	for i := 0; i < 4; i++ {
		child := new(bag)
		fill(child, i+10)
		root.refs[i] = child
	}
	runtime.GC()
	sort(root)
	println("sorted", root.items[0], root.items[N-1], "sum", checksum(&root.items))
	for i := 0; i < 4; i++ {
		sort(root.refs[i])
		println("child", i, root.refs[i].items[0], checksum(&root.refs[i].items))
	}
	g = new(grid)
	for r := 0; r < 8; r++ {
		for c := 0; c < 8; c++ {
			g.cells[r][c] = r*c - r + c
		}
	}
	diag := 0
	for i := 0; i < 8; i++ {
		diag += g.cells[i][7-i]
	}
	println("diag", diag)
}
