// SLEEF's AVX2 (+FMA) 1.0-ulp functions, 4 doubles at a time. Compiled with
// -mavx2 (CMakeLists.txt: only this file); used only when the CPU has AVX2 and
// FMA.
#include <immintrin.h>
#include <sleef.h>

#include <tapegrad/ops/simd/vector_loop.hpp>
#include <tapegrad/ops/simd/vector_table.hpp>

namespace tapegrad::kernels::simd {
namespace {

struct avx2 {
    static constexpr std::size_t width = 4;
    static __m256d load(const double* p) { return _mm256_loadu_pd(p); }
    static void store(double* p, __m256d v) { _mm256_storeu_pd(p, v); }
};

// SLEEF's log1p gives inf above 1e307 (its documented range ends there);
// there log1p(x) = log(x) + log1p(1/x) rounds to log(x).
__m256d log1p(__m256d v) {
    const __m256d r = Sleef_log1pd4_u10avx2(v);
    const __m256d big = _mm256_cmp_pd(v, _mm256_set1_pd(1e300), _CMP_GT_OQ);
    if (_mm256_movemask_pd(big) == 0) return r;
    return _mm256_blendv_pd(r, Sleef_logd4_u10avx2(v), big);
}

}  // namespace

const vector_table avx2_table{"AVX2",
                              [](const double* x, double* y, std::size_t n) {
                                  apply<avx2>(x, y, n, [](__m256d v) { return Sleef_expd4_u10avx2(v); });
                              },
                              [](const double* x, double* y, std::size_t n) {
                                  apply<avx2>(x, y, n, [](__m256d v) { return Sleef_logd4_u10avx2(v); });
                              },
                              [](const double* x, double* y, std::size_t n) {
                                  apply<avx2>(x, y, n, [](__m256d v) { return Sleef_tanhd4_u10avx2(v); });
                              },
                              [](const double* x, double* y, std::size_t n) {
                                  apply<avx2>(x, y, n, log1p);
                              },
                              [](const double* x, double* y, std::size_t n) {
                                  apply<avx2>(x, y, n, [](__m256d v) { return Sleef_expm1d4_u10avx2(v); });
                              }};

}  // namespace tapegrad::kernels::simd
