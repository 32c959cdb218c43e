# Debug-call injection tests (issue 5), included by runtime/lib/CMakeLists.txt.
#
# Host (label unit): test_debugcall -- the rig's protocol state machine
# (rig/debugcall.c) against the scripted fake stub.
# Guest (label runtime): dcall_guest drives real QEMU over a session on
# tests/runtime/dcall.go built by gosub per arch: injections at a safe PC,
# an unsafe PC, a runtime stub and runtime C code, and one whose function
# collects and grows its stack. The same program linked against each
# debug-call mutant must fail exactly the cases that catch its bug
# (DCALL_CATCH_<mutant>, passed as expect-fail=...).
set(DCALL_CATCH_debugcall-same-goroutine gc-deep,repeat)
set(DCALL_CATCH_debugcall-no-freeze safe,wake,gc-deep,no-panic,panic,repeat)
set(DCALL_CATCH_debugcall-accept-unsafe unsafe)

everypc_unit_test(debugcall SOURCES ${CMAKE_SOURCE_DIR}/rig/debugcall.c
  ${CMAKE_SOURCE_DIR}/tests/unit/fakestub.c LIBS everypc_rsp)

if(TARGET gosub)
  add_executable(dcall_guest ${CMAKE_SOURCE_DIR}/tests/runtime/dcall_guest.c
    ${CMAKE_SOURCE_DIR}/rig/debugcall.c ${CMAKE_SOURCE_DIR}/rig/session.c)
  target_include_directories(dcall_guest PRIVATE ${CMAKE_SOURCE_DIR}/rig
    ${CMAKE_SOURCE_DIR}/runtime/include)
  target_link_libraries(dcall_guest PRIVATE everypc_core everypc_rsp
    everypc_meta)

  set(dcsrc ${CMAKE_SOURCE_DIR}/tests/runtime/dcall.go)
  set(dcout ${CMAKE_SOURCE_DIR}/tests/runtime/dcall.out)
  math(EXPR dct "180 * ${EVERYPC_TIMEOUT_SCALE}")
  foreach(arch IN LISTS EVERYPC_ARCHES)
    set(dir ${CMAKE_BINARY_DIR}/runtime/${arch}/tests)
    set(elfs "")
    foreach(variant base ${EVERYPC_DEBUGCALL_MUTANTS})
      if(variant STREQUAL base)
        set(elf ${dir}/dcall.elf)
        set(mflag "")
        set(lib eprt_${arch} ${CMAKE_BINARY_DIR}/runtime/${arch}/libeprt.a)
      else()
        set(elf ${dir}/dcall-${variant}.elf)
        set(mflag -mutant ${variant})
        set(lib eprt_${arch}_mutants
          ${CMAKE_BINARY_DIR}/runtime/${arch}/libeprt-${variant}.a)
      endif()
      add_custom_command(OUTPUT ${elf}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
        COMMAND $<TARGET_FILE:gosub> -arch ${arch} ${mflag} -o ${elf} ${dcsrc}
        DEPENDS gosub ${lib} ${dcsrc}
        COMMENT "gosub ${arch} dcall ${variant}"
        VERBATIM)
      list(APPEND elfs ${elf})
      if(variant STREQUAL base)
        set(tname runtime.dcall.${arch})
      else()
        set(tname runtime.dcall.${arch}.mutant.${variant})
      endif()
      set(expect "")
      set(labels runtime)
      if(NOT variant STREQUAL base)
        set(expect expect-fail=${DCALL_CATCH_${variant}})
        set(labels "runtime;mutant")
      endif()
      add_test(NAME ${tname} COMMAND dcall_guest ${EVERYPC_QEMU_BIN_${arch}}
        ${elf} ${arch} ${dcout} ${expect} panic-hook)
      set_tests_properties(${tname} PROPERTIES LABELS "${labels}"
        TIMEOUT ${dct})
    endforeach()
    add_custom_target(dcall_${arch} ALL DEPENDS ${elfs} dcall_guest)
  endforeach()
endif()
