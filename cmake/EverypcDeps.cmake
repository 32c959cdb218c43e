# Host libraries. Each missing one is named with the Debian package that
# provides it (ci/do installs them all).
find_package(PkgConfig REQUIRED)
include(EverypcForeignHost)  # EVERYPC_RIG_ONLY, EVERYPC_STATIC

function(everypc_require_pkg var module debpkg)
  pkg_check_modules(${var} QUIET IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "everypc: ${module} not found: install the Debian package ${debpkg} (ci/do installs it)")
  endif()
endfunction()

everypc_require_pkg(LIBELF libelf libelf-dev)
everypc_require_pkg(LIBDW libdw libdw-dev)
everypc_require_pkg(EXPAT expat libexpat1-dev)
if(NOT EVERYPC_RIG_ONLY)  # the tests'
  everypc_require_pkg(CMOCKA cmocka libcmocka-dev)
endif()
# No JSON library: suites, scenarios and journals are read by rig/json.c,
# which gives the line and column each error message names (and is fuzzed:
# tests/fuzz/fuzz_json.c); jansson was required here once but never linked.
