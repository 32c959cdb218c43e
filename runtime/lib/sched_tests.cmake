# Tests of the runtime's scheduler half (included by CMakeLists.txt).
#
# Host (label unit): cmocka tests of the run queue and the channel state
# machine, compiled for the host from the same sources as the guest.
# Guest (label runtime): hand-written managed-ABI programs in tests/runtime/
# linked with each arch's libeprt.a and run under qemu-<arch>:
#   basic    println pieces, goroutines, unbuffered channel, Gosched; also
#            with stress preemption and in persistent mode (iters=3)
#   preempt  a goroutine spinning without calls is preempted only
#            asynchronously (stress=N); every register survives asyncPreempt
#   errors   panic, index, nil dereference (SIGSEGV), deadlock, divide,
#            shift: Go's first line and exit status 2
#   grow     recursion through ABI-3 prologues grows a stack past 1 MiB by
#            copying, GC shrinks it; also under stress preemption (GC at
#            every park), gcstress+verify, and persistent mode

everypc_unit_test(sched SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/runq.c)
target_include_directories(test_sched PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
everypc_unit_test(chan SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/chan.c
  ${CMAKE_CURRENT_SOURCE_DIR}/runq.c)
target_include_directories(test_chan PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
everypc_unit_test(rigabi SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/print.c
  ${CMAKE_CURRENT_SOURCE_DIR}/rig.c)
target_include_directories(test_rigabi PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})

set(EPRT_TESTDIR ${CMAKE_SOURCE_DIR}/tests/runtime)
set(EPRT_RUNNER ${EPRT_TESTDIR}/run_guest.sh)

# eprt_guest_prog(arch name src [defs...]) -> EPRT_PROG = the ELF path
function(eprt_guest_prog arch name src)
  set(out ${CMAKE_BINARY_DIR}/runtime/${arch}/tests/${name}.elf)
  set(lib ${CMAKE_BINARY_DIR}/runtime/${arch}/libeprt.a)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/runtime/${arch}/tests
    COMMAND ${EVERYPC_CC_${arch}} ${ARGN} -I${EPRT_TESTDIR} -static -nostdlib
            -no-pie -Wl,--build-id -o ${out} ${src} ${lib} -lgcc
    DEPENDS ${src} ${EPRT_TESTDIR}/module.h ${lib}
    COMMENT "eprt ${arch} test program ${name}"
    VERBATIM)
  set(EPRT_PROG ${out} PARENT_SCOPE)
endfunction()

function(eprt_guest_test name qemu elf expected status what)
  add_test(NAME ${name} COMMAND sh ${EPRT_RUNNER} ${qemu} ${elf} ${expected}
    ${status} ${what} ${ARGN})
  math(EXPR t "60 * ${EVERYPC_TIMEOUT_SCALE}")
  set_tests_properties(${name} PROPERTIES LABELS runtime TIMEOUT ${t})
endfunction()

foreach(arch IN LISTS EVERYPC_ARCHES)
  set(q ${EVERYPC_QEMU_BIN_${arch}})
  set(progs "")
  eprt_guest_prog(${arch} basic ${EPRT_TESTDIR}/basic_${arch}.S)
  set(basic ${EPRT_PROG})
  list(APPEND progs ${EPRT_PROG})
  eprt_guest_prog(${arch} preempt ${EPRT_TESTDIR}/preempt_${arch}.S)
  set(preempt ${EPRT_PROG})
  list(APPEND progs ${EPRT_PROG})
  set(out ${EPRT_TESTDIR}/basic.out)
  eprt_guest_test(runtime.${arch}.basic ${q} ${basic} ${out} 0 all)
  eprt_guest_test(runtime.${arch}.basic_stress ${q} ${basic} ${out} 0 all stress=300)
  eprt_guest_test(runtime.${arch}.basic_persistent ${q} ${basic} ${out} 0 all*3 iters=3)
  eprt_guest_test(runtime.${arch}.preempt ${q} ${preempt}
    ${EPRT_TESTDIR}/preempt.out 0 all stress=2000)
  eprt_guest_prog(${arch} grow ${EPRT_TESTDIR}/grow_${arch}.S)
  list(APPEND progs ${EPRT_PROG})
  set(out ${EPRT_TESTDIR}/grow.out)
  eprt_guest_test(runtime.${arch}.grow ${q} ${EPRT_PROG} ${out} 0 all)
  eprt_guest_test(runtime.${arch}.grow_stress ${q} ${EPRT_PROG} ${out} 0 all stress=200)
  eprt_guest_test(runtime.${arch}.grow_gcstress ${q} ${EPRT_PROG} ${out} 0 all gcstress,verify)
  eprt_guest_test(runtime.${arch}.grow_persistent ${q} ${EPRT_PROG} ${out} 0 all*2 iters=2,stress=300)
  foreach(n 1 2 3 4 5 6)
    eprt_guest_prog(${arch} errors${n} ${EPRT_TESTDIR}/errors_${arch}.S -DTEST=${n})
    list(APPEND progs ${EPRT_PROG})
    eprt_guest_test(runtime.${arch}.errors${n} ${q} ${EPRT_PROG}
      ${EPRT_TESTDIR}/errors.out 2 line:${n})
  endforeach()
  add_custom_target(eprt_${arch}_tests ALL DEPENDS ${progs})
  add_dependencies(eprt_${arch}_tests eprt_${arch})
endforeach()

# The real workloads (scenarios/workloads/*.go, built by scenarios/ with
# gosub into workloads/<arch>/<name>.elf; their plain run is the e2e test
# workload.<arch>.<name>) under the runtime's checking modes: stress
# preemption with a GC at every park, GC at every allocation with the heap
# verifier, and persistent mode (3 iterations, heap/goroutines/globals reset).
file(GLOB EPRT_WORKLOADS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/scenarios/workloads/*.go)
if(TARGET gosub)
  foreach(arch IN LISTS EVERYPC_ARCHES)
    set(q ${EVERYPC_QEMU_BIN_${arch}})
    foreach(src IN LISTS EPRT_WORKLOADS)
      get_filename_component(name ${src} NAME_WE)
      get_filename_component(dir ${src} DIRECTORY)
      set(elf ${CMAKE_BINARY_DIR}/workloads/${arch}/${name}.elf)
      set(out ${dir}/${name}.out)
      set(t runtime.${arch}.wl.${name})
      eprt_guest_test(${t}.stress ${q} ${elf} ${out} 0 all stress=200)
      # a period shorter than a collection under QEMU: must still finish
      # (a periodic timer once preempted and collected for ever)
      if(name STREQUAL "list")
        eprt_guest_test(${t}.stress20 ${q} ${elf} ${out} 0 all stress=20)
      endif()
      eprt_guest_test(${t}.gcstress ${q} ${elf} ${out} 0 all gcstress,verify)
      eprt_guest_test(${t}.persistent ${q} ${elf} ${out} 0 all*3 iters=3)
    endforeach()
  endforeach()
endif()
