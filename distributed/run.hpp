// run: a distributed program's main. Initializes MPI, runs the body on every
// process and finalizes, and makes sure a failure ends the whole job with its
// message printed once and a non-zero status, never a hang:
//   - when every process fails (the same bad file, a check every process makes,
//     an error a collective operation passes to all), the processes agree on it
//     and process 0 prints each distinct message once; all exit with status 1;
//   - when only some fail (the others are computing or blocked in a collective
//     the failed ones left), each failed process waits `failure_wait` for the
//     others, then prints its message with its rank and calls MPI_Abort, which
//     ends every process of the job (mpirun then exits non-zero).
// A body that returns a non-zero status fails the same way (it prints its own
// reason; a process alone in it says so and aborts the job), and every process
// exits with the largest status. A body that returns 0 early, while others still
// make collective calls, is a program error that no library can tell from slow work.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <tapegrad/distributed/communicator.hpp>

namespace tapegrad::distributed {

struct run_options {
    std::string program = "tapegrad";  // prefixes the printed messages
    std::chrono::milliseconds failure_wait{2000};
};

// body(world) returns the process's exit status. Returns the status to exit
// with; MPI is finalized by then (after a partial failure this never returns:
// MPI_Abort ends the process).
int run(int& argc, char**& argv, const std::function<int(communicator& world)>& body, const run_options& options = {});

}  // namespace tapegrad::distributed
