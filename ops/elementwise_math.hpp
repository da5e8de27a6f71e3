// Elementwise mathematical functions (docs/ops.md).
#pragma once

#include <tapegrad/framework/op.hpp>

namespace tapegrad {

// e^x
TAPEGRAD_OP_1(exp)

// Natural logarithm; log(0) = -inf and log of a negative number is NaN, as in C.
TAPEGRAD_OP_1(log)

// x^2
TAPEGRAD_OP_1(square)

// sqrt(x)
TAPEGRAD_OP_1(sqrt)

}  // namespace tapegrad
