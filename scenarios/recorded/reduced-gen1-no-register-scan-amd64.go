// Reduced by everypc reduce from gen1.go (scenario reduced-gen1-no-register-scan-amd64.json).
// Keeps: amd64 main.press0 preempt-gc hit 1, mutant no-register-scan, failing liveness at: p0 := mkS2(k + 61)
package main
func mix(h int, v int) int {
	return h*31 + v
}
type S2 struct {
}
func mkS2(k int) *S2 {
	t := new(S2)
	return t
}
func press0(k int) int {
	s := k
	p0 := mkS2(k + 61)
	_ = p0
	return s
}
func main() {
	d := 758
	d = mix(d, press0(71))
}
