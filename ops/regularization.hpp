// L2 weight penalty, the course's regularization term.
#pragma once

#include <vector>

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

// (1/m) * (lambda/2) * (sum(W1^2) + sum(W2^2) + ...), in the course's order of
// operations. Gradient (lambda/m) * W for each weight. Pass the weight matrices
// only: biases are not penalized. A regularized cost is loss + l2_penalty(...).
// Throws value_error for an empty list, lambda < 0 or m <= 0.
var l2_penalty(const std::vector<var>& weights, double lambda, double m);
matrix l2_penalty(const std::vector<matrix>& weights, double lambda, double m);

}  // namespace tapegrad
