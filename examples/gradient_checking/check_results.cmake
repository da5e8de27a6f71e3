# Checks the results.json written by gradient_checking against the course's numbers:
#   cmake -DRESULTS=<dir>/results.json -P check_results.cmake
# The exit status alone would not catch, say, a buggy check that fails for the
# wrong reason or a difference that drifted: this pins the values themselves.
if(NOT DEFINED RESULTS)
  message(FATAL_ERROR "usage: cmake -DRESULTS=<dir>/results.json -P check_results.cmake")
endif()
if(NOT EXISTS "${RESULTS}")
  message(FATAL_ERROR "${RESULTS} does not exist: gradient_checking did not write it")
endif()
file(READ "${RESULTS}" doc)

# The JSON object of the check named `name` (fails if there is none).
function(find_check name out)
  string(JSON count LENGTH "${doc}" checks)
  math(EXPR last "${count} - 1")
  foreach(i RANGE ${last})
    string(JSON check_name GET "${doc}" checks ${i} name)
    if(check_name STREQUAL name)
      string(JSON check GET "${doc}" checks ${i})
      set(${out} "${check}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "${RESULTS} has no check named '${name}'")
endfunction()

# Stops with the check's name and what was wrong.
function(fail check_name what)
  message(FATAL_ERROR "${RESULTS}, check '${check_name}': ${what}")
endfunction()

# The culprits of a check, sorted, as a CMake list.
function(culprits_of check out)
  string(JSON count LENGTH "${check}" culprits)
  set(names "")
  if(count GREATER 0)
    math(EXPR last "${count} - 1")
    foreach(i RANGE ${last})
      string(JSON name GET "${check}" culprits ${i})
      list(APPEND names "${name}")
    endforeach()
  endif()
  list(SORT names)
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

# 1-D: the course's 2.9e-10. (if() compares numbers as doubles, exponents included.)
find_check(one_dimensional check)
string(JSON d GET "${check}" difference)
string(JSON passed GET "${check}" passed)
if(NOT (d GREATER 1e-10 AND d LESS 1e-9))
  fail(one_dimensional "difference ${d}, expected between 1e-10 and 1e-9")
endif()
if(NOT passed)
  fail(one_dimensional "failed, expected to pass")
endif()

# N-D, the course's backward fixed: passes the course's threshold 2e-7.
find_check(n_dimensional_correct check)
string(JSON d GET "${check}" difference)
string(JSON passed GET "${check}" passed)
if(NOT (d LESS 2e-7) OR NOT passed)
  fail(n_dimensional_correct "difference ${d}, passed ${passed}; expected a pass below 2e-7")
endif()

# N-D, the course's backward with its two bugs: the course's 0.2850931568, naming dW2 and db1.
find_check(n_dimensional_buggy check)
string(JSON d GET "${check}" difference)
string(JSON passed GET "${check}" passed)
culprits_of("${check}" culprits)
set(expected_culprits dW2 db1)
list(SORT expected_culprits)
if(NOT (d GREATER 0.28509315675 AND d LESS 0.28509315685))
  fail(n_dimensional_buggy "difference ${d}, expected 0.2850931568 (to 5e-11)")
endif()
if(passed)
  fail(n_dimensional_buggy "passed, expected to fail")
endif()
if(NOT culprits STREQUAL expected_culprits)
  fail(n_dimensional_buggy "culprits '${culprits}', expected exactly '${expected_culprits}'")
endif()

# Autodiff, full check: passes far below what the course's epsilon shows.
find_check(autodiff_full check)
string(JSON d GET "${check}" difference)
string(JSON passed GET "${check}" passed)
if(NOT (d LESS 1e-8) OR NOT passed)
  fail(autodiff_full "difference ${d}, passed ${passed}; expected a pass below 1e-8")
endif()

# Autodiff, fast check: passes with a handful of evaluations.
find_check(autodiff_fast check)
string(JSON passed GET "${check}" passed)
string(JSON evaluations GET "${check}" evaluations)
if(NOT passed OR NOT evaluations LESS 10)
  fail(autodiff_fast "passed ${passed} after ${evaluations} evaluations; expected a pass in fewer than 10")
endif()

# Fast check of a wrong W2 gradient: fails, and the full check it falls back to names W2.
find_check(fast_wrong_gradient check)
string(JSON passed GET "${check}" passed)
culprits_of("${check}" culprits)
if(passed OR NOT culprits STREQUAL "W2")
  fail(fast_wrong_gradient "passed ${passed}, culprits '${culprits}'; expected a failure naming W2")
endif()

message(STATUS "${RESULTS}: every check has the course's numbers")
