# ctest script: the package works for a user's project, the consumers of
# tests/downstream built and run against it (distributed: when -DMPIEXEC is given,
# under mpirun with 2 processes):
#   cmake -DMODE=build-tree|moved-install -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -P install_test.cmake
# build-tree: find_package(tapegrad) pointed at the build folder itself.
# moved-install: `cmake --install` into one prefix, which is then renamed, so any
# absolute path left in the package would break the consumers.
# The core consumer is configured with libmatio hidden (it must not need it)
# and its executable must not load libmatio.
file(REMOVE_RECURSE "${WORK_DIR}")
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install test (${MODE}): '${ARGN}' failed with ${rc}:\n${out}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "build-tree")
  set(where -Dtapegrad_DIR=${BUILD_DIR})
elseif(MODE STREQUAL "moved-install")
  run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK_DIR}/installed")
  file(RENAME "${WORK_DIR}/installed" "${WORK_DIR}/moved")
  # No absolute path may be exported (a library path of this machine would break
  # the package elsewhere), beside CMake's own check of _IMPORT_PREFIX against "/".
  file(GLOB package_files "${WORK_DIR}/moved/lib/cmake/tapegrad/*.cmake")
  foreach(package_file IN LISTS package_files)
    file(STRINGS "${package_file}" absolute REGEX "[\";]/[A-Za-z]")
    if(absolute)
      message(FATAL_ERROR "install test: ${package_file} holds an absolute path: ${absolute}")
    endif()
  endforeach()
  set(where -DCMAKE_PREFIX_PATH=${WORK_DIR}/moved)
else()
  message(FATAL_ERROR "MODE must be build-tree or moved-install, got '${MODE}'")
endif()
foreach(consumer core data)
  set(build "${WORK_DIR}/${consumer}")
  set(hide "")
  if(consumer STREQUAL "core")
    set(hide -DCMAKE_DISABLE_FIND_PACKAGE_matio=ON)
  endif()
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/downstream/${consumer}" -B "${build}" ${where} ${hide}
      -DCMAKE_BUILD_TYPE=Release)
  run(${CMAKE_COMMAND} --build "${build}")
  run("${build}/downstream_${consumer}" "${build}")
endforeach()
# tapegrad::distributed, when it was built (MPIEXEC given): run on 2 processes.
if(DEFINED MPIEXEC AND NOT MPIEXEC STREQUAL "")
  set(build "${WORK_DIR}/distributed")
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/downstream/distributed" -B "${build}" ${where} -DCMAKE_BUILD_TYPE=Release)
  run(${CMAKE_COMMAND} --build "${build}")
  run(${MPIEXEC} --oversubscribe -np 2 "${build}/downstream_distributed")
endif()
run(ldd "${WORK_DIR}/core/downstream_core")
if(output MATCHES "libmatio")
  message(FATAL_ERROR "install test (${MODE}): the core consumer loads libmatio:\n${output}")
endif()
