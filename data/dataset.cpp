#include <tapegrad/data/dataset.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/number_text.hpp>
#include <tapegrad/data/csv_dataset.hpp>
#include <tapegrad/data/mat_dataset.hpp>
#include <tapegrad/data/npy_dataset.hpp>

namespace tapegrad {

void check_dataset(const dataset& d, const std::string& source, label_kind labels) {
    const std::size_t m = d.X.shape()[1];
    if (m == 0 || d.X.shape()[0] == 0) {
        throw file_error(source + ": the data set is empty (X has shape " + shape_string(d.X) + ")");
    }
    if (d.Y.shape()[0] != 1 || d.Y.shape()[1] != m) {
        throw file_error(source + ": the labels have shape " + shape_string(d.Y) + " but X has " + std::to_string(m) +
                         " examples; expected (1, " + std::to_string(m) + ")");
    }
    for (std::size_t i = 0; i < d.X.shape()[0]; ++i) {
        for (std::size_t j = 0; j < m; ++j) {
            if (!std::isfinite(d.X(i, j))) {
                throw file_error(source + ": feature " + std::to_string(i + 1) + " of example " + std::to_string(j + 1) +
                                 " is " + number_text(d.X(i, j)) + "; every value must be finite");
            }
        }
    }
    for (std::size_t j = 0; j < m; ++j) {
        const double y = d.Y(0, j);
        if (labels == label_kind::binary && y != 0.0 && y != 1.0) {
            throw file_error(source + ": the label of example " + std::to_string(j + 1) + " is " + number_text(y) +
                             "; labels must be 0 or 1 (class indices 0 .. K-1 are read with label_kind::class_index)");
        }
        // !(y >= 0) also refuses NaN.
        if (labels == label_kind::class_index && (!(y >= 0.0) || y > max_class_index || y != std::floor(y))) {
            throw file_error(source + ": the label of example " + std::to_string(j + 1) + " is " + number_text(y) +
                             "; class labels must be whole numbers from 0 to " + std::to_string(static_cast<long long>(max_class_index)));
        }
    }
}

std::size_t class_count(const matrix& Y) {
    double top = -1.0;
    for (const double y : Y) {
        if (!(y >= 0.0) || y > max_class_index || y != std::floor(y)) {
            throw value_error("class_count: a label is " + number_text(y) + "; class labels must be whole numbers from 0 to " +
                              std::to_string(static_cast<long long>(max_class_index)));
        }
        top = std::max(top, y);
    }
    if (top < 0.0) throw value_error("class_count: there are no labels (Y has shape " + shape_string(Y) + ")");
    return static_cast<std::size_t>(top) + 1;
}

split_dataset load_split_dataset(const std::string& path, const std::string& test_path, label_kind labels) {
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext == ".mat") {
        if (!test_path.empty()) {
            throw file_error(path + ": a .mat file holds its own test set (Xval, yval); do not give a test file too");
        }
        return load_mat_dataset(path, labels);
    }
    if (ext != ".csv" && ext != ".npy") {
        throw file_error(path + ": unknown data file type '" + ext + "'; expected .mat, .csv or .npy");
    }
    std::string test = test_path;
    if (test.empty()) {
        const std::string name = std::filesystem::path(path).filename().string();
        const std::size_t at = name.rfind("train");
        if (at == std::string::npos) {
            throw file_error(path + ": no test set given, and the file name has no 'train' to replace by 'test'");
        }
        test = (std::filesystem::path(path).parent_path() / (name.substr(0, at) + "test" + name.substr(at + 5))).string();
    }
    auto load = [&](const std::string& p) { return ext == ".csv" ? load_csv_dataset(p, labels) : load_npy_dataset(p, labels); };
    split_dataset s{load(path), load(test)};
    if (s.train.X.shape()[0] != s.test.X.shape()[0]) {
        throw file_error(test + ": has " + std::to_string(s.test.X.shape()[0]) + " features but " + path + " has " +
                         std::to_string(s.train.X.shape()[0]));
    }
    return s;
}

}  // namespace tapegrad
