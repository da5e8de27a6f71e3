// The loop shared by the instruction sets' translation units: whole vectors of
// W values, then the last partial one through a zero-padded buffer, so every
// value goes through the same function (a value's result never depends on
// where it sits). Only intrinsics and plain loops here: anything inline from
// the standard library, instantiated under -mavx2, could be the copy the linker
// keeps for the whole program and run on a CPU without AVX2.
#pragma once

#include <cstddef>

namespace tapegrad::kernels::simd {
namespace {

// Isa gives width, load and store; f maps one vector. (The vector types are not
// template arguments: GCC drops their attributes there.)
template <class Isa, class F>
void apply(const double* x, double* y, std::size_t n, F f) {
    constexpr std::size_t W = Isa::width;
    std::size_t k = 0;
    for (; k + W <= n; k += W) Isa::store(y + k, f(Isa::load(x + k)));
    if (k == n) return;
    alignas(32) double buffer[W] = {};
    for (std::size_t i = 0; k + i < n; ++i) buffer[i] = x[k + i];
    Isa::store(buffer, f(Isa::load(buffer)));
    for (std::size_t i = 0; k + i < n; ++i) y[k + i] = buffer[i];
}

}  // namespace
}  // namespace tapegrad::kernels::simd
