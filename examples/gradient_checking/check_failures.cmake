# gradient_checking must refuse, with a message and a non-zero exit, what it cannot do:
#   cmake -DPROGRAM=<gradient_checking> -DWORK_DIR=<scratch dir> -P check_failures.cmake
if(NOT DEFINED PROGRAM OR NOT DEFINED WORK_DIR)
  message(FATAL_ERROR "usage: cmake -DPROGRAM=<gradient_checking> -DWORK_DIR=<dir> -P check_failures.cmake")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# Runs the program in WORK_DIR with the given arguments; fails unless it exits
# non-zero with `expected_message` on stderr.
function(expect_refusal what expected_message)
  execute_process(COMMAND "${PROGRAM}" ${ARGN} WORKING_DIRECTORY "${WORK_DIR}"
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(status EQUAL 0)
    message(FATAL_ERROR "${what}: exit status 0, expected non-zero\nstdout: ${out}\nstderr: ${err}")
  endif()
  string(FIND "${err}" "${expected_message}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: exit status ${status}, but stderr lacks '${expected_message}':\n${err}")
  endif()
endfunction()

# An output directory under a regular file can never be created.
file(WRITE "${WORK_DIR}/not_a_directory" "")
expect_refusal("--output-dir under a regular file" "cannot create the output folder"
               --quiet --output-dir "${WORK_DIR}/not_a_directory/results")

# A bad option stops before any work: not even the default output directory appears.
expect_refusal("an unknown option" "--no-such-option" --no-such-option)
expect_refusal("--output-dir without its value" "--output-dir" --output-dir)
if(EXISTS "${WORK_DIR}/results")
  message(FATAL_ERROR "a bad command line still created ${WORK_DIR}/results")
endif()

message(STATUS "gradient_checking refuses a bad output directory and bad options")
