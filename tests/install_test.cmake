# ctest script: install tapegrad into a scratch prefix, then configure, build
# and run tests/downstream against it with find_package(tapegrad).
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_test.cmake needs -D${var}=...")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install test: '${ARGN}' failed with ${rc}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
if(NOT EXISTS "${prefix}/include/tapegrad/tapegrad.hpp" OR NOT EXISTS "${prefix}/lib/cmake/tapegrad/tapegradConfig.cmake")
  message(FATAL_ERROR "install test: headers or CMake package missing under ${prefix}")
endif()
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/downstream" -B "${WORK_DIR}/build"
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run("${WORK_DIR}/build/downstream")
