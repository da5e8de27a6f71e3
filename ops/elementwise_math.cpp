#include <tapegrad/ops/elementwise_math.hpp>

#include <cmath>

#include <tapegrad/ops/unary_op.hpp>

namespace tapegrad {

namespace {

const auto exp_f = [](double x) { return std::exp(x); };
const auto log_f = [](double x) { return std::log(x); };
const auto square_f = [](double x) { return x * x; };
const auto sqrt_f = [](double x) { return std::sqrt(x); };

void exp_backward(backward_context& c) {
    kernels::unary_backward(c, [](double, double y) { return y; });
}
void log_backward(backward_context& c) {
    kernels::unary_backward(c, [](double x, double) { return 1.0 / x; });
}
void square_backward(backward_context& c) {
    kernels::unary_backward(c, [](double x, double) { return 2.0 * x; });
}
// d sqrt(x) = 1 / (2 sqrt(x)), from the saved output
void sqrt_backward(backward_context& c) {
    kernels::unary_backward(c, [](double, double y) { return 0.5 / y; });
}

}  // namespace

var exp(const var& a) { return kernels::record_unary("exp", a, exp_backward, exp_f); }
matrix exp(const matrix& a) { return kernels::eval_unary(a, exp_f); }

var log(const var& a) { return kernels::record_unary("log", a, log_backward, log_f); }
matrix log(const matrix& a) { return kernels::eval_unary(a, log_f); }

var square(const var& a) { return kernels::record_unary("square", a, square_backward, square_f); }
matrix square(const matrix& a) { return kernels::eval_unary(a, square_f); }

var sqrt(const var& a) { return kernels::record_unary("sqrt", a, sqrt_backward, sqrt_f); }
matrix sqrt(const matrix& a) { return kernels::eval_unary(a, sqrt_f); }

}  // namespace tapegrad
