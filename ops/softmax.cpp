#include <tapegrad/ops/softmax.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/ops/kernels.hpp>
#include <tapegrad/ops/test_shapes.hpp>
#include <tapegrad/ops/vector_math.hpp>

namespace tapegrad {

namespace {

// For each column j of z (K, m): fill out(., j) with exp(z - max) and call
// done(j, max, sum) with the column's max and the sum of those exps, added down
// the rows in order. The exps run over the whole block at once
// (ops/vector_math.hpp), the column sums in kernels::scratch. `shift` is scratch memory for m doubles (kept by the node). The
// shift by the column's max keeps exp from overflowing; a +inf in the column
// makes inf - inf = NaN and a NaN stays NaN (fmax skips it, exp does not), so
// such columns come out all NaN, as in PyTorch.
template <class Done>
void shifted_exp_columns(const matrix& z, matrix& out, double* shift, Done done) {
    const std::size_t rows = z.shape()[0], cols = z.shape()[1];
    kernels::resize(out, rows, cols);
    std::copy(z.data(), z.data() + cols, shift);
    for (std::size_t i = 1; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j) shift[j] = std::fmax(shift[j], z(i, j));
    }
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j) out(i, j) = z(i, j) - shift[j];
    }
    kernels::exp(out.data(), out.data(), out.size());
    double* sums = kernels::scratch(cols);
    std::fill(sums, sums + cols, 0.0);
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j) sums[j] += out(i, j);
    }
    for (std::size_t j = 0; j < cols; ++j) done(j, shift[j], sums[j]);
}

// The column sums of f(i, j) over a (rows, cols) block, down the rows in order.
// Backward has no buffer of its own, so the sums live in a per-thread buffer
// that only grows: a training step allocates nothing in steady state, and tapes
// on several threads (the gradient checker's workers) do not share it.
template <class F>
const std::vector<double>& column_sums(shape2 s, F f) {
    thread_local std::vector<double> sums;
    sums.assign(s.cols, 0.0);
    for (std::size_t i = 0; i < s.rows; ++i) {
        for (std::size_t j = 0; j < s.cols; ++j) sums[j] += f(i, j);
    }
    return sums;
}

// The classes are rows: a matrix without rows has no distribution to give.
void check_classes(const forward_context& f) {
    if (f.input(0).shape()[0] == 0) {
        throw shape_error(std::string(f.op()) + ": the input has shape " + shape_string(f.input(0)) +
                          "; it needs at least one row (the classes are rows, the examples columns)");
    }
}

void softmax_forward(forward_context& f) {
    check_classes(f);
    const matrix& z = f.input(0);
    matrix& y = f.output();
    kernels::resize(f.saved(0), 1, z.shape()[1]);
    shifted_exp_columns(z, y, f.saved(0).data(), [&](std::size_t j, double, double s) {
        for (std::size_t i = 0; i < z.shape()[0]; ++i) y(i, j) /= s;
    });
}

// dz = y (G - sum_k G_k y_k): the Jacobian diag(y) - y y^T applied to G, per column.
void softmax_backward(backward_context& c) {
    const matrix& g = c.grad();
    const matrix& y = c.value();
    const std::vector<double>& s =
        column_sums(shape_of(g), [&](std::size_t i, std::size_t j) { return g(i, j) * y(i, j); });
    c.contribute(0, [&](std::size_t i, std::size_t j) { return y(i, j) * (g(i, j) - s[j]); });
}

void log_softmax_forward(forward_context& f) {
    check_classes(f);
    kernels::resize(f.saved(0), 1, f.input(0).shape()[1]);
    detail::log_softmax_columns(f.input(0), f.output(), f.saved(0).data());
}

// dz = G - exp(y) sum_k G_k, with exp(y) = softmax(z) from the output.
void log_softmax_backward(backward_context& c) {
    const matrix& g = c.grad();
    const matrix& y = c.value();
    const std::vector<double>& s = column_sums(shape_of(g), [&](std::size_t i, std::size_t j) { return g(i, j); });
    double* p = kernels::scratch(y.size());
    kernels::exp(y.data(), p, y.size());
    const std::size_t cols = y.shape()[1];
    c.contribute(0, [&](std::size_t i, std::size_t j) { return g(i, j) - p[i * cols + j] * s[j]; });
}

}  // namespace

void detail::log_softmax_columns(const matrix& z, matrix& out, double* scratch) {
    shifted_exp_columns(z, out, scratch, [&](std::size_t j, double shift, double s) {
        const double log_s = std::log(s);
        for (std::size_t i = 0; i < z.shape()[0]; ++i) out(i, j) = (z(i, j) - shift) - log_s;
    });
}

const op_descriptor softmax_op{"softmax", 1, {input_domain::any}, softmax_forward, softmax_backward,
                               test_shapes::elementwise};
const op_descriptor log_softmax_op{"log_softmax", 1, {input_domain::any}, log_softmax_forward,
                                   log_softmax_backward, test_shapes::elementwise};

}  // namespace tapegrad
