# gosub front and middle end: Go-subset source -> IR with liveness
# (runtime/compiler/front.h). Static library gosub_front and its unit tests.
set(GOSUB_FRONT_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/front.c
  ${CMAKE_CURRENT_LIST_DIR}/arena.c
  ${CMAKE_CURRENT_LIST_DIR}/diag.c
  ${CMAKE_CURRENT_LIST_DIR}/lex.c
  ${CMAKE_CURRENT_LIST_DIR}/parse.c
  ${CMAKE_CURRENT_LIST_DIR}/parse_expr.c
  ${CMAKE_CURRENT_LIST_DIR}/parse_stmt.c
  ${CMAKE_CURRENT_LIST_DIR}/check.c
  ${CMAKE_CURRENT_LIST_DIR}/check_scope.c
  ${CMAKE_CURRENT_LIST_DIR}/check_type.c
  ${CMAKE_CURRENT_LIST_DIR}/check_const.c
  ${CMAKE_CURRENT_LIST_DIR}/check_expr.c
  ${CMAKE_CURRENT_LIST_DIR}/check_call.c
  ${CMAKE_CURRENT_LIST_DIR}/check_stmt.c
  ${CMAKE_CURRENT_LIST_DIR}/escape.c
  ${CMAKE_CURRENT_LIST_DIR}/lower.c
  ${CMAKE_CURRENT_LIST_DIR}/lower_emit.c
  ${CMAKE_CURRENT_LIST_DIR}/lower_var.c
  ${CMAKE_CURRENT_LIST_DIR}/lower_expr.c
  ${CMAKE_CURRENT_LIST_DIR}/lower_call.c
  ${CMAKE_CURRENT_LIST_DIR}/lower_stmt.c
  ${CMAKE_CURRENT_LIST_DIR}/frame.c
  ${CMAKE_CURRENT_LIST_DIR}/live.c)
add_library(gosub_front STATIC ${GOSUB_FRONT_SOURCES})
target_link_libraries(gosub_front PUBLIC gosub_ir)
target_include_directories(gosub_front PUBLIC
  ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_SOURCE_DIR}/runtime/include/everypc)

if(TARGET PkgConfig::CMOCKA)
  foreach(t lex parse check lower live front)
    if(EXISTS ${CMAKE_SOURCE_DIR}/tests/unit/test_${t}.c)
      everypc_unit_test(${t} SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/front_util.c
        LIBS gosub_front)
    endif()
  endforeach()
endif()
