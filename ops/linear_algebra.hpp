// Matrix product and transpose.
#pragma once

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/matrix_overloads.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

// A (n,k) times B (k,m) -> (n,m), through BLAS dgemm.
var matmul(const var& a, const var& b);
matrix matmul(const matrix& a, const matrix& b);

// W (n,k) times X (k,m) plus a bias b, a (n,1) column or a (1,1) scalar,
// broadcast over the columns: one op for matmul(W, X) + b, with the same values
// and gradients and one less buffer to fill in backward. The MLP's layers use it.
var linear(const var& W, const var& X, const var& b);
matrix linear(const matrix& W, const matrix& X, const matrix& b);

// relu(W X + b) as one op: the bias and the ReLU in one pass over the output, and
// in backward the ReLU mask and the bias gradient in one, with the same values and
// gradients as relu(linear(W, X, b)). The MLP's hidden layers use it.
var linear_relu(const var& W, const var& X, const var& b);
matrix linear_relu(const matrix& W, const matrix& X, const matrix& b);

// (n,m) -> (m,n)
var transpose(const var& a);
matrix transpose(const matrix& a);

// xt::transpose must not win argument-dependent lookup (see matrix_overloads.hpp).
TAPEGRAD_MATRIX_OVERLOADS_1(transpose)

}  // namespace tapegrad
