// Matrix product, the fused linear layers, and transpose (docs/ops.md).
#pragma once

#include <tapegrad/framework/op.hpp>

namespace tapegrad {

// A (n,k) times B (k,m) -> (n,m), through BLAS dgemm.
TAPEGRAD_OP_2(matmul)

// W (n,k) times X (k,m) plus a bias b, a (n,1) column or a (1,1) scalar,
// broadcast over the columns: one op for matmul(W, X) + b, with the same values
// and gradients and one buffer fewer to fill in backward.
TAPEGRAD_OP_3(linear)

// relu(W X + b) as one op: the bias and the ReLU in one pass over the output, and
// in backward the ReLU mask applied in the incoming gradient's own buffer, with
// the same values and gradients as relu(linear(W, X, b)). The mlp's hidden layers
// use it. var::grad() of its output throws after backward (the buffer was reused).
TAPEGRAD_OP_3(linear_relu)

// (n,m) -> (m,n)
TAPEGRAD_OP_1(transpose)

}  // namespace tapegrad
