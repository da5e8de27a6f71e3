// The shapes the library's ops are gradient-tested at (op_descriptor::test_shapes):
// each case lists one shape per input.
#pragma once

#include <tapegrad/framework/op.hpp>

namespace tapegrad::test_shapes {

// One input: a scalar, a column, a row, a block.
inline constexpr shape_case elementwise[] = {{{{1, 1}}}, {{{3, 1}}}, {{{1, 4}}}, {{{3, 4}}}};

// Two inputs: equal shapes, each broadcast form on either side, and an outer broadcast.
inline constexpr shape_case broadcast[] = {{{{3, 4}, {3, 4}}}, {{{3, 4}, {3, 1}}}, {{{3, 4}, {1, 4}}},
                                           {{{3, 4}, {1, 1}}}, {{{3, 1}, {3, 4}}}, {{{1, 4}, {3, 4}}},
                                           {{{1, 1}, {3, 4}}}, {{{3, 1}, {1, 4}}}, {{{1, 1}, {1, 1}}}};

// Two inputs of the same shape (predictions and labels, values and masks):
// one example, a row of examples, a block.
inline constexpr shape_case paired[] = {{{{1, 1}, {1, 1}}}, {{{1, 5}, {1, 5}}}, {{{3, 4}, {3, 4}}}};

}  // namespace tapegrad::test_shapes
