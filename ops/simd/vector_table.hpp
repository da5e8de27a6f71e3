// The vectorized kernels of one instruction set, compiled in their own
// translation unit with that set's flags (ops/simd/*.cpp) and chosen at run
// time by ops/vector_math.cpp: the library itself stays baseline x86-64.
#pragma once

#include <cstddef>

namespace tapegrad::kernels::simd {

using array_function = void (*)(const double* x, double* y, std::size_t n);

struct vector_table {
    const char* target;
    array_function exp, log, tanh, log1p, expm1;
};

// Defined only where SLEEF and x86-64 are (TAPEGRAD_VECTOR_MATH).
extern const vector_table avx2_table;
extern const vector_table sse2_table;

}  // namespace tapegrad::kernels::simd
