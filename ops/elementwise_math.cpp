#include <tapegrad/ops/elementwise_math.hpp>

#include <cmath>

#include <tapegrad/ops/kernels.hpp>
#include <tapegrad/ops/test_shapes.hpp>

namespace tapegrad {

namespace {

void exp_forward(forward_context& f) {
    kernels::map(f.input(0), f.output(), [](double x) { return std::exp(x); });
}
// exp' = exp, the output
void exp_backward(backward_context& c) {
    kernels::unary_backward(c, [](double, double y) { return y; });
}

void log_forward(forward_context& f) {
    kernels::map(f.input(0), f.output(), [](double x) { return std::log(x); });
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

}  // namespace

const op_descriptor exp_op{"exp", 1, {input_domain::any}, exp_forward, exp_backward, test_shapes::elementwise};
const op_descriptor log_op{"log", 1, {input_domain::positive}, log_forward, log_backward, test_shapes::elementwise};
const op_descriptor square_op{"square", 1, {input_domain::any}, square_forward, square_backward,
                              test_shapes::elementwise};
const op_descriptor sqrt_op{"sqrt", 1, {input_domain::positive}, sqrt_forward, sqrt_backward, test_shapes::elementwise};

}  // namespace tapegrad
