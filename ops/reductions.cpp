#include <tapegrad/ops/reductions.hpp>

#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/op_builder.hpp>
#include <tapegrad/ops/kernels.hpp>

namespace tapegrad {

namespace {

void check_axis(const char* op, int axis) {
    if (axis != 0 && axis != 1) {
        throw value_error(std::string(op) + ": axis must be 0 (down the rows) or 1 (along each row), got " +
                          std::to_string(axis));
    }
}

// out = sum of a (all elements when axis < 0) divided by `divisor` when it is not 1.
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

// The gradient of a sum is the incoming gradient broadcast back over the summed
// elements; for a mean it is also divided by the count (saved as scalar 0).
void sum_backward(backward_context& c) {
    const matrix& g = c.grad();
    const double scale = c.scalar(0);
    matrix& acc = c.input_grad(0);
    const kernels::broadcast_ref gr(g);
    for (std::size_t i = 0; i < acc.shape()[0]; ++i) {
        for (std::size_t j = 0; j < acc.shape()[1]; ++j) acc(i, j) += gr(i, j) / scale;
    }
}

var record_sum(const char* op, const var& a, int axis, bool average) {
    op_builder r = a.owner().record(op, {a}, sum_backward);
    const matrix& in = r.input(0);
    double count = 1.0;
    if (average) {
        count = static_cast<double>(axis < 0 ? in.size() : in.shape()[axis == 0 ? 0 : 1]);
    }
    r.scalar(0, count);
    sum_forward(in, axis, average, r.value());
    return r.result();
}

matrix eval_sum(const matrix& a, int axis, bool average) {
    matrix out;
    sum_forward(a, axis, average, out);
    return out;
}

}  // namespace

var sum(const var& a) { return record_sum("sum", a, -1, false); }
matrix sum(const matrix& a) { return eval_sum(a, -1, false); }

var sum(const var& a, int axis) {
    check_axis("sum", axis);
    return record_sum("sum_axis", a, axis, false);
}
matrix sum(const matrix& a, int axis) {
    check_axis("sum", axis);
    return eval_sum(a, axis, false);
}

var mean(const var& a) { return record_sum("mean", a, -1, true); }
matrix mean(const matrix& a) { return eval_sum(a, -1, true); }

var mean(const var& a, int axis) {
    check_axis("mean", axis);
    return record_sum("mean_axis", a, axis, true);
}
matrix mean(const matrix& a, int axis) {
    check_axis("mean", axis);
    return eval_sum(a, axis, true);
}

}  // namespace tapegrad
