// Labelled data sets for binary classification: X (n_x, m) with examples in
// columns, Y (1, m) with 0/1 labels; their check, and loading a training and
// test set by file type (the loaders: csv_dataset, npy_dataset, mat_dataset).
#pragma once

#include <string>

#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

struct dataset {
    matrix X;  // (n_x, m)
    matrix Y;  // (1, m), 0 or 1
};

struct split_dataset {
    dataset train;
    dataset test;
};

// Throws file_error naming `source` unless X and Y have the same number of
// examples (at least one), Y is one row of 0/1 labels and every value is finite.
void check_dataset(const dataset& d, const std::string& source);

// By extension: a .mat file holds both sets; for .csv and .npy the test set is
// `test_path`, or when it is empty, the file named like `path` with "train"
// replaced by "test" (football_train.csv -> football_test.csv).
split_dataset load_split_dataset(const std::string& path, const std::string& test_path = "");

}  // namespace tapegrad
