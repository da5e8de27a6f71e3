// Shape ops: slices, concatenation and reshape (docs/ops.md). They move values
// without arithmetic; their gradients move G back to where each value came from.
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>

#include <tapegrad/framework/op.hpp>

// Declares a shape op with two whole-number attributes X and Y (scalars 0 and
// 1): its descriptor NAME_op, NAME(var, X, Y), and NAME(matrix, X, Y) for every
// value category of matrix (see TAPEGRAD_OP_1).
#define TAPEGRAD_SHAPE_OP(NAME, X, Y)                                                                \
    extern const op_descriptor NAME##_op;                                                            \
    var NAME(const var& a, std::size_t X, std::size_t Y);                                            \
    matrix NAME(const matrix& a, std::size_t X, std::size_t Y);                                      \
    inline matrix NAME(matrix& a, std::size_t X, std::size_t Y) { return NAME(std::as_const(a), X, Y); } \
    inline matrix NAME(matrix&& a, std::size_t X, std::size_t Y) { return NAME(std::as_const(a), X, Y); }

namespace tapegrad {

// Rows [begin, end) of a, (n, m) -> (end - begin, m), and columns [begin, end),
// (n, m) -> (n, end - begin). The range must be non-empty and within a's shape
// (value_error naming the op, the range and the shape). Backward: G scattered
// into a zero matrix of a's shape. begin and end are scalar attributes 0 and 1.
TAPEGRAD_SHAPE_OP(slice_rows, begin, end)
TAPEGRAD_SHAPE_OP(slice_cols, begin, end)

// a stacked over b, (n, m) and (k, m) -> (n + k, m) (torch.cat dim 0), and a
// beside b, (n, m) and (n, k) -> (n, m + k) (dim 1); the other dimension must
// match (shape_error). Backward: G split back into the two parts.
TAPEGRAD_OP_2(concat_rows)
TAPEGRAD_OP_2(concat_cols)
// A list of at least one (value_error for none), concatenated pairwise from the
// left with the binary op; a list of one gives that var (a copy of that matrix).
var concat_rows(std::initializer_list<var> parts);
var concat_cols(std::initializer_list<var> parts);
matrix concat_rows(std::initializer_list<std::reference_wrapper<const matrix>> parts);
matrix concat_cols(std::initializer_list<std::reference_wrapper<const matrix>> parts);

// a's elements in row-major order as (rows, cols); rows * cols must be a's size
// (shape_error). Backward: G reshaped back to a's shape. rows and cols are
// scalar attributes 0 and 1.
TAPEGRAD_SHAPE_OP(reshape, rows, cols)

}  // namespace tapegrad
