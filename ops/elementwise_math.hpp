// Elementwise mathematical functions.
#pragma once

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/matrix_overloads.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

var exp(const var& a);
matrix exp(const matrix& a);

// Natural logarithm; log(0) = -inf and log of a negative number is NaN, as in C.
var log(const var& a);
matrix log(const matrix& a);

var square(const var& a);
matrix square(const matrix& a);

var sqrt(const var& a);
matrix sqrt(const matrix& a);

// Every value category of matrix, so xtensor's functions of the same names are
// never picked by argument-dependent lookup (see matrix_overloads.hpp).
TAPEGRAD_MATRIX_OVERLOADS_1(exp)
TAPEGRAD_MATRIX_OVERLOADS_1(log)
TAPEGRAD_MATRIX_OVERLOADS_1(square)
TAPEGRAD_MATRIX_OVERLOADS_1(sqrt)

}  // namespace tapegrad
