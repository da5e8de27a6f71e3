// The exceptions of tapegrad::distributed, besides the core's (value_error for
// parameters that differ between processes, ...).
#pragma once

#include <tapegrad/framework/error.hpp>

namespace tapegrad::distributed {

// An MPI call failed; the message names the call and MPI's own words.
class mpi_error : public error {
public:
    using error::error;
};

// A collective operation failed because another process failed in it; that
// process's own exception says why (distributed::run prints it, not this).
class remote_error : public error {
public:
    using error::error;
};

}  // namespace tapegrad::distributed
