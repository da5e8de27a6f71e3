#include <tapegrad/ops/reductions.hpp>

#include <algorithm>
#include <cmath>
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

// Whether x is the element a reduction to y picked: equal to it, or NaN when y is.
bool is_extreme(double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); }

// out = the largest (is_max) or smallest element of a (all of them when axis < 0),
// NaN when one reduced is NaN; counts = how many elements are the extreme, for
// backward (ties share G).
void extreme_forward(const char* op, const matrix& a, int axis, bool is_max, matrix& out, matrix& counts) {
    if (a.size() == 0) {
        throw shape_error(std::string(op) + ": got an empty input of shape " + shape_string(a) +
                          "; it needs at least one element");
    }
    const std::size_t rows = a.shape()[0], cols = a.shape()[1];
    const shape2 s = axis < 0 ? shape2{1, 1} : axis == 0 ? shape2{1, cols} : shape2{rows, 1};
    kernels::resize(out, s);
    kernels::resize(counts, s);
    // Starting from -inf (+inf) gives the right extreme of any non-empty group, infinities included.
    std::fill(out.begin(), out.end(), is_max ? -HUGE_VAL : HUGE_VAL);
    const kernels::broadcast_ref y(out), n(counts);
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j) {
            const double x = a(i, j);
            double& m = y(i, j);
            // NaN wins and stays: no comparison with it holds.
            if (std::isnan(x) || (is_max ? x > m : x < m)) m = x;
        }
    }
    std::fill(counts.begin(), counts.end(), 0.0);
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j) n(i, j) += is_extreme(a(i, j), y(i, j)) ? 1.0 : 0.0;
    }
}

// G / count to each extreme element of its group, 0 to the others.
void extreme_backward(backward_context& c) {
    const kernels::broadcast_ref g(c.grad()), y(c.value()), n(c.saved(0));
    const matrix& a = c.input(0);
    c.contribute(0, [&](std::size_t i, std::size_t j) {
        return is_extreme(a(i, j), y(i, j)) ? g(i, j) / n(i, j) : 0.0;
    });
}

void max_all_forward(forward_context& f) { extreme_forward(f.op(), f.input(0), -1, true, f.output(), f.saved(0)); }
void min_all_forward(forward_context& f) { extreme_forward(f.op(), f.input(0), -1, false, f.output(), f.saved(0)); }
void max_axis_forward(forward_context& f) {
    extreme_forward(f.op(), f.input(0), axis_of(f.op(), f.scalar(0)), true, f.output(), f.saved(0));
}
void min_axis_forward(forward_context& f) {
    extreme_forward(f.op(), f.input(0), axis_of(f.op(), f.scalar(0)), false, f.output(), f.saved(0));
}

// The public axis functions: the axis is checked before anything runs, naming
// the function called.
var record_axis(const char* name, const op_descriptor& d, const var& a, int axis) {
    check_axis(name, axis);
    return record_op(d, {a}, {static_cast<double>(axis)});
}
matrix evaluate_axis(const char* name, const op_descriptor& d, const matrix& a, int axis) {
    check_axis(name, axis);
    return evaluate_op(d, {a}, {static_cast<double>(axis)});
}

constexpr scalar_case both_axes[] = {{0.0}, {1.0}};

}  // namespace

const op_descriptor sum_op{"sum", 1, {input_domain::any}, sum_all_forward, sum_all_backward, test_shapes::elementwise};
const op_descriptor mean_op{"mean", 1, {input_domain::any}, mean_all_forward, mean_all_backward,
                            test_shapes::elementwise};
const op_descriptor sum_axis_op{"sum_axis", 1, {input_domain::any}, sum_axis_forward, sum_axis_backward,
                                test_shapes::elementwise, both_axes};
const op_descriptor mean_axis_op{"mean_axis", 1, {input_domain::any}, mean_axis_forward, mean_axis_backward,
                                 test_shapes::elementwise, both_axes};

// Ties have probability 0 on random inputs: the gradient test sees no kink.
const op_descriptor max_op{"max", 1, {input_domain::any}, max_all_forward, extreme_backward, test_shapes::elementwise};
const op_descriptor min_op{"min", 1, {input_domain::any}, min_all_forward, extreme_backward, test_shapes::elementwise};
const op_descriptor max_axis_op{"max_axis", 1, {input_domain::any}, max_axis_forward, extreme_backward,
                                test_shapes::elementwise, both_axes};
const op_descriptor min_axis_op{"min_axis", 1, {input_domain::any}, min_axis_forward, extreme_backward,
                                test_shapes::elementwise, both_axes};

var sum(const var& a, int axis) { return record_axis("sum", sum_axis_op, a, axis); }
var mean(const var& a, int axis) { return record_axis("mean", mean_axis_op, a, axis); }
var max(const var& a, int axis) { return record_axis("max", max_axis_op, a, axis); }
var min(const var& a, int axis) { return record_axis("min", min_axis_op, a, axis); }
matrix sum(const matrix& a, int axis) { return evaluate_axis("sum", sum_axis_op, a, axis); }
matrix mean(const matrix& a, int axis) { return evaluate_axis("mean", mean_axis_op, a, axis); }
matrix max(const matrix& a, int axis) { return evaluate_axis("max", max_axis_op, a, axis); }
matrix min(const matrix& a, int axis) { return evaluate_axis("min", min_axis_op, a, axis); }

}  // namespace tapegrad
