# The CMake package, usable from an install prefix (`cmake --install`, then
# moved anywhere: every path in it is relative to where it lies) and from this
# build tree (`find_package(tapegrad)` with tapegrad_DIR or CMAKE_PREFIX_PATH
# pointing at the build folder). Two export sets, so a consumer of the core
# alone needs neither libmatio nor zlib:
#   tapegrad::tapegrad   the engine, ops, models and gradient checker
#   tapegrad::data       data sets and file formats (COMPONENTS data)
#   tapegrad::distributed  data parallelism over MPI (COMPONENTS distributed), when built
include(CMakePackageConfigHelpers)

set(TAPEGRAD_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/tapegrad")

install(TARGETS tapegrad EXPORT tapegrad-targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS tapegrad_data EXPORT tapegrad-data-targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES tapegrad.hpp data.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tapegrad)
set(installed_dirs framework ops models data)
set(export_sets tapegrad-targets tapegrad-data-targets)
if(TARGET tapegrad_distributed)
  install(TARGETS tapegrad_distributed EXPORT tapegrad-distributed-targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(FILES distributed.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tapegrad)
  list(APPEND installed_dirs distributed)
  list(APPEND export_sets tapegrad-distributed-targets)
endif()
foreach(dir ${installed_dirs})
  install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tapegrad/${dir} FILES_MATCHING PATTERN "*.hpp" PATTERN "detail" EXCLUDE PATTERN "simd" EXCLUDE)
endforeach()
foreach(set ${export_sets})
  install(EXPORT ${set} NAMESPACE tapegrad:: DESTINATION ${TAPEGRAD_CMAKE_DIR})
  export(EXPORT ${set} NAMESPACE tapegrad:: FILE "${PROJECT_BINARY_DIR}/${set}.cmake")
endforeach()

configure_package_config_file(cmake/tapegradConfig.cmake.in "${PROJECT_BINARY_DIR}/tapegradConfig.cmake"
  INSTALL_DESTINATION ${TAPEGRAD_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/tapegradConfigVersion.cmake" COMPATIBILITY SameMinorVersion)
configure_file(cmake/Findmatio.cmake "${PROJECT_BINARY_DIR}/Findmatio.cmake" COPYONLY)
configure_file(cmake/Findsleef.cmake "${PROJECT_BINARY_DIR}/Findsleef.cmake" COPYONLY)
install(FILES "${PROJECT_BINARY_DIR}/tapegradConfig.cmake" "${PROJECT_BINARY_DIR}/tapegradConfigVersion.cmake"
  cmake/Findmatio.cmake cmake/Findsleef.cmake DESTINATION ${TAPEGRAD_CMAKE_DIR})
