// check_gradients over the processes of a distributed run: the full check's
// perturbed evaluations (2 forward passes per scalar, independent of each
// other) split across them in contiguous blocks of the flattened parameters,
// each block on options.threads workers of its process. Every process records
// the analytic pass and makes the same two checkability evaluations, and every
// process gets the same report: the single-process report of check_gradients,
// bit for bit (each numeric element is one process's central difference, moved
// between processes without arithmetic), with the same culprits and, after a
// failure, the same tape audit.
#pragma once

#include <vector>

#include <tapegrad/distributed/communicator.hpp>
#include <tapegrad/framework/gradient_check.hpp>

namespace tapegrad::distributed {

// Collective. Checks first that every process lists the same parameters, with
// the same values, and that f gives the same J there (value_error otherwise,
// the same on every process: a cost on each process's shard is refused). When an evaluation throws, the process that made the
// lowest failed one rethrows its exception and the others throw remote_error.
// options.threads = 0 uses every core in each process: give 1 when the
// processes share a machine's cores.
gradient_report check_gradients(const communicator& comm, const scalar_function& f,
                                const std::vector<parameter*>& params, const gradient_check_options& options = {});

}  // namespace tapegrad::distributed
