// Which elementwise math the ops run: SLEEF's vectorized functions or glibc's
// scalar ones (docs/ops.md, "Elementwise math").
//
// vectorized (the default): exp, log, tanh, log1p, expm1 and what is built on
//   them (sigmoid, softplus, elu, the logistic losses) run 4 (AVX2) or 2 (SSE2)
//   values at a time through SLEEF's 1.0-ulp functions, several times faster
//   than glibc, within 1 ulp of glibc's results (tests/test_vector_math.cpp).
// glibc: std::exp and friends one value at a time, bit for bit what numpy
//   computes; the course's programs use it so their printed numbers are exact.
//
// The mode is process-wide (every thread, the gradient checker's workers too).
// The environment variable TAPEGRAD_MATH=glibc|vectorized sets the initial
// mode; set_math_mode overrides it.
#pragma once

namespace tapegrad {

enum class math_mode { vectorized, glibc };

// The current mode; reads TAPEGRAD_MATH on first use and throws value_error
// when it holds anything but "glibc" or "vectorized".
math_mode current_math_mode();
void set_math_mode(math_mode mode) noexcept;
// "vectorized" or "glibc".
const char* math_mode_name(math_mode mode) noexcept;
// What the vectorized mode runs on this CPU: "AVX2", "SSE2", or "glibc" on a
// processor tapegrad has no vector kernels for.
const char* vector_math_target() noexcept;

// Sets a mode for a scope and restores the previous one at its end.
class scoped_math_mode {
public:
    explicit scoped_math_mode(math_mode mode) : previous_(current_math_mode()) { set_math_mode(mode); }
    ~scoped_math_mode() { set_math_mode(previous_); }
    scoped_math_mode(const scoped_math_mode&) = delete;
    scoped_math_mode& operator=(const scoped_math_mode&) = delete;

private:
    math_mode previous_;
};

}  // namespace tapegrad
