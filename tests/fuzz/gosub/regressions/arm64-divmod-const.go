// Issue 10: gosub's arm64 back end, divmod(), read R(in->b) before it
// tested in->bimm: for x % CONST and x / CONST it indexed the register-name
// table at -1 (UBSan: index -1 out of bounds for type 'const char
// *const[32]'). Fixed in 9a0f795.
package main

func main() {
	x := 7
	println(x%3, x/3)
}
