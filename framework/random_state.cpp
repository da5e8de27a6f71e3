#include <tapegrad/framework/random_state.hpp>

#include <cmath>
#include <numeric>
#include <string>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

void random_state::seed(std::int64_t seed) {
    if (seed < 0 || seed > 0xFFFFFFFFLL) {
        throw value_error("random_state::seed: the seed must be between 0 and 2^32 - 1 (as numpy's), got " +
                          std::to_string(seed));
    }
    engine_.seed(static_cast<std::uint32_t>(seed));
    has_gauss_ = false;
    cached_gauss_ = 0.0;
}

// 27 bits of one output and 26 of the next make a 53-bit mantissa.
double random_state::uniform() {
    const std::uint32_t a = next_uint32() >> 5;
    const std::uint32_t b = next_uint32() >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

// Marsaglia's polar method as numpy's legacy_gauss: draw x1, x2 uniform in
// (-1, 1) until 0 < r2 < 1, return f * x2 and keep f * x1 for the next call.
double random_state::gauss() {
    if (has_gauss_) {
        has_gauss_ = false;
        return cached_gauss_;
    }
    double x1, x2, r2;
    do {
        x1 = 2.0 * uniform() - 1.0;
        x2 = 2.0 * uniform() - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    const double f = std::sqrt(-2.0 * std::log(r2) / r2);
    cached_gauss_ = f * x1;
    has_gauss_ = true;
    return f * x2;
}

std::uint64_t random_state::interval(std::uint64_t max) {
    if (max == 0) return 0;
    // The smallest 2^k - 1 that covers max.
    std::uint64_t mask = max;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    std::uint64_t value;
    if (max <= 0xFFFFFFFFULL) {
        while ((value = (next_uint32() & mask)) > max) {
        }
    } else {
        // numpy draws 64-bit words as two 32-bit outputs, high word first.
        auto next64 = [this] {
            const std::uint64_t hi = next_uint32();
            return (hi << 32) | next_uint32();
        };
        while ((value = (next64() & mask)) > max) {
        }
    }
    return value;
}

matrix random_state::rand(std::size_t rows, std::size_t cols) {
    matrix m = matrix::from_shape({rows, cols});
    for (double& x : m) x = uniform();
    return m;
}

matrix random_state::randn(std::size_t rows, std::size_t cols) {
    matrix m = matrix::from_shape({rows, cols});
    for (double& x : m) x = gauss();
    return m;
}

matrix random_state::normal(double loc, double scale, std::size_t rows, std::size_t cols) {
    if (!(scale >= 0.0)) {
        throw value_error("random_state::normal: scale must be >= 0, got " + std::to_string(scale));
    }
    matrix m = matrix::from_shape({rows, cols});
    for (double& x : m) x = loc + scale * gauss();
    return m;
}

std::vector<std::size_t> random_state::permutation(std::size_t n) {
    std::vector<std::size_t> v(n);
    permutation(n, v.data());
    return v;
}

void random_state::permutation(std::size_t n, std::size_t* out) {
    std::iota(out, out + n, std::size_t{0});
    shuffle(out, n);
}

}  // namespace tapegrad
