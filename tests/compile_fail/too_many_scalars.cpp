// expect: scalar_case|excess elements
// An op has two scalar attributes; a third would overwrite other state.
#include <tapegrad/tapegrad.hpp>

tapegrad::var f(const tapegrad::var& a) { return tapegrad::record_op(tapegrad::mul_scalar_op, {a}, {1.0, 2.0, 3.0}); }
