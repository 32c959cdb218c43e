# run_guest.cmake -- one back-end guest test (CTest, label gosub):
#   cmake -DARCH= -DGEN= -DCC= -DQEMU= -DSUPPORT= -DWORK= [-DPROG=all] -P
#   cmake -DARCH= -DGOSUB= -DSRC=W.go -DCC= -DQEMU= -DSUPPORT= -DWORK= -P
# generates PROG's assembly with gosub_guestgen (or compiles the workload
# W.go with gosub -S, expecting W.out; no real runtime: GC is a no-op and
# there are no goroutines), assembles it with -g,
# links it with the test guest support (support.c, support_ARCH.S) into
# WORK/PROG.elf (also the fixture of the elfmeta tests), runs it under QEMU
# and compares stdout with the expected output; the first differing line is
# reported with its IR case description.
if(SRC)
  get_filename_component(PROG ${SRC} NAME_WE)
elseif(NOT PROG)
  set(PROG all)
endif()
file(MAKE_DIRECTORY ${WORK})
set(base ${WORK}/${PROG})

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}${err}")
  endif()
endfunction()

if(SRC)
  get_filename_component(dir ${SRC} DIRECTORY)
  step(compile ${GOSUB} -arch ${ARCH} -S -o ${base}.s ${SRC})
  configure_file(${dir}/${PROG}.out ${base}.expected COPYONLY)
  file(WRITE ${base}.cases "")
else()
  step(generate ${GEN} ${ARCH} ${PROG} ${base}.s ${base}.expected ${base}.cases)
endif()
step(assemble ${CC} -g -c ${base}.s -o ${base}.o)
set(relax "")
if(ARCH STREQUAL "riscv64")
  set(relax -mno-relax) # _start does not set up gp
endif()
step("compile support" ${CC} -O2 -g -ffreestanding -fno-stack-protector -fno-pic
  -fno-tree-loop-distribute-patterns ${relax} -I${SUPPORT}/../../runtime/include
  -c ${SUPPORT}/support.c -o ${base}.support.o)
step("assemble support" ${CC} -c ${SUPPORT}/support_${ARCH}.S -o ${base}.support_s.o)
step(link ${CC} -static -nostdlib -no-pie -Wl,--build-id -o ${base}.elf
  ${base}.o ${base}.support.o ${base}.support_s.o -lgcc)

execute_process(COMMAND ${QEMU} ${base}.elf RESULT_VARIABLE rc
  OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 100)
file(WRITE ${base}.out "${out}")
file(READ ${base}.expected want)
if(NOT out STREQUAL want)
  string(REPLACE "\n" ";" got_lines "${out}")
  string(REPLACE "\n" ";" want_lines "${want}")
  file(STRINGS ${base}.cases cases)
  list(LENGTH want_lines n)
  set(i 0)
  while(i LESS n)
    list(GET want_lines ${i} w)
    list(LENGTH got_lines gn)
    set(g "<missing>")
    if(i LESS gn)
      list(GET got_lines ${i} g)
    endif()
    if(NOT g STREQUAL w)
      set(c "")
      list(LENGTH cases nc)
      if(i LESS nc)
        list(GET cases ${i} c)
      endif()
      math(EXPR line "${i} + 1")
      message(FATAL_ERROR "${ARCH}: output line ${line}: got '${g}', want '${w}' (${c}); exit ${rc}\n${err}")
    endif()
    math(EXPR i "${i} + 1")
  endwhile()
  message(FATAL_ERROR "${ARCH}: extra output after the expected end; exit ${rc}\n${err}")
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${ARCH}: exit status ${rc}\n${err}")
endif()
message(STATUS "${ARCH}: ${PROG} ok")
