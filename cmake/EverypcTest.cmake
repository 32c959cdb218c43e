# everypc_unit_test(NAME SOURCES src... [LIBS lib...] [TIMEOUT s])
# One cmocka test program per module: tests/unit/test_NAME.c plus SOURCES,
# run by CTest under the label "unit".
function(everypc_unit_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 60)
  endif()
  add_executable(test_${name} ${CMAKE_SOURCE_DIR}/tests/unit/test_${name}.c ${T_SOURCES})
  target_include_directories(test_${name} PRIVATE
    ${CMAKE_SOURCE_DIR}/runtime/include ${CMAKE_SOURCE_DIR}/runtime/compiler
    ${CMAKE_SOURCE_DIR}/rig)
  target_link_libraries(test_${name} PRIVATE PkgConfig::CMOCKA ${T_LIBS})
  add_test(NAME unit.${name} COMMAND test_${name})
  math(EXPR t "${T_TIMEOUT} * ${EVERYPC_TIMEOUT_SCALE}")
  set_tests_properties(unit.${name} PROPERTIES LABELS unit TIMEOUT ${t})
endfunction()
