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
# Matrix products call OpenBLAS's cblas_dgemm directly (ops/linear_algebra.cpp).
set(BLA_VENDOR OpenBLAS)
tapegrad_require(BLAS libopenblas-dev)
tapegrad_require(nlohmann_json nlohmann-json3-dev)
# The vectorized elementwise math (ops/vector_math.cpp) calls SLEEF's x86-64
# kernels; on other processors the ops use glibc's functions only.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  tapegrad_require(sleef libsleef-dev)
  set(TAPEGRAD_VECTOR_MATH ON)
else()
  set(TAPEGRAD_VECTOR_MATH OFF)
endif()
# The gradient checker runs its evaluations on worker threads.
find_package(Threads REQUIRED)
# data/: libmatio reads MATLAB .mat files (cmake/Findmatio.cmake: it ships no
# CMake package), and zlib inflates compressed variables so load_mat_dataset can
# check their headers before libmatio reads them.
tapegrad_require(matio libmatio-dev)
tapegrad_require(ZLIB zlib1g-dev)
# tapegrad::distributed (distributed/): MPI, optional. Open MPI from Debian
# (libopenmpi-dev, openmpi-bin; scripts/setup.sh installs them). Without it the
# component is not built and its tests report themselves skipped (failed under CI).
# The C API only: not the C++ bindings MPI deprecated.
set(MPI_CXX_SKIP_MPICXX ON)
if(TAPEGRAD_WITH_MPI)
  find_package(MPI COMPONENTS CXX QUIET)
endif()
if(TAPEGRAD_WITH_MPI AND MPI_CXX_FOUND)
  set(TAPEGRAD_DISTRIBUTED ON)
else()
  set(TAPEGRAD_DISTRIBUTED OFF)
  if(TAPEGRAD_WITH_MPI)
    message(STATUS "tapegrad: MPI not found, so tapegrad::distributed is not built (Debian: libopenmpi-dev openmpi-bin)")
  endif()
endif()
if(TAPEGRAD_BUILD_TESTS)
  tapegrad_require(Catch2 catch2)
endif()
