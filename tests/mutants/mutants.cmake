# Mutation matrix, stress comparison and recorded-scenario replays (issue
# 6). Included from tests/CMakeLists.txt; needs the rig (everypc), gosub,
# the runtime with its mutant variants (EVERYPC_MUTANTS, the preemption
# and GC mutants; EVERYPC_GC_MUTANTS, the incremental collector's, caught
# by the mid-cycle actions (RIG-8); EVERYPC_DEBUGCALL_MUTANTS, the debug-call ones), gosub's
# own mutants (EVERYPC_GOSUB_MUTANTS, runtime/compiler) and QEMU per arch.
#
#   mutants.reduced        every mutant x arch caught by scenarios/mutants.json
#                          (one catching sweep per mutant): default CTest run
#   mutants.matrix         every mutant x arch caught by the whole default
#                          suite, and the correct runtime passing it
#   mutants.stress         the same mutants by chance: every one under the
#                          runtime's timer-driven stress mode, and the
#                          debug-call ones also under `everypc chance`
#                          (a measurement, never fails)
#   mutants.generated      every mutant caught by generated programs alone
#                          (scenarios/mutants-generated.json), only with
#                          ctest -C generated
#   replay.<m>             scenarios/recorded/<m>.json fails identically
#   replay.<m>.correct     scenarios/recorded/<m>.correct.json passes
#
# mutants.matrix and mutants.stress take minutes: they run only when asked,
#   ctest -C mutants -L mutants        (ci/do test --label mutants)
# Tables: <build>/mutants/{reduced,matrix,stress}.md, also printed.
if(NOT TARGET everypc OR NOT TARGET gosub OR NOT EVERYPC_MUTANTS)
  message(STATUS "everypc: mutation tests skipped (rig, gosub or mutants missing)")
  return()
endif()

set(_mut_dir ${CMAKE_SOURCE_DIR}/tests/mutants)
set(_mut_out ${CMAKE_BINARY_DIR}/mutants)
set(_mut_all ${EVERYPC_MUTANTS} ${EVERYPC_GC_MUTANTS}
  ${EVERYPC_DEBUGCALL_MUTANTS} ${EVERYPC_GOSUB_MUTANTS})
string(REPLACE ";" " " _mut_list "${_mut_all}")
string(REPLACE ";" " " _mut_dc "${EVERYPC_DEBUGCALL_MUTANTS}")
# the mutants that bend only a marking cycle: stress runs them with the
# incremental collector
string(REPLACE ";" " " _mut_gc "${EVERYPC_GC_MUTANTS};wb-escaped-skip")
string(REPLACE ";" " " _mut_arches "${EVERYPC_ARCHES}")

# The oracle each mutant's catching sweep must fail first (MTX-4; the
# table in docs/mechanisms.md): a mutant planted for an oracle shows that
# oracle's power only if no other catches it before.
set(_mut_expect
  no-register-scan=liveness precise-inner-frame=liveness
  shrink-while-async=shrink accept-unsafe-points=verdict
  cbuf-as-precise=throw no-global-scan=baseline
  stackobj-unadjusted=stackptr stackobj-not-transitive=liveness
  short-prologue-range=metadata wb-range-unmarked=metadata
  wb-frame-taken=metadata
  wb-insertion-only=tricolour alloc-white=tricolour wb-escaped-skip=tricolour
  debugcall-same-goroutine=shrink
  debugcall-no-freeze=freeze debugcall-accept-unsafe=inject)
string(REPLACE ";" " " _mut_expect "${_mut_expect}")
add_test(NAME mutants.reduced
  COMMAND ${_mut_dir}/matrix.sh --everypc $<TARGET_FILE:everypc>
          --combined ${CMAKE_SOURCE_DIR}/scenarios/mutants.json
          --mutants ${_mut_list} --arches ${_mut_arches} --jobs 2
          --expect ${_mut_expect}
          --out ${_mut_out}/reduced --table ${_mut_out}/reduced.md)
math(EXPR _t "600 * ${EVERYPC_TIMEOUT_SCALE}")
set_tests_properties(mutants.reduced PROPERTIES LABELS "mutants;mutants-reduced"
  TIMEOUT ${_t} RUN_SERIAL TRUE)

# Every mutant caught by generated programs alone (issue 13):
# scenarios/mutants-generated.json sweeps gosub-gen --seed 1's program
# (--favour conservative for cbuf-as-precise, --favour barrier for
# wb-insertion-only and wb-escaped-skip: a node unlinked from a global
# list, an escaped local's object moved to a global, while a cycle marks).
# The table is <build>/mutants/generated.md. Only when asked:
#   ctest -C generated -R mutants.generated
set(_mut_gen ${_mut_all})
string(REPLACE ";" " " _mut_gen "${_mut_gen}")
add_test(NAME mutants.generated CONFIGURATIONS generated
  COMMAND ${_mut_dir}/matrix.sh --everypc $<TARGET_FILE:everypc>
          --combined ${CMAKE_SOURCE_DIR}/scenarios/mutants-generated.json
          --mutants ${_mut_gen} --arches ${_mut_arches} --jobs 2
          --out ${_mut_out}/generated --table ${_mut_out}/generated.md)
set_tests_properties(mutants.generated PROPERTIES LABELS "generated"
  TIMEOUT ${_t} RUN_SERIAL TRUE)

add_test(NAME mutants.matrix CONFIGURATIONS mutants
  COMMAND ${_mut_dir}/matrix.sh --everypc $<TARGET_FILE:everypc>
          --suite ${CMAKE_SOURCE_DIR}/scenarios/default.json --control
          --mutants ${_mut_list} --arches ${_mut_arches} --jobs 2
          --out ${_mut_out}/matrix --table ${_mut_out}/matrix.md)
math(EXPR _t "5400 * ${EVERYPC_TIMEOUT_SCALE}")
set_tests_properties(mutants.matrix PROPERTIES LABELS "mutants"
  TIMEOUT ${_t} RUN_SERIAL TRUE)

set(_mut_qemu "")
foreach(arch IN LISTS EVERYPC_ARCHES)
  list(APPEND _mut_qemu --qemu-${arch} ${EVERYPC_QEMU_BIN_${arch}})
endforeach()
add_test(NAME mutants.stress CONFIGURATIONS mutants
  COMMAND ${_mut_dir}/stress.sh --gosub $<TARGET_FILE:gosub>
          --suite ${CMAKE_SOURCE_DIR}/scenarios/default.json
          --mutants ${_mut_list} --arches ${_mut_arches} ${_mut_qemu}
          --runs 20 --period 100
          --everypc $<TARGET_FILE:everypc> --dc-mutants ${_mut_dc}
          --gc-mutants ${_mut_gc}
          --chance ${CMAKE_SOURCE_DIR}/scenarios/workloads/inject.go
          --chance-inject "main.churn(30)"
          --out ${_mut_out}/stress --table ${_mut_out}/stress.md)
math(EXPR _t "3600 * ${EVERYPC_TIMEOUT_SCALE}")
set_tests_properties(mutants.stress PROPERTIES LABELS "mutants;stress"
  TIMEOUT ${_t} RUN_SERIAL TRUE)

file(GLOB _mut_recorded CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/scenarios/recorded/*.json)
foreach(f IN LISTS _mut_recorded)
  get_filename_component(n ${f} NAME_WE)
  get_filename_component(full ${f} NAME)
  if(full MATCHES "\\.correct\\.json$")
    set(name replay.${n}.correct)
    set(mode correct)
  else()
    set(name replay.${n})
    set(mode identical)
  endif()
  add_test(NAME ${name}
    COMMAND ${_mut_dir}/replay.sh $<TARGET_FILE:everypc> ${f} ${mode})
  # a short scratch directory per test: QEMU's socket path under it must
  # stay within 106 bytes however deep the build directory is (LAUNCH-1)
  string(MD5 _h ${name})
  string(SUBSTRING ${_h} 0 8 _h)
  file(MAKE_DIRECTORY ${_mut_out}/t/${_h})
  math(EXPR _t "120 * ${EVERYPC_TIMEOUT_SCALE}")
  set_tests_properties(${name} PROPERTIES LABELS "e2e;replay" TIMEOUT ${_t}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    ENVIRONMENT "TMPDIR=${_mut_out}/t/${_h}")
endforeach()
