#include <tapegrad/framework/matrix.hpp>

#include <cmath>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

shape2 shape_of(const matrix& m) { return {m.shape()[0], m.shape()[1]}; }

std::string to_string(const shape2& s) {
    return "(" + std::to_string(s.rows) + ", " + std::to_string(s.cols) + ")";
}

std::string shape_string(const matrix& m) { return to_string(shape_of(m)); }

matrix make_matrix(std::size_t rows, std::size_t cols, double fill) {
    matrix m = matrix::from_shape({rows, cols});
    std::fill(m.begin(), m.end(), fill);
    return m;
}

matrix make_matrix(shape2 shape, double fill) { return make_matrix(shape.rows, shape.cols, fill); }

void ensure_shape(matrix& m, shape2 s) {
    if (m.shape()[0] != s.rows || m.shape()[1] != s.cols) m.resize({s.rows, s.cols});
}

matrix scalar_matrix(double v) { return make_matrix(1, 1, v); }

bool all_finite(const matrix& m) {
    for (double v : m) {
        if (!std::isfinite(v)) return false;
    }
    return true;
}

namespace detail {

void throw_not_two_dimensional(const char* where, std::size_t dimension) {
    throw shape_error(std::string(where) + ": got a tensor of " + std::to_string(dimension) +
                      " dimensions; tapegrad's values are 2-D matrices (rows are features, columns are examples)");
}

}  // namespace detail

}  // namespace tapegrad
