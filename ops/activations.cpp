#include <tapegrad/ops/activations.hpp>

#include <cmath>
#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/number_text.hpp>
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

void check_slope(const char* op, double slope) {
    if (!std::isfinite(slope)) {
        throw value_error(std::string(op) + ": the negative slope must be finite, got " + number_text(slope));
    }
}

// PyTorch's comparisons: x > 0 takes x, so NaN goes to slope * NaN = NaN.
void leaky_relu_forward(forward_context& f) {
    const double slope = f.scalar(0);
    check_slope(f.op(), slope);
    kernels::map(f.input(0), f.output(), [slope](double x) { return x > 0.0 ? x : slope * x; });
}
void leaky_relu_backward(backward_context& c) {
    const double slope = c.scalar(0);
    kernels::unary_backward(c, [slope](double x, double) { return x > 0.0 ? 1.0 : slope; });
}

void check_alpha(const char* op, double alpha) {
    if (!(std::isfinite(alpha) && alpha > 0.0)) {
        throw value_error(std::string(op) + ": alpha must be finite and > 0, got " + number_text(alpha));
    }
}

// PyTorch's comparisons: x <= 0 takes the exponential branch, NaN the identity.
void elu_forward(forward_context& f) {
    const double alpha = f.scalar(0);
    check_alpha(f.op(), alpha);
    kernels::map(f.input(0), f.output(), [alpha](double x) { return x <= 0.0 ? alpha * std::expm1(x) : x; });
}
// d/dx alpha expm1(x) = alpha exp(x) at x <= 0 (alpha at 0), 1 above
void elu_backward(backward_context& c) {
    const double alpha = c.scalar(0);
    kernels::unary_backward(c, [alpha](double x, double) { return x <= 0.0 ? alpha * std::exp(x) : 1.0; });
}

// Above the threshold log1p(exp(x)) equals x to double precision (and exp would
// overflow past 709).
constexpr double softplus_threshold = 20.0;

void softplus_forward(forward_context& f) {
    kernels::map(f.input(0), f.output(),
                 [](double x) { return x > softplus_threshold ? x : std::log1p(std::exp(x)); });
}
// d/dx log(1 + e^x) = z / (z + 1) with z = e^x (the sigmoid), 1 above the threshold
void softplus_backward(backward_context& c) {
    kernels::unary_backward(c, [](double x, double) {
        if (x > softplus_threshold) return 1.0;
        const double z = std::exp(x);
        return z / (z + 1.0);
    });
}

constexpr scalar_case test_slopes[] = {{0.01}, {0.2}, {-0.5}};
constexpr scalar_case test_alphas[] = {{1.0}, {0.3}};

}  // namespace

// The kink at 0: its gradient test draws inputs away from it.
const op_descriptor relu_op{"relu", 1, {input_domain::away_from_zero}, relu_forward, relu_backward,
                            test_shapes::elementwise};
const op_descriptor sigmoid_op{"sigmoid", 1, {input_domain::any}, sigmoid_forward, sigmoid_backward,
                               test_shapes::elementwise};
const op_descriptor tanh_op{"tanh", 1, {input_domain::any}, tanh_forward, tanh_backward, test_shapes::elementwise};
const op_descriptor leaky_relu_op{"leaky_relu", 1, {input_domain::away_from_zero}, leaky_relu_forward,
                                  leaky_relu_backward, test_shapes::elementwise, test_slopes};
const op_descriptor elu_op{"elu", 1, {input_domain::away_from_zero}, elu_forward, elu_backward,
                           test_shapes::elementwise, test_alphas};
// Smooth everywhere: tested on any input.
const op_descriptor softplus_op{"softplus", 1, {input_domain::any}, softplus_forward, softplus_backward,
                                test_shapes::elementwise};

var leaky_relu(const var& a, double slope) { return record_op(leaky_relu_op, {a}, {slope}); }
matrix leaky_relu(const matrix& a, double slope) { return evaluate_op(leaky_relu_op, {a}, {slope}); }
var elu(const var& a, double alpha) { return record_op(elu_op, {a}, {alpha}); }
matrix elu(const matrix& a, double alpha) { return evaluate_op(elu_op, {a}, {alpha}); }

}  // namespace tapegrad
