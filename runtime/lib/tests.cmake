# Host cmocka tests of the runtime's memory half (heap.c gc.c stack.c
# unwind.c compiled for the host with RT_HOSTED=1; the scheduler half's
# functions come from tests/unit/test_heap_support.c). Included by
# runtime/lib/CMakeLists.txt.
#
# Each test module is also built once per memory-half mutant that it is
# meant to catch, registered as unit.<module>.mutant.<m> with WILL_FAIL: the
# test proves it notices the planted bug.

set(EPMEM_SRCS
  ${CMAKE_CURRENT_SOURCE_DIR}/heap.c ${CMAKE_CURRENT_SOURCE_DIR}/gc.c
  ${CMAKE_CURRENT_SOURCE_DIR}/stack.c ${CMAKE_CURRENT_SOURCE_DIR}/unwind.c
  ${CMAKE_SOURCE_DIR}/tests/unit/test_heap_support.c)

# epmem_test(module [DEFS defs...]): unit.<module> from test_<module>.c
function(epmem_test module)
  cmake_parse_arguments(T "" "" "DEFS" ${ARGN})
  everypc_unit_test(${module} SOURCES ${EPMEM_SRCS})
  target_include_directories(test_${module} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_definitions(test_${module} PRIVATE RT_HOSTED=1 ${T_DEFS})
endfunction()

# epmem_mutant_test(module mutant [DEFS ...]): the same test against a mutant
function(epmem_mutant_test module mutant)
  cmake_parse_arguments(T "" "" "DEFS" ${ARGN})
  string(TOUPPER ${mutant} M)
  string(REPLACE "-" "_" M ${M})
  set(exe test_${module}_m_${M})
  add_executable(${exe} ${CMAKE_SOURCE_DIR}/tests/unit/test_${module}.c ${EPMEM_SRCS})
  target_include_directories(${exe} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}
    ${CMAKE_SOURCE_DIR}/runtime/include)
  target_compile_definitions(${exe} PRIVATE RT_HOSTED=1 EP_MUTANT_${M} ${T_DEFS})
  target_link_libraries(${exe} PRIVATE PkgConfig::CMOCKA)
  add_test(NAME unit.${module}.mutant.${mutant} COMMAND ${exe})
  math(EXPR t "60 * ${EVERYPC_TIMEOUT_SCALE}")
  set_tests_properties(unit.${module}.mutant.${mutant} PROPERTIES
    LABELS "unit;mutant" WILL_FAIL TRUE TIMEOUT ${t})
endfunction()

epmem_test(heap)
epmem_test(findobject)
epmem_test(bitmap)
epmem_test(stackobj)
epmem_test(adjust)
epmem_test(gc)
epmem_test(gcinc)

# The same stack-copy tests with a link-register machine's frame layout.
everypc_unit_test(adjust_lr SOURCES ${EPMEM_SRCS})
target_include_directories(test_adjust_lr PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(test_adjust_lr PRIVATE RT_HOSTED=1 TH_ARCH_LR=1)

epmem_mutant_test(gc no-register-scan)
epmem_mutant_test(gc precise-inner-frame)
epmem_mutant_test(stackobj cbuf-as-precise)
epmem_mutant_test(adjust shrink-while-async)
epmem_mutant_test(adjust stackobj-unadjusted)
epmem_mutant_test(stackobj stackobj-not-transitive)
# incremental marking (gcinternal.h GCI-4..11): the barrier without its
# deletion half, and objects allocated white while a cycle marks
epmem_mutant_test(gcinc wb-insertion-only)
epmem_mutant_test(gcinc alloc-white)
