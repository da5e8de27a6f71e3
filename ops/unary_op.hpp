// Shared plumbing for elementwise unary ops: record a node whose value is f(x)
// and whose backward adds g * df. Used by activations and elementwise math.
#pragma once

#include <tapegrad/framework/op_builder.hpp>
#include <tapegrad/ops/kernels.hpp>

namespace tapegrad::kernels {

template <class F>
var record_unary(const char* op, const var& a, backward_fn backward, F f) {
    op_builder r = a.owner().record(op, {a}, backward);
    map(r.input(0), r.value(), f);
    return r.result();
}

template <class F>
matrix eval_unary(const matrix& a, F f) {
    matrix out;
    map(a, out, f);
    return out;
}

// dx += g * d(x, y) for every element, with x the input and y the output.
template <class D>
void unary_backward(backward_context& c, D d) {
    const double* g = c.grad().data();
    const double* x = c.input(0).data();
    const double* y = c.value().data();
    deposit(c, 0, [&](std::size_t k) { return g[k] * d(x[k], y[k]); });
}

}  // namespace tapegrad::kernels
