# Every dependency is a Debian 12 package; a missing one stops configuration
# with the name of the package to install (scripts/setup.sh installs them all).
include(GNUInstallDirs)

macro(tapegrad_require package debian_package)
  find_package(${package} ${ARGN} QUIET)
  if(NOT ${package}_FOUND)
    message(FATAL_ERROR
      "tapegrad needs ${package}, which was not found. On Debian 12 install it with:\n"
      "  sudo apt-get install ${debian_package}\n"
      "or run scripts/setup.sh, which installs every dependency.")
  endif()
endmacro()

tapegrad_require(xtl xtl-dev)
tapegrad_require(xtensor xtensor-dev)
# xtensor-blas's package looks for BLAS and LAPACK itself; OpenBLAS provides both.
set(BLA_VENDOR OpenBLAS)
tapegrad_require(BLAS libopenblas-dev)
tapegrad_require(xtensor-blas libxtensor-blas-dev)
tapegrad_require(nlohmann_json nlohmann-json3-dev)
# The gradient checker runs its evaluations on worker threads.
find_package(Threads REQUIRED)

# libmatio reads MATLAB .mat files; it ships no CMake package, so look for its
# header and library directly (an absolute path also exports cleanly).
find_path(MATIO_INCLUDE_DIR matio.h)
find_library(MATIO_LIBRARY matio)
if(NOT MATIO_INCLUDE_DIR OR NOT MATIO_LIBRARY)
  message(FATAL_ERROR
    "tapegrad needs libmatio (matio.h and libmatio), which was not found. On Debian 12 install it with:\n"
    "  sudo apt-get install libmatio-dev\n"
    "or run scripts/setup.sh, which installs every dependency.")
endif()
# zlib: load_mat_dataset inflates compressed variables itself to check their
# headers before libmatio reads them (an absolute path, like libmatio's).
tapegrad_require(ZLIB zlib1g-dev)
if(TAPEGRAD_BUILD_TESTS)
  tapegrad_require(Catch2 catch2)
endif()
