# The rig on a host that is not the development machine (issue 10): built
# alone, linked statically, cross-built. Included by EverypcDeps.cmake
# before any library is looked up.
#
#   EVERYPC_RIG_ONLY  build the rig (everypc) alone, with the metadata
#                     reader it links (runtime/meta): no gosub, runtime,
#                     workloads or tests, so no guest cross compiler, QEMU
#                     or test library is needed to configure. The rig finds
#                     gosub, the runtime and the source tree at run time
#                     (rig/paths.h): nothing of the build tree is compiled in.
#   EVERYPC_STATIC    link the rig statically: libdw, libelf, expat and their
#                     own dependencies from their .a files (pkg-config
#                     --static), glibc's libc.a. QEMU 7.2 user mode hangs at
#                     fork in a dynamically linked aarch64 program; a static
#                     one runs.
#
# Cross-building the rig, e.g. for an arm64 host, with Debian's multiarch
# libraries (libdw-dev:arm64 ...; ci/foreign-host.sh install) and the
# toolchain file of the triple:
#   cmake -S . -B build-arm64 -DEVERYPC_RIG_ONLY=ON -DEVERYPC_STATIC=ON \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/cross/aarch64-linux-gnu.cmake
# The CTest foreign-host.arm64 (label foreign-host, tests/foreign-host/)
# does that and compares the cross-built rig's sweep with the native one's.
option(EVERYPC_RIG_ONLY "build the rig alone (no guest toolchains, no tests)" OFF)
option(EVERYPC_STATIC "link the rig statically" OFF)

# Static: the libraries pkg-config names resolve to their .a files (the
# imported targets of EverypcDeps.cmake, which comes next, included).
if(EVERYPC_STATIC)
  set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
endif()

# everypc_static_link(TARGET PKGVAR...): with EVERYPC_STATIC, link TARGET
# with -static and, last on its command line, the static link flags of the
# pkg_check_modules results PKGVAR... (their private dependencies too).
function(everypc_static_link target)
  if(NOT EVERYPC_STATIC)
    return()
  endif()
  set(flags "")
  foreach(var IN LISTS ARGN)
    list(APPEND flags ${${var}_STATIC_LDFLAGS})
  endforeach()
  target_link_options(${target} PRIVATE -static)
  target_link_libraries(${target} PRIVATE ${flags})
endfunction()

# everypc_rig_only(): called by the top-level CMakeLists.txt before any
# other directory but runtime/meta (the metadata reader the rig links); with
# EVERYPC_RIG_ONLY, adds rig/ alone and ends the top-level file there (a
# macro: its return() is the caller's).
macro(everypc_rig_only)
  if(EVERYPC_RIG_ONLY)
    add_subdirectory(${CMAKE_SOURCE_DIR}/rig ${CMAKE_BINARY_DIR}/rig)
    return()
  endif()
endmacro()
