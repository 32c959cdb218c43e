// Issue 10: gosub's arm64 back end, divmod() in runtime/compiler/arm64.c,
// reads R(in->b) before it tests in->bimm: for x % CONST and x / CONST it
// indexes the register-name table at -1 (UBSan: index -1 out of bounds for
// type 'const char *const[32]'). Move to ../regressions/ with the fix.
package main

func main() {
	x := 7
	println(x%3, x/3)
}
