// chans: goroutines and channels -- a pipeline over unbuffered channels,
// a buffered work queue with several workers, and Gosched hand-offs.
package main

import "runtime"

type msg struct {
	id   int
	data *int
}

var results [8]int

func gen(out chan int, n int) {
	for i := 1; i <= n; i++ {
		out <- i
	}
	out <- -1
}

func square(in chan int, out chan int) {
	for {
		v := <-in
		if v < 0 {
			out <- v
			return
		}
		out <- v * v
	}
}

func worker(id int, jobs chan int, done chan int) {
	sum := 0
	for {
		j := <-jobs
		if j < 0 {
			break
		}
		m := new(msg)
		m.id = j
		m.data = new(int)
		*m.data = j * j
		sum += *m.data
		runtime.Gosched()
	}
	results[id] = sum
	done <- id
}

func main() {
	a := make(chan int)
	b := make(chan int)
	go gen(a, 20)
	go square(a, b)
	total := 0
	for {
		v := <-b
		if v < 0 {
			break
		}
		total += v
	}
	println("pipeline", total)

	jobs := make(chan int, 4)
	done := make(chan int)
	for w := 1; w <= 3; w++ {
		go worker(w, jobs, done)
	}
	for j := 0; j < 30; j++ {
		jobs <- j
	}
	for w := 0; w < 3; w++ {
		jobs <- -1
	}
	finished := 0
	for finished < 3 {
		<-done
		finished++
	}
	runtime.GC()
	println("workers", results[1]+results[2]+results[3])
}
