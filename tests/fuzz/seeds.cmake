# seeds.cmake -- cmake -DSRC=<tree> -DOUT=<dir> -P seeds.cmake
# Makes the seed corpora of the fuzz targets (tests/fuzz/CMakeLists.txt) in
# OUT/<target>/ from the tree's own inputs, plus the hand-written seeds of
# tests/fuzz/<target>/seeds/. The ELF seeds are built by the build itself.
foreach(t rsp targetxml json suite elfmeta gosub)
  file(REMOVE_RECURSE ${OUT}/${t})
  file(MAKE_DIRECTORY ${OUT}/${t})
  file(GLOB hand ${SRC}/tests/fuzz/${t}/seeds/*)
  if(hand)
    file(COPY ${hand} DESTINATION ${OUT}/${t})
  endif()
endforeach()

# JSON reader, suite and scenario loaders: the suites and recorded scenarios.
file(GLOB json ${SRC}/scenarios/*.json ${SRC}/scenarios/recorded/*.json)
file(COPY ${json} DESTINATION ${OUT}/json)
file(COPY ${json} DESTINATION ${OUT}/suite)

# gosub: the workloads and the other Go programs of the tests.
file(GLOB go ${SRC}/scenarios/workloads/*.go ${SRC}/tests/e2e/*.go
  ${SRC}/tests/runtime/*.go)
file(COPY ${go} DESTINATION ${OUT}/gosub)

# Target descriptions: per arch of tests/rsp, target.xml followed by each
# file it may include, as "\n--8<-- NAME\n" + contents (fuzz_targetxml.c).
file(GLOB archdirs LIST_DIRECTORIES true ${SRC}/tests/rsp/*)
foreach(d IN LISTS archdirs)
  if(NOT IS_DIRECTORY ${d} OR NOT EXISTS ${d}/target.xml)
    continue()
  endif()
  get_filename_component(arch ${d} NAME)
  file(READ ${d}/target.xml text)
  file(GLOB parts ${d}/*.xml)
  foreach(p IN LISTS parts)
    get_filename_component(name ${p} NAME)
    if(name STREQUAL "target.xml")
      continue()
    endif()
    file(READ ${p} part)
    string(APPEND text "\n--8<-- ${name}\n${part}")
  endforeach()
  file(WRITE ${OUT}/targetxml/${arch}.txt "${text}")
endforeach()
