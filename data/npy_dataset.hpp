#pragma once

#include <string>

#include <tapegrad/data/dataset.hpp>

namespace tapegrad {

// A .npy file holding an (m, n_x + 1) array: one example per row, the label last
// (the CSV layout as an array). Throws file_error naming the file.
dataset load_npy_dataset(const std::string& path, label_kind labels = label_kind::binary);

}  // namespace tapegrad
