// Elementwise arithmetic. Binary ops broadcast a (n,1) column, a (1,m) row or a
// (1,1) scalar against the other operand (numpy's rule for 2-D shapes); the
// gradient of a broadcast operand is summed back to its own shape.
// Every op has a var overload (recorded on the tape) and a matrix overload
// (evaluated without recording, e.g. for prediction).
#pragma once

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

// The shape of a (op) b under broadcasting; throws shape_error naming op and shapes.
shape2 broadcast_shape(const char* op, shape2 a, shape2 b);

var add(const var& a, const var& b);
var sub(const var& a, const var& b);
var mul(const var& a, const var& b);
var div(const var& a, const var& b);
var neg(const var& a);

// With a double constant: a + c, a * c, a / c, c - a, c / a.
var add_scalar(const var& a, double c);
var mul_scalar(const var& a, double c);
var div_scalar(const var& a, double c);
var rsub_scalar(double c, const var& a);
var rdiv_scalar(double c, const var& a);

matrix add(const matrix& a, const matrix& b);
matrix sub(const matrix& a, const matrix& b);
matrix mul(const matrix& a, const matrix& b);
matrix div(const matrix& a, const matrix& b);
matrix neg(const matrix& a);
matrix add_scalar(const matrix& a, double c);
matrix mul_scalar(const matrix& a, double c);
matrix div_scalar(const matrix& a, double c);
matrix rsub_scalar(double c, const matrix& a);
matrix rdiv_scalar(double c, const matrix& a);

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
