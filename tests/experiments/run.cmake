# Runs an experiment program (initialization, regularization) into a fresh output
# folder, for a check script to read afterwards:
#   cmake -DPROGRAM=<exe> -DOUTPUT_DIR=<dir> [-DDATA_FILE=<file> -DSKIP_CODE=<n>] -P run.cmake -- <arguments>
# The arguments after "--" go to the program, followed by --output-dir OUTPUT_DIR.
# The folder is emptied first, so a check never passes on a previous run's files.
# With DATA_FILE (the course's data, which a fresh clone lacks) the run is skipped
# when the file is missing, or fails when CI is set (see common.cmake).
cmake_minimum_required(VERSION 3.19)
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")
if(NOT DEFINED PROGRAM OR NOT DEFINED OUTPUT_DIR)
  message(FATAL_ERROR "usage: cmake -DPROGRAM=<exe> -DOUTPUT_DIR=<dir> [-DDATA_FILE=<file>] -P run.cmake -- <arguments>")
endif()
if(DEFINED DATA_FILE)
  skip_or_fail_without_course_data("${DATA_FILE}")
endif()

# The program's arguments: whatever follows "--" on cmake's command line.
set(arguments "")
set(after_separator FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(after_separator)
    list(APPEND arguments "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after_separator TRUE)
  endif()
endforeach()

list(JOIN arguments " " shown_arguments)
file(REMOVE_RECURSE "${OUTPUT_DIR}")
# The program's output goes straight to ctest's log.
execute_process(COMMAND "${PROGRAM}" ${arguments} --output-dir "${OUTPUT_DIR}" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} ${shown_arguments} --output-dir ${OUTPUT_DIR}: exit status ${status}")
endif()
message(STATUS "${PROGRAM} ${shown_arguments} --output-dir ${OUTPUT_DIR}: done")
