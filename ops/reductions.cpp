#include <tapegrad/ops/reductions.hpp>

#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/ops/kernels.hpp>
#include <tapegrad/ops/test_shapes.hpp>

namespace tapegrad {

namespace {

void check_axis(const char* op, int axis) {
    if (axis != 0 && axis != 1) {
        throw value_error(std::string(op) + ": axis must be 0 (down the rows) or 1 (along each row), got " +
                          std::to_string(axis));
    }
}

// The axis of a sum_axis or mean_axis node (scalar attribute 0).
int axis_of(const char* op, double a) {
    const int axis = a == 0.0 ? 0 : a == 1.0 ? 1 : -1;
    check_axis(op, axis);
    return axis;
}

// The number of elements each output element sums (axis < 0: all of them).
double count(const matrix& a, int axis) {
    return static_cast<double>(axis < 0 ? a.size() : a.shape()[axis == 0 ? 0 : 1]);
}

// out = sum of a (all elements when axis < 0), divided by the count when averaging.
void sum_forward(const matrix& a, int axis, bool average, matrix& out) {
    const std::size_t rows = a.shape()[0], cols = a.shape()[1];
    if (axis < 0) {
        kernels::resize(out, 1, 1);
        out(0, 0) = kernels::pairwise_sum(a.data(), a.size(), 1);
        if (average) out(0, 0) /= static_cast<double>(a.size());
    } else if (axis == 1) {
        kernels::resize(out, rows, 1);
        for (std::size_t i = 0; i < rows; ++i) {
            out(i, 0) = kernels::pairwise_sum(a.data() + i * cols, cols, 1);
            if (average) out(i, 0) /= static_cast<double>(cols);
        }
    } else {
        // numpy adds row after row here; so do we.
        kernels::resize(out, 1, cols);
        std::fill(out.begin(), out.end(), 0.0);
        for (std::size_t i = 0; i < rows; ++i) {
            for (std::size_t j = 0; j < cols; ++j) out(0, j) += a(i, j);
        }
        if (average) {
            for (std::size_t j = 0; j < cols; ++j) out(0, j) /= static_cast<double>(rows);
        }
    }
}

// The gradient of a sum is G broadcast back over the summed elements; for a
// mean it is also divided by the count.
void sum_backward(backward_context& c, int axis, bool average) {
    const kernels::broadcast_ref g(c.grad());
    const double scale = average ? count(c.input(0), axis) : 1.0;
    c.contribute(0, [&](std::size_t i, std::size_t j) { return g(i, j) / scale; });
}

void sum_all_forward(forward_context& f) { sum_forward(f.input(0), -1, false, f.output()); }
void mean_all_forward(forward_context& f) { sum_forward(f.input(0), -1, true, f.output()); }
void sum_axis_forward(forward_context& f) { sum_forward(f.input(0), axis_of(f.op(), f.scalar(0)), false, f.output()); }
void mean_axis_forward(forward_context& f) { sum_forward(f.input(0), axis_of(f.op(), f.scalar(0)), true, f.output()); }
void sum_all_backward(backward_context& c) { sum_backward(c, -1, false); }
void mean_all_backward(backward_context& c) { sum_backward(c, -1, true); }
void sum_axis_backward(backward_context& c) { sum_backward(c, axis_of(c.op(), c.scalar(0)), false); }
void mean_axis_backward(backward_context& c) { sum_backward(c, axis_of(c.op(), c.scalar(0)), true); }

constexpr scalar_case both_axes[] = {{0.0}, {1.0}};

}  // namespace

const op_descriptor sum_op{"sum", 1, {input_domain::any}, sum_all_forward, sum_all_backward, test_shapes::elementwise};
const op_descriptor mean_op{"mean", 1, {input_domain::any}, mean_all_forward, mean_all_backward,
                            test_shapes::elementwise};
const op_descriptor sum_axis_op{"sum_axis", 1, {input_domain::any}, sum_axis_forward, sum_axis_backward,
                                test_shapes::elementwise, both_axes};
const op_descriptor mean_axis_op{"mean_axis", 1, {input_domain::any}, mean_axis_forward, mean_axis_backward,
                                 test_shapes::elementwise, both_axes};

var sum(const var& a, int axis) {
    check_axis("sum", axis);
    return record_op(sum_axis_op, {a}, {static_cast<double>(axis)});
}
var mean(const var& a, int axis) {
    check_axis("mean", axis);
    return record_op(mean_axis_op, {a}, {static_cast<double>(axis)});
}
matrix sum(const matrix& a, int axis) {
    check_axis("sum", axis);
    return evaluate_op(sum_axis_op, {a}, {static_cast<double>(axis)});
}
matrix mean(const matrix& a, int axis) {
    check_axis("mean", axis);
    return evaluate_op(mean_axis_op, {a}, {static_cast<double>(axis)});
}

}  // namespace tapegrad
