# cmake -DSRC=DIR -DOUT=FILE -P EverypcCommit.cmake
# Writes OUT, everypc_commit.h: #define EVERYPC_COMMIT "<12 hex>[-dirty]"
# of the checkout SRC, or "unknown" (no git, or not a git checkout: a
# tarball builds too). Run at every build; OUT changes only when the commit
# does, so nothing is rebuilt otherwise.
set(commit unknown)
find_package(Git QUIET)
if(GIT_FOUND)
  # SRC itself the top of a checkout, not a tarball unpacked inside another
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SRC} rev-parse --show-toplevel
    OUTPUT_VARIABLE top OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE rc ERROR_QUIET)
  get_filename_component(src_real ${SRC} REALPATH)
  if(rc EQUAL 0 AND top)
    get_filename_component(top ${top} REALPATH)
  endif()
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SRC} rev-parse --short=12 HEAD
    OUTPUT_VARIABLE head OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE rc2 ERROR_QUIET)
  if(rc EQUAL 0 AND rc2 EQUAL 0 AND head AND top STREQUAL src_real)
    set(commit ${head})
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SRC} diff --quiet HEAD --
      RESULT_VARIABLE dirty ERROR_QUIET)
    if(NOT dirty EQUAL 0)
      set(commit ${commit}-dirty)
    endif()
  endif()
endif()
set(text "#define EVERYPC_COMMIT \"${commit}\"\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUT} "${text}")
endif()
