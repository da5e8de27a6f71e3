// Activation functions.
#pragma once

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/matrix_overloads.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

// max(x, 0); the derivative is taken as 0 at x = 0 (the course's A > 0 rule).
var relu(const var& a);
matrix relu(const matrix& a);

// 1 / (1 + exp(-x)), as the course computes it.
var sigmoid(const var& a);
matrix sigmoid(const matrix& a);

var tanh(const var& a);
matrix tanh(const matrix& a);

// xt::tanh must not win argument-dependent lookup (see matrix_overloads.hpp).
TAPEGRAD_MATRIX_OVERLOADS_1(tanh)

}  // namespace tapegrad
