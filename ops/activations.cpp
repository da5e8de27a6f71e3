#include <tapegrad/ops/activations.hpp>

#include <cmath>

#include <tapegrad/ops/unary_op.hpp>

namespace tapegrad {

namespace {

const auto relu_f = [](double x) { return x > 0.0 ? x : 0.0; };
const auto sigmoid_f = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
const auto tanh_f = [](double x) { return std::tanh(x); };

// relu' = 1 where the output is positive: pass g there, 0 elsewhere (a select,
// which vectorizes, rather than g times 1 or 0)
void relu_backward(backward_context& c) {
    const double* g = c.grad().data();
    const double* y = c.value().data();
    kernels::deposit(c, 0, [&](std::size_t k) { return y[k] > 0.0 ? g[k] : 0.0; });
}
// s' = s (1 - s)
void sigmoid_backward(backward_context& c) {
    kernels::unary_backward(c, [](double, double s) { return s * (1.0 - s); });
}
// tanh' = 1 - tanh^2
void tanh_backward(backward_context& c) {
    kernels::unary_backward(c, [](double, double t) { return 1.0 - t * t; });
}

}  // namespace

var relu(const var& a) { return kernels::record_unary("relu", a, relu_backward, relu_f); }
matrix relu(const matrix& a) { return kernels::eval_unary(a, relu_f); }

var sigmoid(const var& a) { return kernels::record_unary("sigmoid", a, sigmoid_backward, sigmoid_f); }
matrix sigmoid(const matrix& a) { return kernels::eval_unary(a, sigmoid_f); }

var tanh(const var& a) { return kernels::record_unary("tanh", a, tanh_backward, tanh_f); }
matrix tanh(const matrix& a) { return kernels::eval_unary(a, tanh_f); }

}  // namespace tapegrad
