// random_state: numpy's legacy RandomState (np.random.seed, rand, randn, normal,
// shuffle, permutation), reproduced bit for bit so a numpy program's random
// numbers come out the same. The caller owns the generator; there is no global one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

class random_state {
public:
    // np.random.seed(seed): MT19937 init_genrand, the same state as std::mt19937(seed).
    // numpy accepts 0 .. 2^32 - 1; anything else throws value_error.
    explicit random_state(std::int64_t seed = 0) { this->seed(seed); }

    // Reseed, also dropping the cached normal (as numpy does).
    void seed(std::int64_t seed);

    // The next raw 32-bit output of MT19937.
    std::uint32_t next_uint32() { return static_cast<std::uint32_t>(engine_()); }

    // One uniform double in [0, 1) with 53 random bits (numpy's random_sample).
    double uniform();
    // One standard normal by the polar method, caching the second value.
    double gauss();
    // A uniform integer in [0, max] by masked rejection (numpy's random_interval).
    std::uint64_t interval(std::uint64_t max);

    // Matrices filled row-major, like numpy's rand(rows, cols), randn(rows, cols)
    // and normal(loc, scale, size=(rows, cols)).
    matrix rand(std::size_t rows, std::size_t cols);
    matrix randn(std::size_t rows, std::size_t cols);
    matrix normal(double loc, double scale, std::size_t rows, std::size_t cols);

    // In-place Fisher-Yates shuffle as numpy's shuffle of a 1-D array, and
    // permutation(n) = shuffle(arange(n)).
    template <class T>
    void shuffle(T* v, std::size_t n) {
        for (std::size_t i = n; i-- > 1;) {
            const std::size_t j = static_cast<std::size_t>(interval(i));
            std::swap(v[i], v[j]);
        }
    }
    template <class T>
    void shuffle(std::vector<T>& v) {
        shuffle(v.data(), v.size());
    }
    std::vector<std::size_t> permutation(std::size_t n);
    // The same into out[0 .. n), allocating nothing.
    void permutation(std::size_t n, std::size_t* out);

private:
    std::mt19937 engine_;
    bool has_gauss_ = false;
    double cached_gauss_ = 0.0;
};

}  // namespace tapegrad
