# `cmake --install` puts the headers under include/tapegrad/, the library, and a
# CMake package so a downstream project can find_package(tapegrad) and link
# tapegrad::tapegrad.
include(CMakePackageConfigHelpers)

set(TAPEGRAD_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/tapegrad")

install(TARGETS tapegrad EXPORT tapegrad-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES tapegrad.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tapegrad)
foreach(dir framework ops models)
  if(EXISTS "${PROJECT_SOURCE_DIR}/${dir}")
    install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tapegrad/${dir}
      FILES_MATCHING PATTERN "*.hpp")
  endif()
endforeach()
install(EXPORT tapegrad-targets NAMESPACE tapegrad:: DESTINATION ${TAPEGRAD_CMAKE_DIR})

configure_package_config_file(cmake/tapegradConfig.cmake.in
  "${PROJECT_BINARY_DIR}/tapegradConfig.cmake" INSTALL_DESTINATION ${TAPEGRAD_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/tapegradConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/tapegradConfig.cmake" "${PROJECT_BINARY_DIR}/tapegradConfigVersion.cmake"
  DESTINATION ${TAPEGRAD_CMAKE_DIR})
