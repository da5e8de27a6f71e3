// Matrix product and transpose.
#pragma once

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

// A (n,k) times B (k,m) -> (n,m), through BLAS dgemm.
var matmul(const var& a, const var& b);
matrix matmul(const matrix& a, const matrix& b);

// (n,m) -> (m,n)
var transpose(const var& a);
matrix transpose(const matrix& a);

}  // namespace tapegrad
