// Small loops on contiguous row-major memory shared by the op implementations.
// Op authors may use them too (docs/adding-an-op.md). Plain loops beat
// xtensor's lazy expressions on the small matrices the course uses (bias
// broadcasting, axis sums were measured 2-3x slower as xtensor expressions).
#pragma once

#include <cstddef>

#include <tapegrad/framework/backward_context.hpp>
#include <tapegrad/framework/matrix.hpp>

namespace tapegrad::kernels {

// Make `out` rows x cols, reusing its memory when the size is unchanged.
inline void resize(matrix& out, std::size_t rows, std::size_t cols) { ensure_shape(out, {rows, cols}); }
inline void resize(matrix& out, shape2 s) { ensure_shape(out, s); }

// Element (i, j) of an operand broadcast to a larger shape: a size-1 dimension
// gets stride 0, so reading and accumulating through it sums automatically.
struct broadcast_ref {
    double* data;
    std::size_t row_stride;
    std::size_t col_stride;

    broadcast_ref(const matrix& m)
        : data(const_cast<double*>(m.data())),
          row_stride(m.shape()[0] == 1 ? 0 : m.shape()[1]),
          col_stride(m.shape()[1] == 1 ? 0 : 1) {}
    double& operator()(std::size_t i, std::size_t j) const { return data[i * row_stride + j * col_stride]; }
};

// out = f(a) elementwise.
template <class F>
void map(const matrix& a, matrix& out, F f) {
    resize(out, a.shape()[0], a.shape()[1]);
    const double* pa = a.data();
    double* po = out.data();
    const std::size_t n = a.size();
    for (std::size_t k = 0; k < n; ++k) po[k] = f(pa[k]);
}

// out = f(a) over the whole array, for the array functions of
// ops/vector_math.hpp (kernels::exp, kernels::tanh, ...), which follow the math_mode.
inline void map_array(const matrix& a, matrix& out, void (*f)(const double*, double*, std::size_t)) {
    resize(out, a.shape()[0], a.shape()[1]);
    f(a.data(), out.data(), a.size());
}

// Input 0's gradient gets G * d(x, y) for every element, with x the input and
// y the output: the backward rule of a unary elementwise op.
template <class D>
void unary_backward(backward_context& c, D d) {
    const double* g = c.grad().data();
    const double* x = c.input(0).data();
    const double* y = c.value().data();
    c.contribute(0, [&](std::size_t k) { return g[k] * d(x[k], y[k]); });
}

// numpy's summation of n values spaced by stride, as np.sum and np.sum(axis=-1)
// do it on contiguous data: pairwise within blocks of 8192 values (numpy's
// buffer), the blocks' sums added in order; so sums match numpy's rounding at
// any length (tested against numpy up to 100,000 values).
double pairwise_sum(const double* a, std::size_t n, std::size_t stride);
// The same with NaN values counted as 0 (np.nansum).
double pairwise_nansum(const double* a, std::size_t n, std::size_t stride);

}  // namespace tapegrad::kernels
