// Labelled data sets: X (n_x, m) with examples in columns, Y (1, m) with one
// label per example: 0/1 for binary classification (the default), or class
// indices 0 .. K-1 when asked (label_kind::class_index); their check, and
// loading a training and test set by file type (the loaders: csv_dataset,
// npy_dataset, mat_dataset).
#pragma once

#include <cstddef>
#include <string>

#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

struct dataset {
    matrix X;  // (n_x, m)
    matrix Y;  // (1, m): 0 or 1, or class indices 0 .. K-1
};

// What the labels are. binary refuses anything but 0 and 1, so a multi-class
// file given to a binary model is an error, not a silent wrong result.
enum class label_kind {
    binary,       // 0 or 1
    class_index,  // whole numbers 0 .. max_class_index (a softmax output's targets)
};

// The largest class index a file may hold: far more classes than any softmax
// output trains on, and small enough that a wrong column (ids, prices) is refused.
inline constexpr double max_class_index = 1e6;

struct split_dataset {
    dataset train;
    dataset test;
};

// Throws file_error naming `source` unless X and Y have the same number of
// examples (at least one), Y is one row of labels of the given kind and every
// value is finite.
void check_dataset(const dataset& d, const std::string& source, label_kind labels = label_kind::binary);

// The number of classes K of class-index labels: the largest index + 1.
std::size_t class_count(const matrix& Y);

// By extension: a .mat file holds both sets; for .csv and .npy the test set is
// `test_path`, or when it is empty, the file named like `path` with "train"
// replaced by "test" (football_train.csv -> football_test.csv).
split_dataset load_split_dataset(const std::string& path, const std::string& test_path = "",
                                 label_kind labels = label_kind::binary);

}  // namespace tapegrad
