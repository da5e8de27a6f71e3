// The value type of every tape node: a 2-D row-major matrix of doubles.
// Rows are features, columns are examples; a scalar is 1x1.
#pragma once

#include <cstddef>
#include <string>

#include <xtensor/xtensor.hpp>

namespace tapegrad {

using matrix = xt::xtensor<double, 2>;

// (rows, cols) of a matrix, as used in shape arguments and error messages.
struct shape2 {
    std::size_t rows = 0;
    std::size_t cols = 0;
    friend bool operator==(const shape2& a, const shape2& b) { return a.rows == b.rows && a.cols == b.cols; }
    friend bool operator!=(const shape2& a, const shape2& b) { return !(a == b); }
};

shape2 shape_of(const matrix& m);

// "(3, 4)": the notation every error message uses.
std::string to_string(const shape2& s);
std::string shape_string(const matrix& m);

// A rows x cols matrix filled with `fill`.
matrix make_matrix(std::size_t rows, std::size_t cols, double fill = 0.0);
matrix make_matrix(shape2 shape, double fill = 0.0);

// Gives m the shape s, keeping its memory when the shape is already s (so a
// buffer reused every iteration is never reallocated). Contents are unspecified.
void ensure_shape(matrix& m, shape2 s);

// A 1x1 matrix.
matrix scalar_matrix(double v);

// True when every element is finite (no NaN, no infinity).
bool all_finite(const matrix& m);

namespace detail {
// shape_error: `where` was given a tensor of `dimension` dimensions, not a matrix.
[[noreturn]] void throw_not_two_dimensional(const char* where, std::size_t dimension);
}  // namespace detail

}  // namespace tapegrad
