#pragma once

#include <string>

#include <tapegrad/data/dataset.hpp>

namespace tapegrad {

// A MATLAB .mat file (through libmatio) with variables X (m, n_x) and y (m, 1)
// for training and Xval, yval for testing, as the course's football data.
// Every declared size is checked against the file's bytes before libmatio reads
// it; throws file_error naming the file and the variable.
split_dataset load_mat_dataset(const std::string& path, label_kind labels = label_kind::binary);

}  // namespace tapegrad
