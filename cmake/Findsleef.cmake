# Finds SLEEF, the vectorized math library (Debian: libsleef-dev), which ships a
# pkg-config file but no CMake package, and makes the imported target
# sleef::sleef. Installed with tapegrad's package like Findmatio.cmake.
find_path(sleef_INCLUDE_DIR sleef.h)
find_library(sleef_LIBRARY sleef)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(sleef REQUIRED_VARS sleef_LIBRARY sleef_INCLUDE_DIR)
if(sleef_FOUND AND NOT TARGET sleef::sleef)
  add_library(sleef::sleef UNKNOWN IMPORTED)
  set_target_properties(sleef::sleef PROPERTIES IMPORTED_LOCATION "${sleef_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${sleef_INCLUDE_DIR}")
endif()
mark_as_advanced(sleef_INCLUDE_DIR sleef_LIBRARY)
