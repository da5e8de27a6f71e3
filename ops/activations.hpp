// Activation functions, elementwise (docs/ops.md).
#pragma once

#include <tapegrad/framework/op.hpp>

namespace tapegrad {

// max(x, 0), NaN for NaN (as numpy's maximum); the derivative is taken as 0 at
// x = 0 (where x > 0 fails), and for NaN.
TAPEGRAD_OP_1(relu)

// 1 / (1 + exp(-x)), computed this way (numpy's formula, as the course writes it).
TAPEGRAD_OP_1(sigmoid)

// tanh(x)
TAPEGRAD_OP_1(tanh)

}  // namespace tapegrad
