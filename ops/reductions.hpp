// Sums and means (docs/ops.md). Sums follow numpy's summation order (pairwise
// along a contiguous row), so results match numpy's rounding.
#pragma once

#include <tapegrad/framework/op.hpp>

namespace tapegrad {

// Sum and mean of all elements -> (1,1).
TAPEGRAD_OP_1(sum)
TAPEGRAD_OP_1(mean)

// Along an axis (scalar attribute 0), keeping dims like numpy's keepdims=True:
// axis 0 sums down the rows, (n,m) -> (1,m); axis 1 along each row, (n,m) -> (n,1).
// Another axis throws value_error.
extern const op_descriptor sum_axis_op, mean_axis_op;
var sum(const var& a, int axis);
var mean(const var& a, int axis);
matrix sum(const matrix& a, int axis);
matrix mean(const matrix& a, int axis);
// Every value category of matrix, so xtensor's xt::sum and xt::mean (found by
// argument-dependent lookup, taking E&&) are never picked (see TAPEGRAD_OP_1).
inline matrix sum(matrix& a, int axis) { return sum(static_cast<const matrix&>(a), axis); }
inline matrix sum(matrix&& a, int axis) { return sum(static_cast<const matrix&>(a), axis); }
inline matrix mean(matrix& a, int axis) { return mean(static_cast<const matrix&>(a), axis); }
inline matrix mean(matrix&& a, int axis) { return mean(static_cast<const matrix&>(a), axis); }

}  // namespace tapegrad
