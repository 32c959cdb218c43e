# checked_in.cmake -- -DGEN=gosub-gen -DSEED=N [-DFAVOUR=LIST]
# -DFILE=checked-in.go -DOUT=tmp: FILE must be exactly what `gosub-gen --seed
# N [--favour LIST]` writes.
set(args --seed ${SEED})
if(FAVOUR)
  list(APPEND args --favour ${FAVOUR})
  set(SEED "${SEED} --favour ${FAVOUR}")
endif()
execute_process(COMMAND ${GEN} ${args} -o ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gosub-gen --seed ${SEED}: exit ${rc}")
endif()
file(READ ${FILE} want)
file(READ ${OUT} got)
if(NOT want STREQUAL got)
  message(FATAL_ERROR "${FILE} differs from gosub-gen --seed ${SEED}: "
    "regenerate it (gosub-gen --seed ${SEED} -o ${FILE}) and re-record "
    "what was made from it")
endif()
message(STATUS "${FILE} is gosub-gen --seed ${SEED}'s output")
