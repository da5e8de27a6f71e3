#pragma once

#include <string>

#include <tapegrad/data/dataset.hpp>

namespace tapegrad {

// A CSV file with a header row x1,...,xn,y and one example per row, numbers
// only; the last column is the label. Throws file_error naming the file and
// the line for anything else.
dataset load_csv_dataset(const std::string& path, label_kind labels = label_kind::binary);

}  // namespace tapegrad
