#include <tapegrad/ops/activations.hpp>

#include <cmath>

#include <tapegrad/ops/kernels.hpp>
#include <tapegrad/ops/test_shapes.hpp>

namespace tapegrad {

namespace {

void relu_forward(forward_context& f) {
    // x <= 0 ? 0 : x, not x > 0 ? x : 0: NaN stays NaN, as numpy's maximum(0, x).
    kernels::map(f.input(0), f.output(), [](double x) { return x <= 0.0 ? 0.0 : x; });
}
// relu' = 1 where the output is positive: pass G there, 0 elsewhere (a select,
// which vectorizes, rather than G times 1 or 0)
void relu_backward(backward_context& c) {
    const double* g = c.grad().data();
    const double* y = c.value().data();
    c.contribute(0, [&](std::size_t k) { return y[k] > 0.0 ? g[k] : 0.0; });
}

void sigmoid_forward(forward_context& f) {
    kernels::map(f.input(0), f.output(), [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
}
// s' = s (1 - s), from the output
void sigmoid_backward(backward_context& c) {
    kernels::unary_backward(c, [](double, double s) { return s * (1.0 - s); });
}

void tanh_forward(forward_context& f) {
    kernels::map(f.input(0), f.output(), [](double x) { return std::tanh(x); });
}
// tanh' = 1 - tanh^2, from the output
void tanh_backward(backward_context& c) {
    kernels::unary_backward(c, [](double, double t) { return 1.0 - t * t; });
}

}  // namespace

// The kink at 0: its gradient test draws inputs away from it.
const op_descriptor relu_op{"relu", 1, {input_domain::away_from_zero}, relu_forward, relu_backward,
                            test_shapes::elementwise};
const op_descriptor sigmoid_op{"sigmoid", 1, {input_domain::any}, sigmoid_forward, sigmoid_backward,
                               test_shapes::elementwise};
const op_descriptor tanh_op{"tanh", 1, {input_domain::any}, tanh_forward, tanh_backward, test_shapes::elementwise};

}  // namespace tapegrad
