// Elementwise mathematical functions.
#pragma once

#include <tapegrad/framework/matrix.hpp>
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

}  // namespace tapegrad
