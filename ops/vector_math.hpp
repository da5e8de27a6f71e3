// Elementwise math on arrays in the current math_mode (ops/math_mode.hpp):
// y[k] = f(x[k]) for k < n. y may be x (in place). Each value's result depends
// only on the value, never on its position or on n (the last partial vector is
// padded), so a row computes the same wherever it sits in a batch.
// The ops use these; op authors may too (docs/adding-an-op.md).
#pragma once

#include <cstddef>

namespace tapegrad::kernels {

void exp(const double* x, double* y, std::size_t n);
void log(const double* x, double* y, std::size_t n);
void tanh(const double* x, double* y, std::size_t n);
void log1p(const double* x, double* y, std::size_t n);
void expm1(const double* x, double* y, std::size_t n);
// 1 / (1 + exp(-x)), as the course writes it (0 at -inf, 1 at +inf).
void sigmoid(const double* x, double* y, std::size_t n);

// A buffer of n doubles owned by the calling thread, for a rule's intermediate
// values (exp(x) in a backward rule); reused, so a training step allocates
// nothing once warm. Valid until the thread's next call.
double* scratch(std::size_t n);

}  // namespace tapegrad::kernels
