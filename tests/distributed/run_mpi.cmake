# Runs a program under mpirun and checks how it ended (ctest -P script):
#   -DMPIEXEC=... -DNP=N -DPROGRAM=... -DARGS="a;b" -DEXPECT_STATUS=zero|nonzero
#   -DEXPECT_ONCE=text   the text must appear exactly once in stdout + stderr
# Open MPI refuses to run as root unless told (OMPI_ALLOW_RUN_AS_ROOT and its
# confirmation, set by the tests' environment), and more processes than cores
# need --oversubscribe.
execute_process(COMMAND ${MPIEXEC} --oversubscribe -np ${NP} ${PROGRAM} ${ARGS}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
set(all "${out}${err}")
message("${all}")
if(status MATCHES "timeout")
  message(FATAL_ERROR "the job did not end within 60 s: it hung")
endif()
if(EXPECT_STATUS STREQUAL "zero" AND NOT status EQUAL 0)
  message(FATAL_ERROR "exit status ${status}, expected 0")
elseif(EXPECT_STATUS STREQUAL "nonzero" AND status EQUAL 0)
  message(FATAL_ERROR "exit status 0, expected a failure")
endif()
if(DEFINED EXPECT_ONCE)
  string(REPLACE "${EXPECT_ONCE}" "" rest "${all}")
  string(LENGTH "${all}" n_all)
  string(LENGTH "${rest}" n_rest)
  string(LENGTH "${EXPECT_ONCE}" n_text)
  math(EXPR times "(${n_all} - ${n_rest}) / ${n_text}")
  if(NOT times EQUAL 1)
    message(FATAL_ERROR "'${EXPECT_ONCE}' appears ${times} times, expected once")
  endif()
endif()
