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

// Multi-class cross-entropy from logits Z (K, m), examples in columns: the mean
// over the m examples of -log softmax(Z)[label], computed through log_softmax
// (finite at any finite logits). Y is either a (1, m) row of class indices
// (whole numbers in [0, K): another value throws value_error naming the example;
// a (1, m) row is always indices, K = 1 included) or (K, m) probabilities
// (finite, >= 0; PyTorch's probabilities target: -(1/m) sum Y log_softmax(Z)).
// Other shapes throw shape_error. Y is a constant (not differentiated).
// Backward: dZ = (softmax(Z) - onehot(Y)) / m, or (softmax(Z) colsum(Y) - Y) / m.
// Recorded as softmax_cross_entropy_op, or softmax_cross_entropy_probabilities_op
// for (K, m) labels (the same forward and backward).
extern const op_descriptor softmax_cross_entropy_op, softmax_cross_entropy_probabilities_op;
var softmax_cross_entropy(const var& Z, const var& Y);
matrix softmax_cross_entropy(const matrix& Z, const matrix& Y);
TAPEGRAD_MATRIX_CATEGORIES_2(softmax_cross_entropy)

// Regression losses over all n elements of P and T (same shape, else shape_error),
// PyTorch's mean reduction; both inputs are differentiated, as in PyTorch.
// mse_loss: mean((P - T)^2); dP = 2 (P - T) / n, dT = -dP.
// mae_loss: mean(|P - T|) (PyTorch's l1_loss); dP = sign(P - T) / n with sign(0) = 0, dT = -dP.
extern const op_descriptor mse_loss_op, mae_loss_op;
var mse_loss(const var& P, const var& T);
matrix mse_loss(const matrix& P, const matrix& T);
TAPEGRAD_MATRIX_CATEGORIES_2(mse_loss)
var mae_loss(const var& P, const var& T);
matrix mae_loss(const matrix& P, const matrix& T);
TAPEGRAD_MATRIX_CATEGORIES_2(mae_loss)

}  // namespace tapegrad
