# The rig on a host of another arch, proven (issue 10). Included from
# tests/CMakeLists.txt. For each arch ci/foreign-host.sh names for this
# machine (arm64 on an x86 host; riscv64 where the release ships riscv64
# packages), the CTest foreign-host.<arch> cross-builds the rig alone and
# statically for it, runs a sweep with it under QEMU user mode and requires
# the journal, JUnit and report to be byte-identical to the native rig's
# (foreign_host_test.sh says how).
#
# It needs the arch's multiarch libraries (ci/foreign-host.sh install), so
# it runs only when asked:
#   ctest -C foreign-host -L foreign-host     (ci/do test --label foreign-host)
if(NOT TARGET everypc OR NOT TARGET gosub)
  return()
endif()
execute_process(COMMAND ${CMAKE_SOURCE_DIR}/ci/foreign-host.sh arches
  OUTPUT_VARIABLE _fh_arches OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE _fh_rc)
if(NOT _fh_rc EQUAL 0)
  set(_fh_arches "")
endif()
string(REPLACE "\n" ";" _fh_arches "${_fh_arches}")
math(EXPR _fh_t "900 * ${EVERYPC_TIMEOUT_SCALE}")
foreach(arch IN LISTS _fh_arches)
  add_test(NAME foreign-host.${arch} CONFIGURATIONS foreign-host
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/foreign_host_test.sh ${arch}
            ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR} $<TARGET_FILE:everypc>
            ${CMAKE_BINARY_DIR}/foreign-host/${arch})
  set_tests_properties(foreign-host.${arch} PROPERTIES LABELS foreign-host
    TIMEOUT ${_fh_t} RUN_SERIAL TRUE)
endforeach()
