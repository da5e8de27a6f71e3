// Parameters on disk: one numpy .npy file per parameter, named after it
// (W1.npy, b1.npy, ...), so numpy reads them with np.load and a model of any
// shape saves and loads its parameters the same way.
#pragma once

#include <string>
#include <vector>

#include <tapegrad/framework/parameter.hpp>

namespace tapegrad {

// Writes NAME.npy for every parameter into `directory`, which is created if
// needed (each file under a temporary name, then renamed). Throws file_error,
// or value_error for names that cannot name files in the folder (empty, '.',
// '..', with a '/') or a name given twice. Each file is replaced whole; for a
// checkpoint that is replaced all at once, save into a new folder and rename it.
void save_parameters(const std::vector<parameter*>& params, const std::string& directory);

// Reads NAME.npy for every parameter from `directory`. Every file is read and its
// shape checked before any parameter changes, so a failure leaves them all as
// they were; throws file_error naming the file (missing, malformed, wrong shape).
void load_parameters(const std::vector<parameter*>& params, const std::string& directory);

// directory/STEM.npy, for the file of a parameter or of its optimizer state
// ("W1", "W1.v"); value_error naming `who` when STEM cannot name a file there.
std::string npy_path_in(const std::string& directory, const std::string& stem, const char* who);

}  // namespace tapegrad
