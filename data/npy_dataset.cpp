#include <tapegrad/data/npy_dataset.hpp>

#include <tapegrad/data/npy.hpp>
#include <tapegrad/framework/error.hpp>

namespace tapegrad {

dataset load_npy_dataset(const std::string& path, label_kind labels) {
    const npy_array file = read_npy(path);
    const matrix& a = file.values;
    if (file.dimensions != 2) {
        throw file_error(path + ": holds a " + std::to_string(file.dimensions) + "-D array of " +
                         std::to_string(a.size()) + " value" + (a.size() == 1 ? "" : "s") +
                         "; expected a 2-D (m, n_x + 1) array: one example per row with the label last");
    }
    if (a.shape()[1] < 2) {
        throw file_error(path + ": holds an array of shape " + shape_string(a) +
                         "; expected (m, n_x + 1): one example per row with the label last");
    }
    const std::size_t m = a.shape()[0], n = a.shape()[1] - 1;
    dataset d{matrix::from_shape({n, m}), matrix::from_shape({1, m})};
    for (std::size_t j = 0; j < m; ++j) {
        for (std::size_t i = 0; i < n; ++i) d.X(i, j) = a(j, i);
        d.Y(0, j) = a(j, n);
    }
    check_dataset(d, path, labels);
    return d;
}

}  // namespace tapegrad
