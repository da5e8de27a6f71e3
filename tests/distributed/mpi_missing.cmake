# Stands in for the MPI tests when MPI was not found: skipped (ctest shows it),
# or failed when CI is set, where MPI must be there (scripts/setup.sh installs it).
if(DEFINED ENV{CI} AND NOT "$ENV{CI}" STREQUAL "" AND NOT "$ENV{CI}" STREQUAL "false")
  message(FATAL_ERROR "MPI was not found at configure time but CI is set: install libopenmpi-dev and openmpi-bin "
                      "(scripts/setup.sh does) and configure again")
endif()
message("SKIPPED: the MPI tests need MPI, which was not found (Debian: libopenmpi-dev openmpi-bin)")
