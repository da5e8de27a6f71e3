// Matrix product and transpose.
#pragma once

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/matrix_overloads.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

// A (n,k) times B (k,m) -> (n,m), through BLAS dgemm.
var matmul(const var& a, const var& b);
matrix matmul(const matrix& a, const matrix& b);

// (n,m) -> (m,n)
var transpose(const var& a);
matrix transpose(const matrix& a);

// xt::transpose must not win argument-dependent lookup (see matrix_overloads.hpp).
TAPEGRAD_MATRIX_OVERLOADS_1(transpose)

}  // namespace tapegrad
