# Checks a run of initialization or regularization at the course's default
# settings against the course's published numbers (../shared/REFERENCE.md):
#   cmake -DRESULTS_DIR=<dir> -DEXPERIMENT=initialization -P check_course.cmake
#   cmake -DRESULTS_DIR=<dir> -DEXPERIMENT=regularization -DDATA_FILE=<football.mat> -DSKIP_CODE=<n> -P check_course.cmake
# Accuracies must be the course's to 1e-12 (they are ratios of counts, so
# anything else is a different model), iteration-0 costs to 1e-12 relative.
# Everything check_results.cmake checks is checked too, at 15000 / 30000
# iterations. The regularization check follows its run's rule for the course's
# data file (skipped when missing, a failure on CI).
cmake_minimum_required(VERSION 3.19)
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")
if(NOT DEFINED RESULTS_DIR OR NOT DEFINED EXPERIMENT)
  message(FATAL_ERROR "usage: cmake -DRESULTS_DIR=<dir> -DEXPERIMENT=<name> [-DDATA_FILE=<file>] -P check_course.cmake")
endif()

# name|train accuracy|test accuracy|iteration-0 cost, from ../shared/REFERENCE.md
if(EXPERIMENT STREQUAL "initialization")
  set(iterations 15000)
  set(learning_rate 0.01)
  set(course
      "zeros|0.5|0.5|0.6931471805599453"
      "random|0.83|0.86|inf"
      "he|0.9933333333333333|0.96|0.8830537463419761")  # he: 298/300
elseif(EXPERIMENT STREQUAL "regularization")
  if(NOT DEFINED DATA_FILE)
    message(FATAL_ERROR "the course's regularization numbers need -DDATA_FILE=<football.mat>")
  endif()
  skip_or_fail_without_course_data("${DATA_FILE}")
  set(iterations 30000)
  set(learning_rate 0.3)
  set(course
      "none|0.9478672985781991|0.915|0.6557412523481002"      # 200/211, 183/200
      "l2|0.9383886255924171|0.93|0.6974484493131264"         # 198/211, 186/200
      "dropout|0.9289099526066351|0.95|0.6543912405149825")   # 196/211, 190/200
else()
  message(FATAL_ERROR "EXPERIMENT '${EXPERIMENT}' is neither initialization nor regularization")
endif()

set(runs "")
foreach(row IN LISTS course)
  string(REPLACE "|" ";" row "${row}")
  list(GET row 0 name)
  list(APPEND runs "${name}")
endforeach()
check_experiment_folder("${RESULTS_DIR}" "${EXPERIMENT}" "${runs}" ${iterations} ${learning_rate})
set(doc "${results_json}")
set(results "${RESULTS_DIR}/results.json")

if(EXPERIMENT STREQUAL "regularization")
  json_get(doc data "${results}" data)
  get_filename_component(data_name "${DATA_FILE}" NAME)
  string(FIND "${data}" "${data_name}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${results}: data '${data}' does not mention ${data_name}")
  endif()
endif()

set(problems "")
foreach(row IN LISTS course)
  string(REPLACE "|" ";" row "${row}")
  list(GET row 0 name)
  list(GET row 1 train)
  list(GET row 2 test)
  list(GET row 3 cost0)
  list(FIND runs "${name}" i)

  json_get(doc train_accuracy "${results}" runs ${i} train_accuracy)
  json_get(doc test_accuracy "${results}" runs ${i} test_accuracy)
  decimal_near("${train_accuracy}" "${train}" ABS 12 train_ok)
  decimal_near("${test_accuracy}" "${test}" ABS 12 test_ok)
  if(NOT train_ok OR NOT test_ok)
    string(APPEND problems "\n  ${name}: accuracies ${train_accuracy} / ${test_accuracy}, the course's ${train} / ${test}")
  endif()

  json_get(doc cost "${results}" runs ${i} costs 0 1)
  if(cost0 STREQUAL "inf")
    set(cost_ok FALSE)
    if(cost STREQUAL "inf")
      set(cost_ok TRUE)
    endif()
  else()
    decimal_near("${cost}" "${cost0}" REL 12 cost_ok)
  endif()
  if(NOT cost_ok)
    string(APPEND problems "\n  ${name}: iteration-0 cost ${cost}, the course's ${cost0}")
  endif()

  # The program says it is at the course's settings: it must give the course's numbers beside its own.
  string(JSON course_train ERROR_VARIABLE missing GET "${doc}" runs ${i} course_train_accuracy)
  if(missing)
    string(APPEND problems "\n  ${name}: no course_train_accuracy, though these are the course's settings and data")
  else()
    json_get(doc course_test "${results}" runs ${i} course_test_accuracy)
    decimal_near("${course_train}" "${train}" ABS 12 train_ok)
    decimal_near("${course_test}" "${test}" ABS 12 test_ok)
    if(NOT train_ok OR NOT test_ok)
      string(APPEND problems "\n  ${name}: course accuracies given as ${course_train} / ${course_test}, "
                             "the course's are ${train} / ${test}")
    endif()
  endif()
endforeach()

# The zeros run's cost is ln 2 at every one of its 15 recorded iterations
# (check_experiment_folder checks the values and the count).

# report.html marks each run reproduced.
file(READ "${RESULTS_DIR}/report.html" report)
string(REGEX MATCHALL "\\(reproduced\\)" reproduced "${report}")
list(LENGTH reproduced reproduced_count)
string(FIND "${report}" "(differs)" differs)
if(NOT reproduced_count EQUAL 3 OR NOT differs EQUAL -1)
  string(APPEND problems "\n  report.html marks ${reproduced_count} of 3 runs '(reproduced)'")
  if(NOT differs EQUAL -1)
    string(APPEND problems " and says '(differs)'")
  endif()
endif()

if(problems)
  message(FATAL_ERROR "${results} differs from the course:${problems}")
endif()
message(STATUS "${RESULTS_DIR}: ${EXPERIMENT} reproduces the course's accuracies and iteration-0 costs")
