// Sums, means and extrema (docs/ops.md). Sums follow numpy's summation order
// (pairwise along a contiguous row), so results match numpy's rounding.
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

// The largest (smallest) element -> (1,1), or along an axis like sum (axis 0:
// per column -> (1,m); axis 1: per row -> (n,1); another axis: value_error).
// NaN if any element reduced is NaN. The gradient goes to the extreme element;
// elements tied for it share G equally (torch.amax, torch.amin), and where the
// result is NaN the NaN elements share it (torch.max's rule). An empty input
// throws shape_error.
TAPEGRAD_OP_1(max)
TAPEGRAD_OP_1(min)
extern const op_descriptor max_axis_op, min_axis_op;
var max(const var& a, int axis);
var min(const var& a, int axis);
matrix max(const matrix& a, int axis);
matrix min(const matrix& a, int axis);
inline matrix max(matrix& a, int axis) { return max(static_cast<const matrix&>(a), axis); }
inline matrix max(matrix&& a, int axis) { return max(static_cast<const matrix&>(a), axis); }
inline matrix min(matrix& a, int axis) { return min(static_cast<const matrix&>(a), axis); }
inline matrix min(matrix&& a, int axis) { return min(static_cast<const matrix&>(a), axis); }

}  // namespace tapegrad
