# Helpers shared by the ctest scripts of the initialization and regularization
# programs (run.cmake, check_results.cmake, check_course.cmake). Included, not run.
#
# CMake scripts have no floating-point arithmetic (math() is 64-bit integer; if()
# can compare two doubles but not compute expected +- tolerance), so "within
# 1e-12" is done here in fixed point: a plain decimal number becomes an integer
# count of 1e-16 units. (string(JSON GET) re-prints a JSON number with 17
# significant digits, e.g. 0.98999999999999999: truncation at 1e-16 is harmless.)

# --- The course's data file: skip when it is missing, unless CI is set -------
#
# A fresh clone has no ../shared: a test that needs the course's file is then
# skipped with a visible "SKIPPED: ... not found" line; on CI (the environment
# variable CI non-empty, read when the test runs) a missing file is a failure,
# so a broken CI setup cannot pass by skipping everything.
#
# ctest learns about the skip in two ways, both registered on the test:
# SKIP_RETURN_CODE (the script exits with SKIP_CODE; cmake_language(EXIT) needs
# CMake 3.29) and SKIP_REGULAR_EXPRESSION "SKIPPED: .* not found" (older CMake,
# whose -P scripts can only exit with 0 or 1). The failure message never says
# "SKIPPED:", so it cannot match.
#
# A macro, so that return() ends the calling script, not a function.
macro(skip_or_fail_without_course_data file)
  if(NOT EXISTS "${file}")
    if("$ENV{CI}" STREQUAL "")
      message("SKIPPED: the course's data file ${file} not found (a fresh clone has no ../shared; "
              "with CI set this is a failure)")
      if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.29 AND DEFINED SKIP_CODE)
        cmake_language(EXIT ${SKIP_CODE})
      endif()
      return()
    else()
      message(FATAL_ERROR "the course's data file ${file} is missing and CI is set ('$ENV{CI}'): "
                          "the course checks must run on CI, so this is a failure")
    endif()
  endif()
endmacro()

# --- Numbers in fixed point ---------------------------------------------------

# A plain decimal number ("-0.6931471805599453", "200", "1.0") as an integer in
# units of 1e-16, in `out`; "" when `text` is not of that form (an exponent, a
# string such as "inf") or too large for 64 bits (|value| >= 900).
function(decimal_to_fixed text out)
  set(${out} "" PARENT_SCOPE)
  if(NOT text MATCHES "^(-?)([0-9]+)(\\.([0-9]*))?$")
    return()
  endif()
  set(sign "${CMAKE_MATCH_1}")
  set(whole "${CMAKE_MATCH_2}")
  set(fraction "${CMAKE_MATCH_4}")
  # Leading zeros are dropped so that nothing reads them as octal.
  string(REGEX REPLACE "^0+" "" whole "${whole}")
  if(whole STREQUAL "")
    set(whole 0)
  endif()
  string(LENGTH "${whole}" whole_digits)
  if(whole_digits GREATER 3 OR whole GREATER_EQUAL 900)
    return()
  endif()
  # 16 fractional digits: truncation costs less than 1e-16.
  string(SUBSTRING "${fraction}0000000000000000" 0 16 fraction)
  string(REGEX REPLACE "^0+" "" fraction "${fraction}")
  if(fraction STREQUAL "")
    set(fraction 0)
  endif()
  math(EXPR value "${sign}(${whole} * 10000000000000000 + ${fraction})")
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

# Sets `out` to TRUE when `actual` is within 1e-<digits> of `expected`,
# absolutely (`kind` ABS) or relatively to |expected| (`kind` REL); digits <= 16.
# Non-numbers (an exponent form, "inf") are never near.
function(decimal_near actual expected kind digits out)
  set(${out} FALSE PARENT_SCOPE)
  decimal_to_fixed("${actual}" a)
  decimal_to_fixed("${expected}" e)
  if(a STREQUAL "" OR e STREQUAL "")
    return()
  endif()
  if(NOT digits MATCHES "^[0-9]+$" OR digits GREATER 16)
    message(FATAL_ERROR "decimal_near: bad digits '${digits}'")
  endif()
  if(kind STREQUAL "ABS")
    # 1e-digits in units of 1e-16.
    math(EXPR zeros "16 - ${digits}")
    string(REPEAT "0" ${zeros} tail)
    set(allowed "1${tail}")
  elseif(kind STREQUAL "REL")
    # |expected| * 1e-digits, in units of 1e-16 (rounded down; at least 1).
    string(REPEAT "0" ${digits} tail)
    string(REGEX REPLACE "^-" "" magnitude "${e}")
    math(EXPR allowed "${magnitude} / 1${tail}")
    if(allowed LESS 1)
      set(allowed 1)
    endif()
  else()
    message(FATAL_ERROR "decimal_near: kind '${kind}' is neither ABS nor REL")
  endif()
  math(EXPR difference "${a} - ${e}")
  if(difference LESS 0)
    math(EXPR difference "-(${difference})")
  endif()
  if(difference LESS_EQUAL allowed)
    set(${out} TRUE PARENT_SCOPE)
  endif()
endfunction()

# --- Reading results.json -------------------------------------------------------

# The JSON value at the given path of `json` (a CMake variable name holding the
# document) in `out`; fails naming `what` when it is missing or malformed.
function(json_get json out what)
  string(JSON value ERROR_VARIABLE error GET "${${json}}" ${ARGN})
  if(error)
    message(FATAL_ERROR "${what}: ${error}")
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

function(json_type json out what)
  string(JSON type ERROR_VARIABLE error TYPE "${${json}}" ${ARGN})
  if(error)
    message(FATAL_ERROR "${what}: ${error}")
  endif()
  set(${out} "${type}" PARENT_SCOPE)
endfunction()

function(json_length json out what)
  string(JSON length ERROR_VARIABLE error LENGTH "${${json}}" ${ARGN})
  if(error)
    message(FATAL_ERROR "${what}: ${error}")
  endif()
  set(${out} "${length}" PARENT_SCOPE)
endfunction()

# The runs' titles as the programs print them (examples/*/main.cpp): report.html
# must show every run under its title.
set(experiment_title_zeros "3-layer NN with zeros initialization")
set(experiment_title_random "3-layer NN with large random initialization")
set(experiment_title_he "3-layer NN with He initialization")
set(experiment_title_none "3-layer NN without regularization")
set(experiment_title_l2 "3-layer NN with L2-regularization")
set(experiment_title_dropout "3-layer NN with dropout")

# Checks the output folder `dir` of an experiment program run with `iterations`
# iterations at `learning_rate`, whose runs must be exactly `runs` (a CMake
# list) in that order:
#   results.json parses, names the experiment and the runs; each run has its
#   settings, a cost every 1000 iterations from 0 (numbers, or the string "inf"),
#   accuracies in [0, 1] and its two pictures (a non-empty SVG and PNG);
#   report.html shows every run's title and pictures; no temporary file is left.
# Leaves the parsed document in `results_json` in the caller's scope.
function(check_experiment_folder dir experiment runs iterations learning_rate)
  set(results "${dir}/results.json")
  if(NOT EXISTS "${results}")
    message(FATAL_ERROR "${results} does not exist: the run did not write it")
  endif()
  file(READ "${results}" doc)
  string(JSON type ERROR_VARIABLE error TYPE "${doc}")
  if(error OR NOT type STREQUAL "OBJECT")
    message(FATAL_ERROR "${results} is not a JSON object: ${error}")
  endif()

  json_get(doc name "${results}" experiment)
  if(NOT name STREQUAL experiment)
    message(FATAL_ERROR "${results}: experiment '${name}', expected '${experiment}'")
  endif()
  json_type(doc type "${results}" data)
  if(NOT type STREQUAL "STRING")
    message(FATAL_ERROR "${results}: \"data\" is ${type}, expected a description (STRING)")
  endif()

  json_length(doc count "${results}" runs)
  list(LENGTH runs expected_count)
  set(names "")
  if(count GREATER 0)
    math(EXPR last "${count} - 1")
    foreach(i RANGE ${last})
      json_get(doc run_name "${results}, run ${i}" runs ${i} name)
      list(APPEND names "${run_name}")
    endforeach()
  endif()
  if(NOT names STREQUAL runs)
    message(FATAL_ERROR "${results}: runs '${names}', expected exactly '${runs}' in that order")
  endif()

  # Costs are recorded at 0, 1000, 2000, ... below `iterations`.
  math(EXPR expected_costs "(${iterations} + 999) / 1000")

  if(NOT EXISTS "${dir}/report.html")
    message(FATAL_ERROR "${dir}/report.html does not exist")
  endif()
  file(READ "${dir}/report.html" report)
  foreach(name IN LISTS runs)
    list(FIND runs "${name}" i)
    set(what "${results}, run '${name}'")

    json_type(doc type "${what}" runs ${i} settings)
    if(NOT type STREQUAL "OBJECT")
      message(FATAL_ERROR "${what}: settings is ${type}, expected an object")
    endif()
    json_get(doc value "${what}" runs ${i} settings iterations)
    if(NOT value STREQUAL iterations)
      message(FATAL_ERROR "${what}: settings.iterations ${value}, expected ${iterations}")
    endif()
    json_get(doc value "${what}" runs ${i} settings learning_rate)
    decimal_near("${value}" "${learning_rate}" ABS 15 near)
    if(NOT near)
      message(FATAL_ERROR "${what}: settings.learning_rate ${value}, expected ${learning_rate}")
    endif()

    json_length(doc count "${what}" runs ${i} costs)
    if(NOT count EQUAL expected_costs)
      message(FATAL_ERROR "${what}: ${count} recorded costs, expected ${expected_costs} "
                          "(one every 1000 of ${iterations} iterations, from 0)")
    endif()
    if(count GREATER 0)
      math(EXPR last "${count} - 1")
      foreach(k RANGE ${last})
        json_length(doc pair "${what}, cost ${k}" runs ${i} costs ${k})
        json_get(doc at "${what}, cost ${k}" runs ${i} costs ${k} 0)
        json_type(doc cost_type "${what}, cost ${k}" runs ${i} costs ${k} 1)
        json_get(doc cost "${what}, cost ${k}" runs ${i} costs ${k} 1)
        math(EXPR expected_at "${k} * 1000")
        if(NOT pair EQUAL 2 OR NOT at STREQUAL expected_at)
          message(FATAL_ERROR "${what}: cost entry ${k} is not [${expected_at}, cost]")
        endif()
        if(NOT cost_type STREQUAL "NUMBER" AND NOT (cost_type STREQUAL "STRING" AND cost STREQUAL "inf"))
          message(FATAL_ERROR "${what}: the cost at iteration ${at} is ${cost_type} '${cost}', "
                              "expected a number or \"inf\"")
        endif()
        # The zeros run never breaks symmetry: its cost is ln 2 throughout.
        if(name STREQUAL "zeros")
          decimal_near("${cost}" 0.6931471805599453 ABS 12 near)
          if(NOT near)
            message(FATAL_ERROR "${what}: cost ${cost} at iteration ${at}, expected ln 2 = 0.6931471805599453 (to 1e-12)")
          endif()
        endif()
      endforeach()
      # The course's x10 initialization saturates the sigmoid: log(0) at iteration 0.
      if(name STREQUAL "random")
        json_get(doc cost "${what}" runs ${i} costs 0 1)
        if(NOT cost STREQUAL "inf")
          message(FATAL_ERROR "${what}: iteration-0 cost ${cost}, expected \"inf\" as the course prints it")
        endif()
      endif()
    endif()

    foreach(set_name train test)
      json_type(doc type "${what}" runs ${i} ${set_name}_accuracy)
      json_get(doc accuracy "${what}" runs ${i} ${set_name}_accuracy)
      if(NOT type STREQUAL "NUMBER" OR NOT (accuracy GREATER_EQUAL 0 AND accuracy LESS_EQUAL 1))
        message(FATAL_ERROR "${what}: ${set_name}_accuracy '${accuracy}' (${type}), expected a number in [0, 1]")
      endif()
    endforeach()

    json_get(doc cost_picture "${what}" runs ${i} cost_picture)
    json_get(doc boundary_picture "${what}" runs ${i} boundary_picture)
    if(NOT cost_picture STREQUAL "cost_${name}.svg" OR NOT boundary_picture STREQUAL "boundary_${name}.png")
      message(FATAL_ERROR "${what}: pictures '${cost_picture}' and '${boundary_picture}', "
                          "expected cost_${name}.svg and boundary_${name}.png")
    endif()
    foreach(picture "${cost_picture}" "${boundary_picture}")
      set(path "${dir}/${picture}")
      if(NOT EXISTS "${path}")
        message(FATAL_ERROR "${what}: ${path} does not exist")
      endif()
      file(SIZE "${path}" size)
      if(size EQUAL 0)
        message(FATAL_ERROR "${what}: ${path} is empty")
      endif()
    endforeach()
    file(READ "${dir}/${boundary_picture}" signature HEX LIMIT 4)
    if(NOT signature STREQUAL "89504e47")
      message(FATAL_ERROR "${what}: ${boundary_picture} starts with bytes ${signature}, not PNG's 89504e47")
    endif()
    file(READ "${dir}/${cost_picture}" svg)
    string(FIND "${svg}" "<svg" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${what}: ${cost_picture} has no <svg element")
    endif()

    foreach(text "${experiment_title_${name}}" "${cost_picture}" "${boundary_picture}")
      string(FIND "${report}" "${text}" at)
      if(at EQUAL -1)
        message(FATAL_ERROR "${dir}/report.html does not show '${text}' (run '${name}')")
      endif()
    endforeach()
  endforeach()

  # Every file is written under a temporary name and renamed: none may be left.
  file(GLOB leftovers "${dir}/*.tmp-*")
  if(leftovers)
    message(FATAL_ERROR "temporary files left in ${dir}: ${leftovers}")
  endif()

  set(results_json "${doc}" PARENT_SCOPE)
endfunction()
