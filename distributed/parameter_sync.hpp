// The parameters of a data-parallel run, the same on every process: checked
// (every process must hold the same list of names and shapes) and broadcast
// (every process starts from process 0's values).
#pragma once

#include <vector>

#include <tapegrad/distributed/communicator.hpp>
#include <tapegrad/framework/parameter.hpp>

namespace tapegrad::distributed {

// Collective. Throws value_error, the same on every process, naming `where`, the
// first parameter that differs and the processes' versions of it, unless every
// process lists the same parameters (names and shapes, in order).
void check_same_parameters(const communicator& comm, const std::vector<parameter*>& params, const char* where);

// Collective: process 0's values of every parameter on every process (one
// MPI_Bcast), after check_same_parameters. gradient_allreduce's constructor
// does it; call it yourself for parameters set after that (a loaded checkpoint).
void broadcast_parameters(const communicator& comm, const std::vector<parameter*>& params);

}  // namespace tapegrad::distributed
