// The course's hand-written forward and backward passes of its 3-layer
// network (LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID), kept as an
// independent oracle for the autodiff: plain, with L2, and with dropout given
// its masks. Parameters and gradients are the course's dictionaries
// (W1, b1, W2, b2, W3, b3 and dW1, db1, ..., db3). Formulas: ../shared/REFERENCE.md.
#pragma once

#include <tapegrad/models/named_matrices.hpp>

namespace tapegrad {

struct course_cache {
    matrix Z1, A1, D1, Z2, A2, D2, Z3, A3;  // D1, D2 are empty without dropout
};

// Z1 = W1 X + b1, A1 = relu(Z1), ..., A3 = sigmoid(Z3).
course_cache course_forward(const matrix& X, const named_matrices& p);
// The same with inverted dropout on A1 and A2 using the given 0/1 masks:
// A1 = (A1 * D1) / keep_prob, A2 = (A2 * D2) / keep_prob.
course_cache course_forward_with_dropout(const matrix& X, const named_matrices& p, double keep_prob,
                                         const matrix& D1, const matrix& D2);

// (1/m) * nansum(-log(A3) Y - log(1 - A3)(1 - Y)).
double course_cost(const matrix& A3, const matrix& Y);
// course_cost + (1/m)(lambda/2)(sum W1^2 + sum W2^2 + sum W3^2).
double course_cost_with_regularization(const matrix& A3, const matrix& Y, const named_matrices& p, double lambda);

// dZ3 = A3 - Y; dW3 = (1/m) dZ3 A2^T; db3 = (1/m) sum(dZ3, axis 1); dA2 = W3^T dZ3;
// dZ2 = dA2 * (A2 > 0); ... down to dW1, db1. Returns dW1, db1, dW2, db2, dW3, db3.
named_matrices course_backward(const matrix& X, const matrix& Y, const course_cache& cache, const named_matrices& p);
// The same with dW_l += (lambda/m) W_l.
named_matrices course_backward_with_regularization(const matrix& X, const matrix& Y, const course_cache& cache,
                                                   const named_matrices& p, double lambda);
// The same with dA2 = (dA2 * D2) / keep_prob and dA1 = (dA1 * D1) / keep_prob.
named_matrices course_backward_with_dropout(const matrix& X, const matrix& Y, const course_cache& cache,
                                            const named_matrices& p, double keep_prob);

}  // namespace tapegrad
