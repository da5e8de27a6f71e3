# training_step refuses bad options with a message and exit status 2 before any
# work, and --help exits 0. Run by ctest (benchmark_refusals):
#   cmake -DPROGRAM=<training_step> -DWORK_DIR=<folder> -P check_refusals.cmake
set(cases
  "--sizes|S4"
  "--sizes|S1,S9"
  "--implementations|numpy"
  "--repetitions|0"
  "--repetitions|many"
  "--no-such-option"
  "--json|${WORK_DIR}/no-such-folder/out.json")
foreach(case IN LISTS cases)
  string(REPLACE "|" ";" args "${case}")
  execute_process(COMMAND ${PROGRAM} ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "training_step ${args}: exit status ${rc}, expected 2\n${out}${err}")
  endif()
  if(err STREQUAL "")
    message(FATAL_ERROR "training_step ${args}: no message on stderr")
  endif()
  if(out MATCHES "microseconds per step")
    message(FATAL_ERROR "training_step ${args}: ran the benchmark before refusing")
  endif()
endforeach()
execute_process(COMMAND ${PROGRAM} --help RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "--smoke" OR NOT out MATCHES "--json")
  message(FATAL_ERROR "training_step --help: exit status ${rc}\n${out}${err}")
endif()
