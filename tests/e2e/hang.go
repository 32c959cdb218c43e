// hang.go -- a program whose every iteration loops for ever in main.spin:
// the rig's baseline iteration never ends, and the failure must say where
// the guest loops (tests/e2e/hang_test.sh).
package main

var total int

func spin() {
	for {
		total++
	}
}

func main() {
	spin()
}
