#include <tapegrad/ops/linear_algebra.hpp>

#include <string>

#include <cblas.h>

#include <tapegrad/framework/detail/blas_memory.hpp>
#include <tapegrad/framework/error.hpp>
#include <tapegrad/ops/kernels.hpp>
#include <tapegrad/ops/test_shapes.hpp>

namespace tapegrad {

namespace {

// out = a b on row-major contiguous matrices (OpenBLAS dgemm; a row's length is
// the leading dimension, not read from xtensor's strides, 0 for a size-1 dimension).
void matmul_into(const char* op, const matrix& a, const matrix& b, matrix& out) {
    if (a.shape()[1] != b.shape()[0]) {
        const std::string where = std::string(op) == "matmul" ? "matmul: " : std::string(op) + ": the matmul W x: ";
        throw shape_error(where + "shapes " + shape_string(a) + " and " + shape_string(b) +
                          " do not fit; the columns of the left operand must equal the rows of the right");
    }
    const std::size_t m = a.shape()[0], n = b.shape()[1], k = a.shape()[1];
    kernels::resize(out, m, n);
    if (m == 0 || n == 0) return;
    if (k == 0) {
        std::fill(out.begin(), out.end(), 0.0);
        return;
    }
    detail::require_blas_memory(op);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<blasint>(m), static_cast<blasint>(n),
                static_cast<blasint>(k), 1.0, a.data(), static_cast<blasint>(k), b.data(), static_cast<blasint>(n),
                0.0, out.data(), static_cast<blasint>(n));
}

void matmul_forward(forward_context& f) { matmul_into(f.op(), f.input(0), f.input(1), f.output()); }

// C = A B: dA = G B^T, dB = A^T G
void matmul_backward(backward_context& c) {
    if (c.needs_grad(0)) c.contribute_product(0, c.grad(), false, c.input(1), true);
    if (c.needs_grad(1)) c.contribute_product(1, c.input(0), true, c.grad(), false);
}

// Z = W X + b: the product, then b added in place as add() would (the same
// rounding), b a (n, 1) column or a (1, 1) scalar; with `relu`, also max(Z, 0)
// in the same pass, as relu() would.
void linear_forward(forward_context& f, bool relu) {
    const matrix& b = f.input(2);
    matrix& out = f.output();
    matmul_into(f.op(), f.input(0), f.input(1), out);
    const std::size_t rows = out.shape()[0], cols = out.shape()[1];
    const bool column = b.shape()[0] == rows && b.shape()[1] == 1;
    if (!column && !(b.shape()[0] == 1 && b.shape()[1] == 1)) {
        throw shape_error(std::string(f.op()) + ": the bias has shape " + shape_string(b) + " but W x has shape " +
                          shape_string(out) + "; the bias must be a (" + std::to_string(rows) +
                          ", 1) column or a (1, 1) scalar");
    }
    double* z = out.data();
    const double* pb = b.data();
    for (std::size_t i = 0; i < rows; ++i) {
        const double bi = pb[column ? i : 0];
        double* row = z + i * cols;
        if (relu) {
            for (std::size_t j = 0; j < cols; ++j) {
                const double v = row[j] + bi;
                row[j] = v <= 0.0 ? 0.0 : v;  // NaN stays NaN, as relu
            }
        } else {
            for (std::size_t j = 0; j < cols; ++j) row[j] = row[j] + bi;
        }
    }
}

// Z = W X + b with dZ given: dW = dZ X^T, dX = W^T dZ, db = dZ summed along each
// row (over all of dZ for a scalar b), row by row in column order.
void linear_backward_from(backward_context& c, const matrix& dz) {
    if (c.needs_grad(0)) c.contribute_product(0, dz, false, c.input(1), true);
    if (c.needs_grad(1)) c.contribute_product(1, c.input(0), true, dz, false);
    if (c.needs_grad(2)) {
        const double* p = dz.data();
        const std::size_t cols = dz.shape()[1];
        c.contribute_summed(2, [&](std::size_t i, std::size_t j) { return p[i * cols + j]; });
    }
}

void linear_plain_forward(forward_context& f) { linear_forward(f, false); }
void linear_relu_forward(forward_context& f) { linear_forward(f, true); }

// No buffer for W X's gradient: the incoming gradient is dZ itself.
void linear_backward(backward_context& c) { linear_backward_from(c, c.grad()); }

// A = relu(Z): dZ = dA where A > 0, else 0, in place in dA's buffer (a second
// buffer of the layer's size cost 5% of a large step in cache misses).
void linear_relu_backward(backward_context& c) {
    matrix& dz = c.consume_grad();
    const double* a = c.value().data();
    double* p = dz.data();
    for (std::size_t k = 0, n = dz.size(); k < n; ++k) p[k] = a[k] > 0.0 ? p[k] : 0.0;
    linear_backward_from(c, dz);
}

void transpose_forward(forward_context& f) {
    const matrix& a = f.input(0);
    matrix& out = f.output();
    const std::size_t rows = a.shape()[0], cols = a.shape()[1];
    kernels::resize(out, cols, rows);
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j) out(j, i) = a(i, j);
    }
}

// Element (i, j) of the input receives G(j, i).
void transpose_backward(backward_context& c) {
    const matrix& g = c.grad();
    c.contribute(0, [&](std::size_t i, std::size_t j) { return g(j, i); });
}

constexpr shape_case matmul_shapes[] = {
    {{{3, 4}, {4, 2}}}, {{{1, 3}, {3, 1}}}, {{{3, 1}, {1, 4}}}, {{{1, 1}, {1, 5}}}, {{{2, 3}, {3, 5}}}};
constexpr shape_case linear_shapes[] = {{{{3, 4}, {4, 5}, {3, 1}}},
                                        {{{1, 3}, {3, 2}, {1, 1}}},
                                        {{{2, 2}, {2, 6}, {1, 1}}},
                                        {{{4, 1}, {1, 3}, {4, 1}}}};
constexpr shape_case linear_relu_shapes[] = {
    {{{3, 4}, {4, 5}, {3, 1}}}, {{{1, 3}, {3, 2}, {1, 1}}}, {{{4, 2}, {2, 6}, {4, 1}}}};

}  // namespace

using d = input_domain;
const op_descriptor matmul_op{"matmul", 2, {d::any, d::any}, matmul_forward, matmul_backward, matmul_shapes};
const op_descriptor linear_op{"linear", 3, {d::any, d::any, d::any}, linear_plain_forward, linear_backward,
                              linear_shapes};
const op_descriptor linear_relu_op{"linear_relu", 3, {d::any, d::any, d::any}, linear_relu_forward,
                                   linear_relu_backward, linear_relu_shapes};
const op_descriptor transpose_op{"transpose", 1, {d::any}, transpose_forward, transpose_backward,
                                 test_shapes::elementwise};

}  // namespace tapegrad
