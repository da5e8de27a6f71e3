// Activation functions, elementwise (docs/ops.md).
#pragma once

#include <tapegrad/framework/op.hpp>

namespace tapegrad {

// max(x, 0), NaN for NaN (as numpy's maximum); the derivative is taken as 0 at
// x = 0 (where x > 0 fails), and for NaN.
TAPEGRAD_OP_1(relu)

// 1 / (1 + exp(-x)), computed this way (numpy's formula, as the course writes it).
TAPEGRAD_OP_1(sigmoid)

// tanh(x)
TAPEGRAD_OP_1(tanh)

// x for x > 0, slope x otherwise (slope: scalar attribute 0, finite, else
// value_error); the derivative is slope at x <= 0, 0 included, as PyTorch.
extern const op_descriptor leaky_relu_op;
var leaky_relu(const var& a, double slope = 0.01);
matrix leaky_relu(const matrix& a, double slope = 0.01);
inline matrix leaky_relu(matrix& a, double slope = 0.01) { return leaky_relu(static_cast<const matrix&>(a), slope); }
inline matrix leaky_relu(matrix&& a, double slope = 0.01) { return leaky_relu(static_cast<const matrix&>(a), slope); }

// x for x > 0, alpha expm1(x) otherwise (alpha: scalar attribute 0, finite and
// > 0, else value_error); the derivative is alpha exp(x) at x <= 0, so alpha at 0,
// as PyTorch.
extern const op_descriptor elu_op;
var elu(const var& a, double alpha = 1.0);
matrix elu(const matrix& a, double alpha = 1.0);
inline matrix elu(matrix& a, double alpha = 1.0) { return elu(static_cast<const matrix&>(a), alpha); }
inline matrix elu(matrix&& a, double alpha = 1.0) { return elu(static_cast<const matrix&>(a), alpha); }

// log(1 + exp(x)), and x itself above 20 (PyTorch's softplus, beta 1, threshold 20).
TAPEGRAD_OP_1(softplus)

}  // namespace tapegrad
