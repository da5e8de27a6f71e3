// Binary cross-entropy, the course's cost. A or Z is (n, m) with m examples in
// columns; Y has the same shape and holds 0/1 labels. Y must be a constant of
// the tape (labels are not differentiated). Both return a 1x1 cost.
#pragma once

#include <tapegrad/framework/op.hpp>

namespace tapegrad {

// The course's cost, exactly: (1/m) * nansum(-log(A) * Y - log(1 - A) * (1 - Y)).
// A confidently wrong prediction (A exactly 0 or 1 the wrong way) gives +inf; the
// NaN terms of confidently right predictions are dropped, as nansum does.
// Backward: (1/m) * (-Y/A + (1 - Y)/(1 - A)), and 0 for a dropped term.
extern const op_descriptor binary_cross_entropy_op;
var binary_cross_entropy(const var& A, const var& Y);
matrix binary_cross_entropy(const matrix& A, const matrix& Y);

// The numerically stable form from the logits Z (A = sigmoid(Z)):
// (1/m) * sum(max(z, 0) - z * y + log(1 + exp(-|z|))), finite for every finite Z.
// Backward: (sigmoid(Z) - Y) / m.
extern const op_descriptor binary_cross_entropy_with_logits_op;
var binary_cross_entropy_with_logits(const var& Z, const var& Y);
matrix binary_cross_entropy_with_logits(const matrix& Z, const matrix& Y);

// The course's output layer and cost as one op: A = 1 / (1 + exp(-Z)) as the
// course computes it, then exactly binary_cross_entropy(A, Y) (+inf for a
// saturated wrong prediction, NaN terms dropped). Backward is the course's
// dZ = (1/m) (A - Y): the derivative wherever the cost is finite, and still
// finite where it is not, so training goes on after an infinite cost as the
// course's does (composing sigmoid and binary_cross_entropy would give NaN there).
extern const op_descriptor sigmoid_binary_cross_entropy_op;
var sigmoid_binary_cross_entropy(const var& Z, const var& Y);
matrix sigmoid_binary_cross_entropy(const matrix& Z, const matrix& Y);

}  // namespace tapegrad
