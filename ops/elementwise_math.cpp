#include <tapegrad/ops/elementwise_math.hpp>

#include <cmath>
#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/number_text.hpp>
#include <tapegrad/ops/kernels.hpp>
#include <tapegrad/ops/test_shapes.hpp>
#include <tapegrad/ops/vector_math.hpp>

namespace tapegrad {

namespace {

void exp_forward(forward_context& f) {
    kernels::map_array(f.input(0), f.output(), kernels::exp);
}
// exp' = exp, the output
void exp_backward(backward_context& c) {
    kernels::unary_backward(c, [](double, double y) { return y; });
}

void log_forward(forward_context& f) {
    kernels::map_array(f.input(0), f.output(), kernels::log);
}
void log_backward(backward_context& c) {
    kernels::unary_backward(c, [](double x, double) { return 1.0 / x; });
}

void square_forward(forward_context& f) {
    kernels::map(f.input(0), f.output(), [](double x) { return x * x; });
}
void square_backward(backward_context& c) {
    kernels::unary_backward(c, [](double x, double) { return 2.0 * x; });
}

void sqrt_forward(forward_context& f) {
    kernels::map(f.input(0), f.output(), [](double x) { return std::sqrt(x); });
}
// sqrt'(x) = 1 / (2 sqrt(x)), from the output
void sqrt_backward(backward_context& c) {
    kernels::unary_backward(c, [](double, double y) { return 0.5 / y; });
}

void abs_forward(forward_context& f) {
    kernels::map(f.input(0), f.output(), [](double x) { return std::fabs(x); });
}
// abs' = sign(x): (0 < x) - (x < 0), so 0 at +-0 and for NaN, as torch.sign
void abs_backward(backward_context& c) {
    kernels::unary_backward(c, [](double x, double) { return static_cast<double>((0.0 < x) - (x < 0.0)); });
}

void log1p_forward(forward_context& f) {
    kernels::map_array(f.input(0), f.output(), kernels::log1p);
}
void log1p_backward(backward_context& c) {
    kernels::unary_backward(c, [](double x, double) { return 1.0 / (x + 1.0); });
}

void expm1_forward(forward_context& f) {
    kernels::map_array(f.input(0), f.output(), kernels::expm1);
}
// expm1' = exp(x) = expm1(x) + 1, from the output as PyTorch does (so 0, not
// exp(x), where expm1(x) rounds to -1)
void expm1_backward(backward_context& c) {
    kernels::unary_backward(c, [](double, double y) { return y + 1.0; });
}

void pow_forward(forward_context& f) {
    const double p = f.scalar(0);
    kernels::map(f.input(0), f.output(), [p](double x) { return std::pow(x, p); });
}
// d/dx x^p = p x^(p-1); for p == 0 the output is the constant 1: gradient 0
// everywhere, also at x = 0 where p x^(p-1) would be 0 * inf
void pow_backward(backward_context& c) {
    const double p = c.scalar(0);
    if (p == 0.0) {
        c.contribute(0, [](std::size_t) { return 0.0; });
        return;
    }
    kernels::unary_backward(c, [p](double x, double) { return p * std::pow(x, p - 1.0); });
}

void check_bounds(const char* op, double lo, double hi) {
    if (!(lo <= hi)) {
        throw value_error(std::string(op) + ": the bounds must satisfy lo <= hi, got lo = " + number_text(lo) +
                          " and hi = " + number_text(hi));
    }
}

// Comparisons that fail for NaN leave NaN in place.
void clamp_forward(forward_context& f) {
    const double lo = f.scalar(0), hi = f.scalar(1);
    check_bounds(f.op(), lo, hi);
    kernels::map(f.input(0), f.output(), [lo, hi](double x) { return x < lo ? lo : x > hi ? hi : x; });
}
// G where lo <= x <= hi (bounds included, as PyTorch), 0 outside and for NaN
void clamp_backward(backward_context& c) {
    const double lo = c.scalar(0), hi = c.scalar(1);
    const double* g = c.grad().data();
    const double* x = c.input(0).data();
    c.contribute(0, [&](std::size_t k) { return lo <= x[k] && x[k] <= hi ? g[k] : 0.0; });
}

constexpr scalar_case test_exponents[] = {{2.0}, {3.0}, {0.5}, {-1.5}};
constexpr scalar_case test_bounds[] = {{-1.0, 1.5}};

}  // namespace

const op_descriptor exp_op{"exp", 1, {input_domain::any}, exp_forward, exp_backward, test_shapes::elementwise};
const op_descriptor log_op{"log", 1, {input_domain::positive}, log_forward, log_backward, test_shapes::elementwise};
const op_descriptor square_op{"square", 1, {input_domain::any}, square_forward, square_backward,
                              test_shapes::elementwise};
const op_descriptor sqrt_op{"sqrt", 1, {input_domain::positive}, sqrt_forward, sqrt_backward, test_shapes::elementwise};
// The kink at 0: tested away from it.
const op_descriptor abs_op{"abs", 1, {input_domain::away_from_zero}, abs_forward, abs_backward,
                           test_shapes::elementwise};
const op_descriptor log1p_op{"log1p", 1, {input_domain::positive}, log1p_forward, log1p_backward,
                             test_shapes::elementwise};
const op_descriptor expm1_op{"expm1", 1, {input_domain::any}, expm1_forward, expm1_backward, test_shapes::elementwise};
// Positive inputs, where every real exponent is defined.
const op_descriptor pow_op{"pow", 1, {input_domain::positive}, pow_forward, pow_backward, test_shapes::elementwise,
                           test_exponents};
const op_descriptor clamp_op{"clamp", 1, {input_domain::any}, clamp_forward, clamp_backward, test_shapes::elementwise,
                             test_bounds};

var pow(const var& a, double p) { return record_op(pow_op, {a}, {p}); }
matrix pow(const matrix& a, double p) { return evaluate_op(pow_op, {a}, {p}); }
// The forward checks the bounds; a throwing forward records nothing.
var clamp(const var& a, double lo, double hi) { return record_op(clamp_op, {a}, {lo, hi}); }
matrix clamp(const matrix& a, double lo, double hi) { return evaluate_op(clamp_op, {a}, {lo, hi}); }

}  // namespace tapegrad
