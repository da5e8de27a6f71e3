// Why this exists: tapegrad::matrix is an xtensor type, so for an unqualified
// call like sum(m) argument-dependent lookup also finds xtensor's templates
// (xt::sum, xt::exp, ...), which take E&& and beat a `const matrix&` overload
// for a non-const or temporary matrix, silently returning a lazy xtensor
// expression. Declaring the matrix& and matrix&& overloads too makes tapegrad's
// non-template functions the exact match for every matrix argument.
#pragma once

#include <utility>

#include <tapegrad/framework/matrix.hpp>

// For `matrix name(const matrix&)`.
#define TAPEGRAD_MATRIX_OVERLOADS_1(name)                                                          \
    inline matrix name(matrix& a) { return name(static_cast<const matrix&>(a)); }                \
    inline matrix name(matrix&& a) { return name(static_cast<const matrix&>(a)); }

// For `matrix name(const matrix&, Arg)`.
#define TAPEGRAD_MATRIX_OVERLOADS_1_ARG(name, Arg)                                                 \
    inline matrix name(matrix& a, Arg x) { return name(static_cast<const matrix&>(a), x); }      \
    inline matrix name(matrix&& a, Arg x) { return name(static_cast<const matrix&>(a), x); }
