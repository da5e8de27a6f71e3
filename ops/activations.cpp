#include <tapegrad/ops/activations.hpp>

#include <cmath>
#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/number_text.hpp>
#include <tapegrad/ops/kernels.hpp>
#include <tapegrad/ops/test_shapes.hpp>
#include <tapegrad/ops/vector_math.hpp>

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

// The ops built on exp, log, tanh, log1p and expm1 run them over whole arrays
// (ops/vector_math.hpp), so the vectorized math_mode takes 4 values at a time.
void sigmoid_forward(forward_context& f) {
    kernels::map_array(f.input(0), f.output(), kernels::sigmoid);
}
// s' = s (1 - s), from the output
void sigmoid_backward(backward_context& c) {
    kernels::unary_backward(c, [](double, double s) { return s * (1.0 - s); });
}

void tanh_forward(forward_context& f) {
    kernels::map_array(f.input(0), f.output(), kernels::tanh);
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
    const matrix& x = f.input(0);
    matrix& y = f.output();
    kernels::resize(y, shape_of(x));
    kernels::expm1(x.data(), y.data(), x.size());
    for (std::size_t k = 0; k < x.size(); ++k) y.data()[k] = x.data()[k] <= 0.0 ? alpha * y.data()[k] : x.data()[k];
}
// d/dx alpha expm1(x) = alpha exp(x) at x <= 0 (alpha at 0), 1 above
void elu_backward(backward_context& c) {
    const double alpha = c.scalar(0);
    const matrix& x = c.input(0);
    double* e = kernels::scratch(x.size());
    kernels::exp(x.data(), e, x.size());
    const double* g = c.grad().data();
    c.contribute(0, [&](std::size_t k) { return g[k] * (x.data()[k] <= 0.0 ? alpha * e[k] : 1.0); });
}

// Above the threshold log1p(exp(x)) equals x to double precision (and exp would
// overflow past 709).
constexpr double softplus_threshold = 20.0;

void softplus_forward(forward_context& f) {
    const matrix& x = f.input(0);
    matrix& y = f.output();
    kernels::resize(y, shape_of(x));
    kernels::exp(x.data(), y.data(), x.size());
    kernels::log1p(y.data(), y.data(), y.size());
    for (std::size_t k = 0; k < x.size(); ++k) {
        if (x.data()[k] > softplus_threshold) y.data()[k] = x.data()[k];
    }
}
// d/dx log(1 + e^x) = z / (z + 1) with z = e^x (the sigmoid), 1 above the threshold
void softplus_backward(backward_context& c) {
    const matrix& x = c.input(0);
    double* z = kernels::scratch(x.size());
    kernels::exp(x.data(), z, x.size());
    const double* g = c.grad().data();
    c.contribute(0, [&](std::size_t k) {
        return g[k] * (x.data()[k] > softplus_threshold ? 1.0 : z[k] / (z[k] + 1.0));
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
