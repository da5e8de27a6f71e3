#include <tapegrad/ops/linear_algebra.hpp>

#include <cblas.h>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/op_builder.hpp>
#include <tapegrad/ops/kernels.hpp>

namespace tapegrad {

namespace {

void check_matmul(const matrix& a, const matrix& b) {
    if (a.shape()[1] != b.shape()[0]) {
        throw shape_error("matmul: shapes " + shape_string(a) + " and " + shape_string(b) +
                          " do not fit; the columns of the left operand must equal the rows of the right");
    }
}

// c = op(a) * op(b) + beta * c on row-major contiguous matrices; c is already
// sized. OpenBLAS's cblas_dgemm, called directly: beta = 0 overwrites a fresh
// gradient buffer and beta = 1 accumulates into it, in one call. The leading
// dimension is a row's length, not read from xtensor's strides (0 for a
// dimension of size 1).
void gemm(const matrix& a, bool trans_a, const matrix& b, bool trans_b, matrix& c, double beta) {
    const auto m = static_cast<blasint>(c.shape()[0]);
    const auto n = static_cast<blasint>(c.shape()[1]);
    const auto k = static_cast<blasint>(trans_a ? a.shape()[0] : a.shape()[1]);
    if (m == 0 || n == 0) return;
    if (k == 0) {
        if (beta == 0.0) std::fill(c.begin(), c.end(), 0.0);
        return;
    }
    cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, m, n, k,
                1.0, a.data(), static_cast<blasint>(a.shape()[1]), b.data(), static_cast<blasint>(b.shape()[1]),
                beta, c.data(), n);
}

void matmul_forward(const matrix& a, const matrix& b, matrix& out) {
    check_matmul(a, b);
    kernels::resize(out, a.shape()[0], b.shape()[1]);
    gemm(a, false, b, false, out, 0.0);
}

// dA += G B^T and dB += A^T G, by BLAS straight into the gradient buffers:
// beta = 0 overwrites a buffer on its first use in the pass, beta = 1 adds.
void gemm_into(backward_context& c, std::size_t i, const matrix& a, bool ta, const matrix& b, bool tb) {
    const backward_context::buffer g = c.gradient_buffer(i);
    gemm(a, ta, b, tb, g.grad, g.fresh ? 0.0 : 1.0);
}

// C = A B
void matmul_backward(backward_context& c) {
    if (c.needs_grad(0)) gemm_into(c, 0, c.grad(), false, c.input(1), true);
    if (c.needs_grad(1)) gemm_into(c, 1, c.input(0), true, c.grad(), false);
}

// Z = W X + b: the matmul forward, then b added in place as add() would (same
// rounding), with b a (n, 1) column or a (1, 1) scalar; with `relu`, also
// max(Z, 0) in the same pass, as relu() would.
void linear_forward(const char* op, const matrix& w, const matrix& x, const matrix& b, matrix& out, bool relu) {
    matmul_forward(w, x, out);
    const std::size_t rows = out.shape()[0], cols = out.shape()[1];
    const bool column = b.shape()[0] == rows && b.shape()[1] == 1;
    if (!column && !(b.shape()[0] == 1 && b.shape()[1] == 1)) {
        throw shape_error(std::string(op) + ": the bias has shape " + shape_string(b) + " but W x has shape " +
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
                row[j] = v > 0.0 ? v : 0.0;
            }
        } else {
            for (std::size_t j = 0; j < cols; ++j) row[j] = row[j] + bi;
        }
    }
}

// db += dZ summed along each row (over all of dZ for a scalar b), row by row
// in column order: the same additions wherever it is done.
void add_row_sums(const matrix& dz, matrix& db) {
    const std::size_t rows = dz.shape()[0], cols = dz.shape()[1];
    const bool column = db.shape()[0] == rows;
    for (std::size_t i = 0; i < rows; ++i) {
        double& acc = db.data()[column ? i : 0];
        for (std::size_t j = 0; j < cols; ++j) acc += dz.data()[i * cols + j];
    }
}

// Z = W X + b with dZ given: dW += dZ X^T, dX += W^T dZ, and db unless the
// caller already added it.
void linear_backward_from(backward_context& c, const matrix& dz, bool bias_done) {
    if (c.needs_grad(0)) gemm_into(c, 0, dz, false, c.input(1), true);
    if (c.needs_grad(1)) gemm_into(c, 1, c.input(0), true, dz, false);
    if (c.needs_grad(2) && !bias_done) add_row_sums(dz, c.input_grad(2));
}

// No buffer for W X's gradient: the incoming gradient is dZ itself.
void linear_backward(backward_context& c) { linear_backward_from(c, c.grad(), false); }

// A = relu(Z): dZ = dA where A > 0, else 0, in place in dA's buffer (a second
// buffer of the layer's size cost 5% of a large step in cache misses), with the
// bias gradient's row sums taken in the same pass (the same additions, in the
// same order, as add_row_sums).
void linear_relu_backward(backward_context& c) {
    matrix& g = c.consume_grad();
    const matrix& a = c.value();
    matrix& dz = g;
    const std::size_t rows = g.shape()[0], cols = g.shape()[1];
    const double* pg = g.data();
    const double* pa = a.data();
    double* pz = dz.data();
    const bool bias = c.needs_grad(2);
    double* db = bias ? c.input_grad(2).data() : nullptr;
    const bool column = bias && c.input(2).shape()[0] == rows;
    for (std::size_t i = 0; i < rows; ++i) {
        const std::size_t row = i * cols;
        for (std::size_t j = 0; j < cols; ++j) pz[row + j] = pa[row + j] > 0.0 ? pg[row + j] : 0.0;
        if (bias) {
            double& acc = db[column ? i : 0];
            for (std::size_t j = 0; j < cols; ++j) acc += pz[row + j];  // the row just written, still in cache
        }
    }
    linear_backward_from(c, dz, true);
}

var record_linear(const char* op, const var& W, const var& X, const var& b, bool relu) {
    op_builder r = W.owner().record(op, {W, X, b}, relu ? linear_relu_backward : linear_backward);
    linear_forward(op, r.input(0), r.input(1), r.input(2), r.value(), relu);
    return r.result();
}

matrix eval_linear(const char* op, const matrix& W, const matrix& X, const matrix& b, bool relu) {
    matrix out;
    linear_forward(op, W, X, b, out, relu);
    return out;
}

void transpose_forward(const matrix& a, matrix& out) {
    const std::size_t rows = a.shape()[0], cols = a.shape()[1];
    kernels::resize(out, cols, rows);
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j) out(j, i) = a(i, j);
    }
}

void transpose_backward(backward_context& c) {
    // element (i, j) of the input, at k = i * cols + j, receives g(j, i)
    const matrix& g = c.grad();
    const std::size_t cols = c.input(0).shape()[1];
    kernels::deposit(c, 0, [&](std::size_t k) { return g(k % cols, k / cols); });
}

}  // namespace

var matmul(const var& a, const var& b) {
    op_builder r = a.owner().record("matmul", {a, b}, matmul_backward);
    matmul_forward(r.input(0), r.input(1), r.value());
    return r.result();
}

matrix matmul(const matrix& a, const matrix& b) {
    matrix out;
    matmul_forward(a, b, out);
    return out;
}

var linear(const var& W, const var& X, const var& b) { return record_linear("linear", W, X, b, false); }
matrix linear(const matrix& W, const matrix& X, const matrix& b) { return eval_linear("linear", W, X, b, false); }

var linear_relu(const var& W, const var& X, const var& b) { return record_linear("linear_relu", W, X, b, true); }
matrix linear_relu(const matrix& W, const matrix& X, const matrix& b) {
    return eval_linear("linear_relu", W, X, b, true);
}

var transpose(const var& a) {
    op_builder r = a.owner().record("transpose", {a}, transpose_backward);
    transpose_forward(r.input(0), r.value());
    return r.result();
}

matrix transpose(const matrix& a) {
    matrix out;
    transpose_forward(a, out);
    return out;
}

}  // namespace tapegrad
