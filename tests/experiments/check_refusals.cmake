# initialization and regularization must refuse what they cannot do, with a
# message on stderr and a non-zero exit, before writing anything:
#   cmake -DPROGRAM=<exe> -DKIND=initialization|regularization -DWORK_DIR=<scratch dir> -P check_refusals.cmake
# Every refusal gets a fresh --output-dir that must stay empty (or not exist),
# and the program runs in WORK_DIR, where its default results/ folder must not
# appear. README promises exit status 2 for a rejected option value.
cmake_minimum_required(VERSION 3.19)
if(NOT DEFINED PROGRAM OR NOT DEFINED KIND OR NOT DEFINED WORK_DIR)
  message(FATAL_ERROR "usage: cmake -DPROGRAM=<exe> -DKIND=initialization|regularization -DWORK_DIR=<dir> "
                      "-P check_refusals.cmake")
endif()
if(KIND STREQUAL "initialization")
  set(bad_runs "zeros,bogus")
elseif(KIND STREQUAL "regularization")
  set(bad_runs "none,bogus")
else()
  message(FATAL_ERROR "KIND '${KIND}' is neither initialization nor regularization")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(case_number 0)
set(problems "")

# Runs the program in WORK_DIR with the arguments after `expected_status` and a
# fresh --output-dir. It must exit with `expected_status` ("non-zero": any but
# 0), print every text of the list `expected_messages` on stderr and leave the
# output folder absent (`folder` ABSENT) or at least empty (`folder` EMPTY).
# Problems are collected, so one run of the test lists them all.
function(expect_refusal what expected_messages folder expected_status)
  math(EXPR n "${case_number} + 1")
  set(case_number ${n} PARENT_SCOPE)
  set(out_dir "${WORK_DIR}/out_${n}")
  execute_process(COMMAND "${PROGRAM}" ${ARGN} --output-dir "${out_dir}" WORKING_DIRECTORY "${WORK_DIR}"
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
  set(findings "")
  if(status EQUAL 0 OR NOT status MATCHES "^[0-9]+$")
    list(APPEND findings "exit status '${status}', expected non-zero")
  elseif(NOT expected_status STREQUAL "non-zero" AND NOT status EQUAL expected_status)
    list(APPEND findings "exit status ${status}, expected ${expected_status}")
  endif()
  foreach(text IN LISTS expected_messages)
    string(FIND "${err}" "${text}" at)
    if(at EQUAL -1)
      list(APPEND findings "stderr lacks '${text}'")
    endif()
  endforeach()
  if(EXISTS "${out_dir}")
    file(GLOB written RELATIVE "${out_dir}" "${out_dir}/*")
    if(folder STREQUAL "ABSENT")
      list(APPEND findings "created the output folder ${out_dir} (holding '${written}')")
    elseif(written)
      list(APPEND findings "wrote into the output folder ${out_dir}: ${written}")
    endif()
  endif()
  if(findings)
    list(JOIN findings "; " found)
    list(JOIN ARGN " " shown_arguments)
    set(problems "${problems}\n${what} (${KIND} ${shown_arguments}): ${found}\n  stderr: ${err}" PARENT_SCOPE)
  endif()
endfunction()

# Option values: rejected while parsing, exit status 2, the option named.
expect_refusal("a negative iteration count" "--iterations" EMPTY 2 --iterations -1)
expect_refusal("a non-numeric iteration count" "--iterations;abc" EMPTY 2 --iterations abc)
expect_refusal("a zero learning rate" "--learning-rate" EMPTY 2 --learning-rate 0)
expect_refusal("a negative learning rate" "--learning-rate" EMPTY 2 --learning-rate -0.5)
expect_refusal("an unknown run" "--runs;bogus" EMPTY 2 --runs ${bad_runs})
expect_refusal("a negative seed" "--seed" EMPTY 2 --seed -1)
expect_refusal("a seed above 2^32 - 1" "--seed" EMPTY 2 --seed 4294967296)
expect_refusal("an unknown option" "--frobnicate" EMPTY 2 --frobnicate)

if(KIND STREQUAL "regularization")
  expect_refusal("a negative lambda" "--lambd" EMPTY 2 --lambd -0.7)
  expect_refusal("keep_prob 0" "--keep-prob" EMPTY 2 --keep-prob 0)
  expect_refusal("keep_prob above 1" "--keep-prob" EMPTY 2 --keep-prob 1.5)
  expect_refusal("a non-numeric keep_prob" "--keep-prob;abc" EMPTY 2 --keep-prob abc)
  expect_refusal("a missing data file" "--data;/nonexistent/file.mat" EMPTY 2 --data /nonexistent/file.mat)
  # An existing test file, so that the refusal is about the missing --data.
  file(WRITE "${WORK_DIR}/football_test.csv" "x1,x2,y\n0.5,0.5,1\n")
  expect_refusal("--test-data without --data" "--test-data;--data" EMPTY 2
                 --test-data "${WORK_DIR}/football_test.csv")
  # A file that exists but is of no known type: found only when the data is
  # loaded, which happens before the output folder is created, so the folder
  # must not even appear.
  file(WRITE "${WORK_DIR}/x.txt" "x1,x2,y\n0.5,0.5,1\n")
  expect_refusal("a data file of unknown type" "x.txt;unknown data file type" ABSENT non-zero
                 --data "${WORK_DIR}/x.txt" --iterations 1 --quiet)
endif()

# An output folder under a regular file can never be created (--iterations 1:
# should the check be missing, the run stays short).
file(WRITE "${WORK_DIR}/afile" "")
execute_process(COMMAND "${PROGRAM}" --iterations 1 --quiet --output-dir "${WORK_DIR}/afile/out"
                WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
string(FIND "${err}" "cannot create the output folder" at)
if(status EQUAL 0 OR at EQUAL -1)
  string(APPEND problems "\n--output-dir under a regular file: exit status ${status}, expected non-zero with "
                         "'cannot create the output folder' on stderr\n  stderr: ${err}")
endif()

# --help: exit 0, every option listed, nothing written.
execute_process(COMMAND "${PROGRAM}" --help WORKING_DIRECTORY "${WORK_DIR}"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
set(options --output-dir --iterations --learning-rate --runs --seed --quiet)
if(KIND STREQUAL "regularization")
  list(APPEND options --data --test-data --lambd --keep-prob)
endif()
set(missing "")
foreach(option IN LISTS options)
  string(FIND "${out}" "${option}" at)
  if(at EQUAL -1)
    list(APPEND missing "${option}")
  endif()
endforeach()
if(NOT status EQUAL 0 OR missing)
  string(APPEND problems "\n--help: exit status ${status}, options not listed: '${missing}'\n  stdout: ${out}\n  stderr: ${err}")
endif()

# Nothing above may have fallen back to the default output folder.
if(EXISTS "${WORK_DIR}/results")
  string(APPEND problems "\na refused command line created ${WORK_DIR}/results")
endif()

if(problems)
  message(FATAL_ERROR "${KIND} did not refuse as it should:${problems}")
endif()
message(STATUS "${KIND} refuses ${case_number} bad command lines and a bad output folder, and --help lists its options")
