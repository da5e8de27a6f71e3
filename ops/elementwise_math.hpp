// Elementwise mathematical functions (docs/ops.md).
#pragma once

#include <type_traits>

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

// |x|; its derivative is sign(x), taken as 0 at 0 (and for NaN), as PyTorch.
TAPEGRAD_OP_1(abs)

// log(1 + x), accurate for small x; d/dx = 1 / (1 + x).
TAPEGRAD_OP_1(log1p)

// exp(x) - 1, accurate for small x; d/dx = expm1(x) + 1, from the output (PyTorch's formula).
TAPEGRAD_OP_1(expm1)

// x^p for a scalar exponent p (scalar attribute 0), as std::pow; d/dx = p x^(p-1),
// and 0 everywhere when p == 0 (PyTorch's rule, so 0^0 = 1 has gradient 0).
extern const op_descriptor pow_op;
var pow(const var& a, double p);
matrix pow(const matrix& a, double p);
// Every value category of matrix and any arithmetic exponent, so xt::pow
// (found by argument-dependent lookup, taking E1&&, E2&&) is never picked: for
// pow(m, 2) it would match the int exactly where this takes a double.
template <class P, std::enable_if_t<std::is_arithmetic_v<P>, int> = 0>
matrix pow(const matrix& a, P p) { return pow(a, static_cast<double>(p)); }
template <class P, std::enable_if_t<std::is_arithmetic_v<P>, int> = 0>
matrix pow(matrix& a, P p) { return pow(static_cast<const matrix&>(a), static_cast<double>(p)); }
template <class P, std::enable_if_t<std::is_arithmetic_v<P>, int> = 0>
matrix pow(matrix&& a, P p) { return pow(static_cast<const matrix&>(a), static_cast<double>(p)); }

// x limited to [lo, hi] (scalar attributes 0 and 1), NaN staying NaN; lo > hi
// (or a NaN bound) throws value_error. The gradient passes where lo <= x <= hi,
// bounds included, and is 0 outside (PyTorch's rule).
extern const op_descriptor clamp_op;
var clamp(const var& a, double lo, double hi);
matrix clamp(const matrix& a, double lo, double hi);
inline matrix clamp(matrix& a, double lo, double hi) { return clamp(static_cast<const matrix&>(a), lo, hi); }
inline matrix clamp(matrix&& a, double lo, double hi) { return clamp(static_cast<const matrix&>(a), lo, hi); }

}  // namespace tapegrad
