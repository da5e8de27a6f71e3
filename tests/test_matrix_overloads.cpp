// Unqualified calls on plain matrices must reach tapegrad's functions, not
// xtensor's same-named templates found by argument-dependent lookup (which
// return lazy expressions with other shapes and rounding).
#include <catch2/catch.hpp>

#include <type_traits>

#include <tapegrad/tapegrad.hpp>

namespace user_code {

using namespace tapegrad;

TEST_CASE("unqualified op calls on matrices of every value category return tapegrad matrices", "[ops]") {
    matrix m = {{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}};
    const matrix& cm = m;
    static_assert(std::is_same_v<decltype(sum(m)), matrix>);
    static_assert(std::is_same_v<decltype(sum(cm)), matrix>);
    static_assert(std::is_same_v<decltype(sum(square(m))), matrix>);
    static_assert(std::is_same_v<decltype(sum(m, 1)), matrix>);
    static_assert(std::is_same_v<decltype(mean(matrix(m), 0)), matrix>);
    static_assert(std::is_same_v<decltype(exp(m)), matrix>);
    static_assert(std::is_same_v<decltype(log(matrix(m))), matrix>);
    static_assert(std::is_same_v<decltype(sqrt(m)), matrix>);
    static_assert(std::is_same_v<decltype(tanh(m)), matrix>);
    static_assert(std::is_same_v<decltype(transpose(m)), matrix>);

    // xtensor has abs, pow, log1p, expm1, maximum and minimum templates too.
    static_assert(std::is_same_v<decltype(abs(m)), matrix>);
    static_assert(std::is_same_v<decltype(abs(cm)), matrix>);
    static_assert(std::is_same_v<decltype(abs(matrix(m))), matrix>);
    static_assert(std::is_same_v<decltype(log1p(m)), matrix>);
    static_assert(std::is_same_v<decltype(log1p(matrix(m))), matrix>);
    static_assert(std::is_same_v<decltype(expm1(m)), matrix>);
    static_assert(std::is_same_v<decltype(expm1(cm)), matrix>);
    static_assert(std::is_same_v<decltype(pow(m, 2)), matrix>);  // an int exponent matches xt::pow exactly
    static_assert(std::is_same_v<decltype(pow(m, 0.5)), matrix>);
    static_assert(std::is_same_v<decltype(pow(cm, 3)), matrix>);
    static_assert(std::is_same_v<decltype(pow(cm, 2.0)), matrix>);
    static_assert(std::is_same_v<decltype(pow(matrix(m), 2)), matrix>);
    static_assert(std::is_same_v<decltype(pow(matrix(m), -1.5f)), matrix>);
    static_assert(std::is_same_v<decltype(clamp(m, -1.0, 1.0)), matrix>);
    static_assert(std::is_same_v<decltype(clamp(matrix(m), -1.0, 1.0)), matrix>);
    static_assert(std::is_same_v<decltype(leaky_relu(m)), matrix>);
    static_assert(std::is_same_v<decltype(elu(matrix(m), 0.5)), matrix>);
    static_assert(std::is_same_v<decltype(softplus(m)), matrix>);
    static_assert(std::is_same_v<decltype(max(m)), matrix>);
    static_assert(std::is_same_v<decltype(min(cm, 1)), matrix>);
    static_assert(std::is_same_v<decltype(max(matrix(m), 0)), matrix>);
    // Two operands: every combination of value categories.
    static_assert(std::is_same_v<decltype(maximum(m, m)), matrix>);
    static_assert(std::is_same_v<decltype(maximum(m, cm)), matrix>);
    static_assert(std::is_same_v<decltype(maximum(m, matrix(m))), matrix>);
    static_assert(std::is_same_v<decltype(maximum(cm, m)), matrix>);
    static_assert(std::is_same_v<decltype(maximum(cm, cm)), matrix>);
    static_assert(std::is_same_v<decltype(maximum(cm, matrix(m))), matrix>);
    static_assert(std::is_same_v<decltype(maximum(matrix(m), m)), matrix>);
    static_assert(std::is_same_v<decltype(maximum(matrix(m), cm)), matrix>);
    static_assert(std::is_same_v<decltype(maximum(matrix(m), matrix(m))), matrix>);
    static_assert(std::is_same_v<decltype(minimum(m, m)), matrix>);
    static_assert(std::is_same_v<decltype(minimum(cm, matrix(m))), matrix>);
    static_assert(std::is_same_v<decltype(minimum(matrix(m), m)), matrix>);
    static_assert(std::is_same_v<decltype(add(m, m)), matrix>);

    // Values and shapes are tapegrad's: keepdims sums, (1,1) totals.
    CHECK(shape_of(sum(m)) == shape2{1, 1});
    CHECK(sum(square(m))(0, 0) == 91.0);
    CHECK(shape_of(sum(m, 1)) == shape2{2, 1});
    CHECK(shape_of(transpose(m)) == shape2{3, 2});
    // A bad axis is tapegrad's value_error, not xtensor's own exception.
    CHECK_THROWS_AS(sum(m, 2), tapegrad::value_error);
    // The new ops' values, and their refusals: tapegrad's, not xtensor's.
    CHECK(pow(m, 2)(1, 2) == 36.0);
    CHECK(maximum(m, matrix{{2.5}})(0, 0) == 2.5);
    CHECK(shape_of(minimum(m, matrix{{2.5, 0.0, 9.0}})) == shape2{2, 3});
    CHECK(shape_of(max(m, 0)) == shape2{1, 3});
    CHECK_THROWS_AS(maximum(m, matrix{{1.0, 2.0}}), tapegrad::shape_error);
}

}  // namespace user_code
