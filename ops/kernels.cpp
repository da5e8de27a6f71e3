#include <tapegrad/ops/kernels.hpp>

#include <algorithm>
#include <cmath>

namespace tapegrad::kernels {

namespace {

// numpy's algorithm: plain loop below 8 values, 8 interleaved partial sums up to
// 128 values, and recursive halving (at a multiple of 8) above.
template <class T>
double pairwise(const double* a, std::size_t n, std::size_t stride, T t) {
    if (n < 8) {
        double res = 0.0;
        for (std::size_t i = 0; i < n; ++i) res += t(a[i * stride]);
        return res;
    }
    if (n <= 128) {
        double r[8];
        for (std::size_t j = 0; j < 8; ++j) r[j] = t(a[j * stride]);
        std::size_t i = 8;
        for (; i < n - (n % 8); i += 8) {
            for (std::size_t j = 0; j < 8; ++j) r[j] += t(a[(i + j) * stride]);
        }
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) res += t(a[i * stride]);
        return res;
    }
    std::size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(a, n2, stride, t) + pairwise(a + n2 * stride, n - n2, stride, t);
}

// numpy's reduction runs its pairwise loop on one buffer of 8192 elements at a
// time and adds the buffers' sums in order, starting from 0.
template <class T>
double blocked(const double* a, std::size_t n, std::size_t stride, T t) {
    constexpr std::size_t block = 8192;
    double res = 0.0;
    for (std::size_t start = 0; start < n; start += block) {
        res += pairwise(a + start * stride, std::min(block, n - start), stride, t);
    }
    return res;
}

}  // namespace

double pairwise_sum(const double* a, std::size_t n, std::size_t stride) {
    return blocked(a, n, stride, [](double x) { return x; });
}

double pairwise_nansum(const double* a, std::size_t n, std::size_t stride) {
    return blocked(a, n, stride, [](double x) { return std::isnan(x) ? 0.0 : x; });
}

}  // namespace tapegrad::kernels
