#include <tapegrad/ops/vector_math.hpp>

#include <cmath>
#include <vector>

#include <tapegrad/ops/math_mode.hpp>
#include <tapegrad/ops/simd/vector_table.hpp>

namespace tapegrad {

namespace {

template <double (*F)(double)>
void scalar_loop(const double* x, double* y, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) y[k] = F(x[k]);
}
// glibc's functions by pointer: std::exp is overloaded, these are not.
double glibc_exp(double x) { return std::exp(x); }
double glibc_log(double x) { return std::log(x); }
double glibc_tanh(double x) { return std::tanh(x); }
double glibc_log1p(double x) { return std::log1p(x); }
double glibc_expm1(double x) { return std::expm1(x); }

const kernels::simd::vector_table glibc_table{"glibc",
                                              scalar_loop<glibc_exp>,
                                              scalar_loop<glibc_log>,
                                              scalar_loop<glibc_tanh>,
                                              scalar_loop<glibc_log1p>,
                                              scalar_loop<glibc_expm1>};

// What the vectorized mode runs: SLEEF's AVX2 functions (which use FMA too)
// when the CPU has both, else its SSE2 ones; checked once, at first use.
const kernels::simd::vector_table& vector_functions() {
#if TAPEGRAD_VECTOR_MATH
    static const kernels::simd::vector_table& table = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
                                                          ? kernels::simd::avx2_table
                                                          : kernels::simd::sse2_table;
    return table;
#else
    return glibc_table;
#endif
}

void dispatch(kernels::simd::array_function kernels::simd::vector_table::*f, const double* x, double* y,
              std::size_t n) {
    const kernels::simd::vector_table& table =
        current_math_mode() == math_mode::vectorized ? vector_functions() : glibc_table;
    (table.*f)(x, y, n);
}

}  // namespace

const char* vector_math_target() noexcept { return vector_functions().target; }

namespace kernels {

void exp(const double* x, double* y, std::size_t n) { dispatch(&simd::vector_table::exp, x, y, n); }
void log(const double* x, double* y, std::size_t n) { dispatch(&simd::vector_table::log, x, y, n); }
void tanh(const double* x, double* y, std::size_t n) { dispatch(&simd::vector_table::tanh, x, y, n); }
void log1p(const double* x, double* y, std::size_t n) { dispatch(&simd::vector_table::log1p, x, y, n); }
void expm1(const double* x, double* y, std::size_t n) { dispatch(&simd::vector_table::expm1, x, y, n); }

// In three passes (negate, exp, 1 / (1 + e)): glibc mode gives exactly
// 1.0 / (1.0 + std::exp(-x)), the course's sigmoid.
void sigmoid(const double* x, double* y, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) y[k] = -x[k];
    exp(y, y, n);
    for (std::size_t k = 0; k < n; ++k) y[k] = 1.0 / (1.0 + y[k]);
}

double* scratch(std::size_t n) {
    thread_local std::vector<double> buffer;
    if (buffer.size() < n) buffer.resize(n);
    return buffer.data();
}

}  // namespace kernels

}  // namespace tapegrad
