# gosub back ends (amd64, arm64, riscv64), metadata emission, the driver
# (build/gosub) and their tests, with those of the ELF metadata reader
# (runtime/meta, library everypc_meta).
# Included from runtime/compiler/CMakeLists.txt after front.cmake.

set(GOSUB_DIR ${CMAKE_CURRENT_LIST_DIR})

# One back end per arch, the same file name in each arch folder.
add_library(gosub_back STATIC
  ${GOSUB_DIR}/emit.c ${GOSUB_DIR}/mlive.c ${GOSUB_DIR}/arch/amd64/back.c
  ${GOSUB_DIR}/arch/arm64/back.c ${GOSUB_DIR}/arch/riscv64/back.c)
target_include_directories(gosub_back PUBLIC
  ${GOSUB_DIR} ${CMAKE_SOURCE_DIR}/runtime/include)
target_link_libraries(gosub_back PUBLIC gosub_ir)

# didyoumean.c (the rig's): "did you mean" for a misspelt -mutant;
# selfdir.c (the rig's): the runtime libraries found beside the executable
add_executable(gosub ${GOSUB_DIR}/main.c ${CMAKE_SOURCE_DIR}/rig/didyoumean.c
  ${CMAKE_SOURCE_DIR}/rig/selfdir.c)
target_include_directories(gosub PRIVATE ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR}/rig)
set_target_properties(gosub PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
install(TARGETS gosub RUNTIME DESTINATION ${EVERYPC_INSTALL_BINDIR})
target_link_libraries(gosub PRIVATE gosub_back everypc_meta)
target_link_libraries(gosub PRIVATE gosub_front)

# ---- tests ----------------------------------------------------------------
# Hand-built IR programs (tests/guest/irprogs.c) emitted by gosub_guestgen,
# assembled with the guest support file and run under QEMU for every arch.
add_executable(gosub_guestgen
  ${CMAKE_SOURCE_DIR}/tests/guest/guestgen.c
  ${CMAKE_SOURCE_DIR}/tests/guest/irprogs.c)
target_include_directories(gosub_guestgen PRIVATE ${CMAKE_SOURCE_DIR}/tests/guest)
target_link_libraries(gosub_guestgen PRIVATE gosub_back)

everypc_unit_test(emit
  SOURCES ${CMAKE_SOURCE_DIR}/tests/guest/irprogs.c
  LIBS gosub_back)
target_include_directories(test_emit PRIVATE ${CMAKE_SOURCE_DIR}/tests/guest)
set_property(TEST unit.emit APPEND PROPERTY LABELS gosub)

add_executable(test_elfmeta ${CMAKE_SOURCE_DIR}/tests/unit/test_elfmeta.c)
target_link_libraries(test_elfmeta PRIVATE everypc_meta gosub_back PkgConfig::CMOCKA)

math(EXPR gosub_guest_timeout "120 * ${EVERYPC_TIMEOUT_SCALE}")
foreach(arch IN LISTS EVERYPC_ARCHES)
  set(work ${CMAKE_BINARY_DIR}/tests/guest/${arch})
  add_test(NAME gosub.backend.${arch}
    COMMAND ${CMAKE_COMMAND}
      -DARCH=${arch} -DGEN=$<TARGET_FILE:gosub_guestgen>
      -DCC=${EVERYPC_CC_${arch}} -DQEMU=${EVERYPC_QEMU_BIN_${arch}}
      -DSUPPORT=${CMAKE_SOURCE_DIR}/tests/guest -DWORK=${work}
      -P ${CMAKE_SOURCE_DIR}/tests/guest/run_guest.cmake)
  set_tests_properties(gosub.backend.${arch} PROPERTIES
    LABELS gosub TIMEOUT ${gosub_guest_timeout}
    FIXTURES_SETUP gosub_elf_${arch})
  # (a) reader on the built ELF and on corrupted copies, (c) consistency.
  add_test(NAME gosub.elfmeta.${arch}
    COMMAND test_elfmeta ${work}/all.elf)
  set_tests_properties(gosub.elfmeta.${arch} PROPERTIES
    LABELS gosub TIMEOUT ${gosub_guest_timeout}
    FIXTURES_REQUIRED gosub_elf_${arch})
  add_test(NAME gosub.dumpmeta.${arch}
    COMMAND gosub -dump-meta ${work}/all.elf)
  set_tests_properties(gosub.dumpmeta.${arch} PROPERTIES
    LABELS gosub FIXTURES_REQUIRED gosub_elf_${arch}
    PASS_REGULAR_EXPRESSION "oracle .* regs:")
endforeach()

# Workloads through the whole compiler, run on the test guest support (no
# GC, no goroutines: workloads using channels are left to the runtime's
# tests): a differential test of front and back ends against `go run`.
file(GLOB gosub_workloads ${CMAKE_SOURCE_DIR}/scenarios/workloads/*.go)
foreach(arch IN LISTS EVERYPC_ARCHES)
  foreach(src IN LISTS gosub_workloads)
    get_filename_component(w ${src} NAME_WE)
    file(READ ${src} text)
    if(text MATCHES "chan int" OR text MATCHES "go [a-zA-Z_]+\\(")
      continue()
    endif()
    add_test(NAME gosub.workload.${arch}.${w}
      COMMAND ${CMAKE_COMMAND}
        -DARCH=${arch} -DGOSUB=$<TARGET_FILE:gosub> -DSRC=${src}
        -DCC=${EVERYPC_CC_${arch}} -DQEMU=${EVERYPC_QEMU_BIN_${arch}}
        -DSUPPORT=${CMAKE_SOURCE_DIR}/tests/guest
        -DWORK=${CMAKE_BINARY_DIR}/tests/guest/${arch}
        -P ${CMAKE_SOURCE_DIR}/tests/guest/run_guest.cmake)
    set_tests_properties(gosub.workload.${arch}.${w} PROPERTIES
      LABELS gosub TIMEOUT ${gosub_guest_timeout})
  endforeach()
endforeach()
