# checked_in.cmake -- -DGEN=gosub-gen -DSEED=N -DFILE=checked-in.go -DOUT=tmp:
# FILE must be exactly what `gosub-gen --seed N` writes.
execute_process(COMMAND ${GEN} --seed ${SEED} -o ${OUT} RESULT_VARIABLE rc)
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
