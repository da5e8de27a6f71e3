// Sums and means. Sums follow numpy's summation order (pairwise along a
// contiguous row), so results match numpy's rounding where the course is reproduced.
#pragma once

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/matrix_overloads.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

// Sum of all elements -> (1,1).
var sum(const var& a);
matrix sum(const matrix& a);

// Sum along an axis, keeping dims like numpy's keepdims=True:
// axis 0 sums down the rows, (n,m) -> (1,m); axis 1 sums along each row, (n,m) -> (n,1).
var sum(const var& a, int axis);
matrix sum(const matrix& a, int axis);

// Mean of all elements -> (1,1), and along an axis (sum / count).
var mean(const var& a);
matrix mean(const matrix& a);
var mean(const var& a, int axis);
matrix mean(const matrix& a, int axis);

// Every value category of matrix, so xtensor's xt::sum and xt::mean are never
// picked by argument-dependent lookup (see matrix_overloads.hpp).
TAPEGRAD_MATRIX_OVERLOADS_1(sum)
TAPEGRAD_MATRIX_OVERLOADS_1(mean)
TAPEGRAD_MATRIX_OVERLOADS_1_ARG(sum, int)
TAPEGRAD_MATRIX_OVERLOADS_1_ARG(mean, int)

}  // namespace tapegrad
