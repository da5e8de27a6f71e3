// Elementwise arithmetic (docs/ops.md). Binary ops broadcast a (n,1) column, a
// (1,m) row or a (1,1) scalar against the other operand (numpy's rule for 2-D
// shapes); the gradient of a broadcast operand is summed back to its own shape.
#pragma once

#include <tapegrad/framework/op.hpp>

namespace tapegrad {

// The shape of a (op) b under broadcasting; throws shape_error naming op and shapes.
shape2 broadcast_shape(const char* op, shape2 a, shape2 b);

TAPEGRAD_OP_2(add)
TAPEGRAD_OP_2(sub)
TAPEGRAD_OP_2(mul)
TAPEGRAD_OP_2(div)
TAPEGRAD_OP_1(neg)

// The larger (smaller) of a and b elementwise, broadcasting as add; NaN if either
// is NaN (torch.maximum, torch.minimum). The gradient goes to the larger (smaller)
// operand; where they are equal each gets G / 2 (PyTorch's rule).
TAPEGRAD_OP_2(maximum)
TAPEGRAD_OP_2(minimum)

// With a double constant c (scalar attribute 0): a + c, a * c, a / c, c - a, c / a.
extern const op_descriptor add_scalar_op, mul_scalar_op, div_scalar_op, rsub_scalar_op, rdiv_scalar_op;
inline var add_scalar(const var& a, double c) { return record_op(add_scalar_op, {a}, {c}); }
inline var mul_scalar(const var& a, double c) { return record_op(mul_scalar_op, {a}, {c}); }
inline var div_scalar(const var& a, double c) { return record_op(div_scalar_op, {a}, {c}); }
inline var rsub_scalar(double c, const var& a) { return record_op(rsub_scalar_op, {a}, {c}); }
inline var rdiv_scalar(double c, const var& a) { return record_op(rdiv_scalar_op, {a}, {c}); }
inline matrix add_scalar(const matrix& a, double c) { return evaluate_op(add_scalar_op, {a}, {c}); }
inline matrix mul_scalar(const matrix& a, double c) { return evaluate_op(mul_scalar_op, {a}, {c}); }
inline matrix div_scalar(const matrix& a, double c) { return evaluate_op(div_scalar_op, {a}, {c}); }
inline matrix rsub_scalar(double c, const matrix& a) { return evaluate_op(rsub_scalar_op, {a}, {c}); }
inline matrix rdiv_scalar(double c, const matrix& a) { return evaluate_op(rdiv_scalar_op, {a}, {c}); }

inline var operator+(const var& a, const var& b) { return add(a, b); }
inline var operator-(const var& a, const var& b) { return sub(a, b); }
inline var operator*(const var& a, const var& b) { return mul(a, b); }
inline var operator/(const var& a, const var& b) { return div(a, b); }
inline var operator-(const var& a) { return neg(a); }
inline var operator+(const var& a, double c) { return add_scalar(a, c); }
inline var operator+(double c, const var& a) { return add_scalar(a, c); }
// a - c is a + (-c): the same IEEE result, one op fewer.
inline var operator-(const var& a, double c) { return add_scalar(a, -c); }
inline var operator-(double c, const var& a) { return rsub_scalar(c, a); }
inline var operator*(const var& a, double c) { return mul_scalar(a, c); }
inline var operator*(double c, const var& a) { return mul_scalar(a, c); }
inline var operator/(const var& a, double c) { return div_scalar(a, c); }
inline var operator/(double c, const var& a) { return rdiv_scalar(c, a); }

}  // namespace tapegrad
