// The public functions of softmax, the multi-class and regression losses and
// the shape ops: their overloads on matrices of every value category, their
// errors (naming the op, what was given and what was expected), the list forms
// of concat, and the test domains of class labels.
#include <cmath>
#include <limits>
#include <random>
#include <type_traits>

#include <catch2/catch.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;

TEST_CASE("softmax, the losses and the shape ops on matrices of every value category return matrices",
          "[ops][op_api]") {
    matrix m = {{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}};
    const matrix& cm = m;
    static_assert(std::is_same_v<decltype(softmax(m)), matrix>);
    static_assert(std::is_same_v<decltype(softmax(cm)), matrix>);
    static_assert(std::is_same_v<decltype(softmax(matrix(m))), matrix>);
    static_assert(std::is_same_v<decltype(log_softmax(m)), matrix>);
    static_assert(std::is_same_v<decltype(log_softmax(cm)), matrix>);
    static_assert(std::is_same_v<decltype(log_softmax(matrix(m))), matrix>);
    static_assert(std::is_same_v<decltype(slice_rows(m, 0, 1)), matrix>);
    static_assert(std::is_same_v<decltype(slice_rows(cm, 0, 1)), matrix>);
    static_assert(std::is_same_v<decltype(slice_rows(matrix(m), 0, 1)), matrix>);
    static_assert(std::is_same_v<decltype(slice_cols(m, 0, 1)), matrix>);
    static_assert(std::is_same_v<decltype(slice_cols(cm, 0, 1)), matrix>);
    static_assert(std::is_same_v<decltype(slice_cols(matrix(m), 0, 1)), matrix>);
    static_assert(std::is_same_v<decltype(reshape(m, 3, 2)), matrix>);
    static_assert(std::is_same_v<decltype(reshape(cm, 3, 2)), matrix>);
    static_assert(std::is_same_v<decltype(reshape(matrix(m), 3, 2)), matrix>);
    // Two operands: every combination of categories.
#define TAPEGRAD_CHECK_ALL_PAIRS(NAME)                                                      \
    static_assert(std::is_same_v<decltype(NAME(m, m)), matrix>);                            \
    static_assert(std::is_same_v<decltype(NAME(m, cm)), matrix>);                           \
    static_assert(std::is_same_v<decltype(NAME(m, matrix(m))), matrix>);                    \
    static_assert(std::is_same_v<decltype(NAME(cm, m)), matrix>);                           \
    static_assert(std::is_same_v<decltype(NAME(cm, cm)), matrix>);                          \
    static_assert(std::is_same_v<decltype(NAME(cm, matrix(m))), matrix>);                   \
    static_assert(std::is_same_v<decltype(NAME(matrix(m), m)), matrix>);                    \
    static_assert(std::is_same_v<decltype(NAME(matrix(m), cm)), matrix>);                   \
    static_assert(std::is_same_v<decltype(NAME(matrix(m), matrix(m))), matrix>);
    TAPEGRAD_CHECK_ALL_PAIRS(softmax_cross_entropy)
    TAPEGRAD_CHECK_ALL_PAIRS(mse_loss)
    TAPEGRAD_CHECK_ALL_PAIRS(mae_loss)
    TAPEGRAD_CHECK_ALL_PAIRS(concat_rows)
    TAPEGRAD_CHECK_ALL_PAIRS(concat_cols)
#undef TAPEGRAD_CHECK_ALL_PAIRS
    // And they compute: each category gives the const one's value.
    CHECK(test_support::exactly_equal(softmax(m), softmax(cm)));
    CHECK(test_support::exactly_equal(reshape(matrix(m), 3, 2), reshape(cm, 3, 2)));
    CHECK(test_support::exactly_equal(concat_cols(m, matrix(m)), concat_cols(cm, cm)));
    CHECK(mse_loss(m, matrix(m))(0, 0) == 0.0);
}

TEST_CASE("the public functions record their descriptors' names", "[ops][op_api]") {
    const matrix z = {{0.5, 1.5}, {2.0, 0.25}};
    const matrix indices = {{1.0, 0.0}};
    const matrix soft = {{0.5, 1.0}, {0.5, 0.0}};
    tape t;
    const var a = t.constant(z);
    CHECK(std::string(softmax(a).op()) == softmax_op.name);
    CHECK(std::string(log_softmax(a).op()) == log_softmax_op.name);
    CHECK(std::string(softmax_cross_entropy(a, t.constant(indices)).op()) == softmax_cross_entropy_op.name);
    CHECK(std::string(softmax_cross_entropy(a, t.constant(soft)).op()) ==
          softmax_cross_entropy_probabilities_op.name);
    CHECK(std::string(mse_loss(a, a).op()) == mse_loss_op.name);
    CHECK(std::string(mae_loss(a, a).op()) == mae_loss_op.name);
    CHECK(std::string(slice_rows(a, 0, 1).op()) == slice_rows_op.name);
    CHECK(std::string(slice_cols(a, 1, 2).op()) == slice_cols_op.name);
    CHECK(std::string(concat_rows(a, a).op()) == concat_rows_op.name);
    CHECK(std::string(concat_cols(a, a).op()) == concat_cols_op.name);
    CHECK(std::string(reshape(a, 1, 4).op()) == reshape_op.name);
}

TEST_CASE("softmax_cross_entropy refuses bad labels, naming the example and the value", "[ops][op_api]") {
    const matrix z = {{0.5, 1.5, 0.0}, {2.0, 0.25, 1.0}};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const auto& [bad, text] : std::vector<std::pair<double, std::string>>{
             {1.5, "1.5"}, {-1.0, "-1"}, {2.0, "2"}, {nan, "nan"}}) {
        const matrix labels = {{0.0, bad, 1.0}};
        REQUIRE_THROWS_MATCHES(softmax_cross_entropy(z, labels), value_error,
                               message_contains({"softmax_cross_entropy", "example 1", text, "[0, 2)"}));
    }
    const matrix negative = {{0.5, 0.0, -0.5}, {0.5, 1.0, 1.0}};
    REQUIRE_THROWS_MATCHES(softmax_cross_entropy(z, negative), value_error,
                           message_contains({"softmax_cross_entropy", "class 0 of example 2", "-0.5", ">= 0"}));
    const matrix infinite = {{0.5, 0.0, 0.0}, {std::numeric_limits<double>::infinity(), 1.0, 1.0}};
    REQUIRE_THROWS_MATCHES(softmax_cross_entropy(z, infinite), value_error,
                           message_contains({"class 1 of example 0", "inf", "finite"}));
    const matrix wrong = {{0.0, 1.0}};
    REQUIRE_THROWS_MATCHES(softmax_cross_entropy(z, wrong), shape_error,
                           message_contains({"softmax_cross_entropy", "(2, 3)", "(1, 2)", "(1, 3) class indices",
                                             "(2, 3) probabilities"}));
    // Labels are not differentiated.
    parameter y("y", matrix{{0.0, 1.0, 1.0}});
    tape t;
    REQUIRE_THROWS_MATCHES(softmax_cross_entropy(t.constant(z), t.watch(y)), value_error,
                           message_contains({"softmax_cross_entropy", "labels", "tape.constant"}));
}

TEST_CASE("a (1, m) row of labels is class indices, also for a single class", "[ops][op_api]") {
    const matrix z = {{3.0, -1e300}};
    const matrix zeros = {{0.0, 0.0}};
    CHECK(softmax_cross_entropy(z, zeros)(0, 0) == 0.0);
    const matrix ones = {{1.0, 0.0}};  // not a probability 1: an index out of [0, 1)
    REQUIRE_THROWS_MATCHES(softmax_cross_entropy(z, ones), value_error, message_contains({"example 0", "[0, 1)"}));
}

TEST_CASE("softmax and log_softmax refuse an input without rows (no classes)", "[ops][op_api]") {
    REQUIRE_THROWS_MATCHES(softmax(make_matrix(0, 3)), shape_error, message_contains({"softmax", "(0, 3)", "at least one row"}));
    REQUIRE_THROWS_MATCHES(log_softmax(make_matrix(0, 2)), shape_error,
                           message_contains({"log_softmax", "(0, 2)", "at least one row"}));
}

TEST_CASE("mse_loss and mae_loss refuse other shapes", "[ops][op_api]") {
    const matrix p = {{1.0, 2.0}};
    const matrix t = {{1.0}, {2.0}};
    REQUIRE_THROWS_MATCHES(mse_loss(p, t), shape_error, message_contains({"mse_loss", "(1, 2)", "(2, 1)", "match"}));
    REQUIRE_THROWS_MATCHES(mae_loss(p, t), shape_error, message_contains({"mae_loss", "(1, 2)", "(2, 1)", "match"}));
}

TEST_CASE("the shape ops refuse bad ranges, shapes and attributes, naming the op", "[ops][op_api]") {
    const matrix a = {{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}};
    REQUIRE_THROWS_MATCHES(slice_rows(a, 1, 3), value_error,
                           message_contains({"slice_rows", "[1, 3)", "(2, 3)", "begin < end <= 2"}));
    REQUIRE_THROWS_MATCHES(slice_rows(a, 1, 1), value_error, message_contains({"slice_rows", "[1, 1)", "empty"}));
    REQUIRE_THROWS_MATCHES(slice_cols(a, 2, 1), value_error, message_contains({"slice_cols", "[2, 1)", "(2, 3)"}));
    REQUIRE_THROWS_MATCHES(slice_cols(a, 0, 4), value_error, message_contains({"slice_cols", "begin < end <= 3"}));
    const matrix b = {{1.0, 2.0}};
    REQUIRE_THROWS_MATCHES(concat_rows(a, b), shape_error,
                           message_contains({"concat_rows", "(2, 3)", "(1, 2)", "columns must match"}));
    REQUIRE_THROWS_MATCHES(concat_cols(a, b), shape_error,
                           message_contains({"concat_cols", "(2, 3)", "(1, 2)", "rows must match"}));
    REQUIRE_THROWS_MATCHES(reshape(a, 4, 2), shape_error,
                           message_contains({"reshape", "(2, 3)", "6 elements", "(4, 2)"}));
    // A product of rows and cols that wraps around size_t to the size is refused, not allocated short.
    const matrix square = make_matrix(64, 64, 1.0);
    REQUIRE_THROWS_MATCHES(reshape(square, std::size_t{274877911040}, std::size_t{4503599560261633}), shape_error,
                           message_contains({"reshape", "(64, 64)", "4096 elements"}));
    REQUIRE_THROWS_AS(reshape(make_matrix(0, 5), std::size_t{4294967296}, std::size_t{4294967296}), shape_error);
    // Attributes recorded directly must be whole numbers.
    REQUIRE_THROWS_MATCHES(evaluate_op(slice_rows_op, {a}, {0.5, 1.0}), value_error,
                           message_contains({"slice_rows", "begin", "whole number", "0.5"}));
    REQUIRE_THROWS_MATCHES(evaluate_op(reshape_op, {a}, {3.0, -2.0}), value_error,
                           message_contains({"reshape", "cols", "whole number", "-2"}));
    REQUIRE_THROWS_MATCHES(concat_rows(std::initializer_list<std::reference_wrapper<const matrix>>{}), value_error,
                           message_contains({"concat_rows", "empty list", "at least one"}));
}

TEST_CASE("concat of a list joins every part, and its gradient splits back", "[ops][op_api]") {
    const matrix a = {{1.0, 2.0}}, b = {{3.0, 4.0}, {5.0, 6.0}}, c = {{7.0, 8.0}};
    const matrix rows = concat_rows({a, b, c});
    CHECK(test_support::exactly_equal(rows, matrix{{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}, {7.0, 8.0}}));
    CHECK(test_support::exactly_equal(concat_cols({a, c}), matrix{{1.0, 2.0, 7.0, 8.0}}));
    CHECK(test_support::exactly_equal(concat_rows({a}), a));
    parameter pa("a", a), pb("b", b), pc("c", c);
    tape t;
    const var x = t.watch(pa);
    CHECK(concat_cols({x}).index() == x.index());  // one part: that var, no op
    const var y = concat_rows({x, t.watch(pb), t.watch(pc)});
    CHECK(test_support::exactly_equal(y.value(), rows));
    y.backward(matrix{{1.0, -1.0}, {2.0, -2.0}, {3.0, -3.0}, {4.0, -4.0}});
    CHECK(test_support::exactly_equal(pa.grad, matrix{{1.0, -1.0}}));
    CHECK(test_support::exactly_equal(pb.grad, matrix{{2.0, -2.0}, {3.0, -3.0}}));
    CHECK(test_support::exactly_equal(pc.grad, matrix{{4.0, -4.0}}));
}

TEST_CASE("the class_index and distribution test domains draw constant class labels", "[ops][op_api]") {
    std::mt19937_64 rng(3);
    const matrix idx = random_input(input_domain::class_index, {1, 200}, rng, 4);
    bool seen[4] = {};
    for (double v : idx) {
        REQUIRE(v >= 0.0);
        REQUIRE(v < 4.0);
        REQUIRE(std::floor(v) == v);
        seen[static_cast<int>(v)] = true;
    }
    CHECK((seen[0] && seen[1] && seen[2] && seen[3]));
    REQUIRE_THROWS_MATCHES(random_input(input_domain::class_index, {1, 3}, rng), value_error,
                           message_contains({"class_index", "number of classes"}));
    const matrix p = random_input(input_domain::distribution, {3, 5}, rng);
    for (std::size_t j = 0; j < 5; ++j) {
        double s = 0.0;
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(p(i, j) > 0.0);
            s += p(i, j);
        }
        CHECK(std::fabs(s - 1.0) < 1e-15);
    }
    CHECK(is_constant_domain(input_domain::class_index));
    CHECK(is_constant_domain(input_domain::distribution));
    CHECK(is_constant_domain(input_domain::zero_one));
    CHECK_FALSE(is_constant_domain(input_domain::probability));
    // random_inputs draws class indices below the rows of input 0.
    const std::vector<matrix> in = random_inputs(softmax_cross_entropy_op, {{{5, 40}, {1, 40}}}, rng);
    for (double v : in[1]) CHECK(v < 5.0);
}
