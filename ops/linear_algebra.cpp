#include <tapegrad/ops/linear_algebra.hpp>

#include <cblas.h>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/tape.hpp>
#include <tapegrad/ops/kernels.hpp>

namespace tapegrad {

namespace {

void check_matmul(const matrix& a, const matrix& b) {
    if (a.shape()[1] != b.shape()[0]) {
        throw shape_error("matmul: shapes " + shape_string(a) + " and " + shape_string(b) +
                          " do not fit; the columns of the left operand must equal the rows of the right");
    }
}

// c = alpha * op(a) * op(b) + beta * c on row-major contiguous matrices; c is
// already sized. Called directly (not through xtensor) so (n,1) shapes whose
// xtensor strides are 0 still give BLAS the right leading dimensions.
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

// C = A B: dA += G B^T, dB += A^T G (accumulated by BLAS with beta = 1)
void matmul_backward(backward_context& c) {
    if (c.needs_grad(0)) gemm(c.grad(), false, c.input(1), true, c.input_grad(0), 1.0);
    if (c.needs_grad(1)) gemm(c.input(0), true, c.grad(), false, c.input_grad(1), 1.0);
}

void transpose_forward(const matrix& a, matrix& out) {
    const std::size_t rows = a.shape()[0], cols = a.shape()[1];
    kernels::resize(out, cols, rows);
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j) out(j, i) = a(i, j);
    }
}

void transpose_backward(backward_context& c) {
    const matrix& g = c.grad();
    matrix& acc = c.input_grad(0);
    for (std::size_t i = 0; i < acc.shape()[0]; ++i) {
        for (std::size_t j = 0; j < acc.shape()[1]; ++j) acc(i, j) += g(j, i);
    }
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
