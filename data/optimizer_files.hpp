// An optimizer's state on disk, beside its parameters' (parameter_files.hpp):
// one numpy .npy file per matrix of optimizer::state() ("W1.v.npy",
// "W1.steps.npy", ...) and optimizer.txt naming the rule and the parameters, so
// a run resumes exactly and numpy reads every moment.
#pragma once

#include <string>

#include <tapegrad/models/optimizer.hpp>

namespace tapegrad {

// Writes the state into `directory` (created if needed). Throws file_error.
void save_optimizer_state(const optimizer& opt, const std::string& directory);

// Reads a state written by save_optimizer_state for the same rule and the same
// parameters (names and shapes). Everything is read and checked before the
// optimizer changes; throws file_error naming the file that does not fit.
void load_optimizer_state(optimizer& opt, const std::string& directory);

}  // namespace tapegrad
