// SLEEF's SSE2 1.0-ulp functions, 2 doubles at a time: every x86-64 CPU has
// SSE2.
#include <emmintrin.h>
#include <sleef.h>

#include <tapegrad/ops/simd/vector_loop.hpp>
#include <tapegrad/ops/simd/vector_table.hpp>

namespace tapegrad::kernels::simd {
namespace {

struct sse2 {
    static constexpr std::size_t width = 2;
    static __m128d load(const double* p) { return _mm_loadu_pd(p); }
    static void store(double* p, __m128d v) { _mm_storeu_pd(p, v); }
};

// SLEEF's log1p gives inf above 1e307 (its documented range ends there);
// there log1p(x) = log(x) + log1p(1/x) rounds to log(x).
__m128d log1p(__m128d v) {
    const __m128d r = Sleef_log1pd2_u10sse2(v);
    const __m128d big = _mm_cmpgt_pd(v, _mm_set1_pd(1e300));
    if (_mm_movemask_pd(big) == 0) return r;
    return _mm_or_pd(_mm_and_pd(big, Sleef_logd2_u10sse2(v)), _mm_andnot_pd(big, r));
}

}  // namespace

const vector_table sse2_table{"SSE2",
                              [](const double* x, double* y, std::size_t n) {
                                  apply<sse2>(x, y, n, [](__m128d v) { return Sleef_expd2_u10sse2(v); });
                              },
                              [](const double* x, double* y, std::size_t n) {
                                  apply<sse2>(x, y, n, [](__m128d v) { return Sleef_logd2_u10sse2(v); });
                              },
                              [](const double* x, double* y, std::size_t n) {
                                  apply<sse2>(x, y, n, [](__m128d v) { return Sleef_tanhd2_u10sse2(v); });
                              },
                              [](const double* x, double* y, std::size_t n) {
                                  apply<sse2>(x, y, n, log1p);
                              },
                              [](const double* x, double* y, std::size_t n) {
                                  apply<sse2>(x, y, n, [](__m128d v) { return Sleef_expm1d2_u10sse2(v); });
                              }};

}  // namespace tapegrad::kernels::simd
