# Checks the output folder of a short initialization or regularization run:
#   cmake -DRESULTS_DIR=<dir> -DEXPERIMENT=<name> -DRUNS=<a,b,c> -DITERATIONS=<n>
#         -DLEARNING_RATE=<x> [-DDATA_FILE=<file> -DSKIP_CODE=<n> -DDATA_NAME=<text>] -P check_results.cmake
# What is checked: see check_experiment_folder in common.cmake. With DATA_FILE the
# check follows its run's rule for the course's data (skipped when the file is
# missing, a failure on CI). "data" must mention each |-separated text of
# DATA_NAME. Runs not at the course's settings must not claim its accuracies.
cmake_minimum_required(VERSION 3.19)
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")
foreach(variable RESULTS_DIR EXPERIMENT RUNS ITERATIONS LEARNING_RATE)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "usage: cmake -DRESULTS_DIR=<dir> -DEXPERIMENT=<name> -DRUNS=<a,b,c> -DITERATIONS=<n> "
                        "-DLEARNING_RATE=<x> [-DDATA_FILE=<file> -DDATA_NAME=<text>] -P check_results.cmake")
  endif()
endforeach()
if(DEFINED DATA_FILE)
  skip_or_fail_without_course_data("${DATA_FILE}")
endif()

string(REPLACE "," ";" runs "${RUNS}")
check_experiment_folder("${RESULTS_DIR}" "${EXPERIMENT}" "${runs}" "${ITERATIONS}" "${LEARNING_RATE}")

if(DEFINED DATA_NAME)
  string(JSON data GET "${results_json}" data)
  string(REPLACE "|" ";" texts "${DATA_NAME}")
  foreach(text IN LISTS texts)
    string(FIND "${data}" "${text}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${RESULTS_DIR}/results.json: data '${data}' does not mention '${text}'")
    endif()
  endforeach()
endif()

foreach(name IN LISTS runs)
  list(FIND runs "${name}" i)
  string(JSON course ERROR_VARIABLE absent GET "${results_json}" runs ${i} course_train_accuracy)
  if(NOT absent)
    message(FATAL_ERROR "${RESULTS_DIR}/results.json, run '${name}': course_train_accuracy ${course} given, "
                        "but ${ITERATIONS} iterations are not the course's settings")
  endif()
endforeach()

message(STATUS "${RESULTS_DIR}: ${EXPERIMENT} wrote runs ${RUNS} with their costs, accuracies, pictures and report")
