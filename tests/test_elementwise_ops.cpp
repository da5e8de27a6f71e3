// The elementwise ops (and the extrema max and min) beyond their generated
// gradient test and their edge values: the names they record, their refusals
// (each message naming the op, what was given and what was expected), and
// checks at cases the descriptors do not list.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;

TEST_CASE("these ops are declared in builtin_ops and record their names", "[ops]") {
    const matrix m = {{0.5, 1.5}, {2.0, 0.25}};
    tape t;
    const var a = t.constant(m), b = t.constant(m);
    const std::vector<std::pair<var, const op_descriptor*>> made = {
        {abs(a), &abs_op}, {pow(a, 2.0), &pow_op}, {clamp(a, 0.0, 1.0), &clamp_op}, {log1p(a), &log1p_op},
        {expm1(a), &expm1_op},
        {leaky_relu(a), &leaky_relu_op}, {elu(a), &elu_op}, {softplus(a), &softplus_op},
        {maximum(a, b), &maximum_op}, {minimum(a, b), &minimum_op},
        {max(a), &max_op}, {max(a, 0), &max_axis_op}, {min(a), &min_op}, {min(a, 1), &min_axis_op},
    };
    for (const auto& [v, d] : made) {
        CAPTURE(d->name);
        CHECK(std::string(v.op()) == d->name);
        bool listed = false;
        for (const op_descriptor* x : builtin_ops()) listed = listed || x == d;
        CHECK(listed);
    }
}

TEST_CASE("the defaults are PyTorch's: leaky_relu's slope 0.01, elu's alpha 1", "[ops]") {
    const matrix x = {{-2.0, 3.0}};
    CHECK(leaky_relu(x)(0, 0) == -2.0 * 0.01);
    CHECK(elu(x)(0, 0) == std::expm1(-2.0));
    CHECK(leaky_relu(x)(0, 1) == 3.0);
}

TEST_CASE("max and min reduce like sum: whole to (1,1), axis 0 per column, axis 1 per row", "[ops]") {
    const matrix x = {{1.0, -4.0, 3.0}, {2.0, 5.0, -6.0}};
    CHECK(test_support::exactly_equal(max(x), matrix{{5.0}}));
    CHECK(test_support::exactly_equal(min(x), matrix{{-6.0}}));
    CHECK(test_support::exactly_equal(max(x, 0), matrix{{2.0, 5.0, 3.0}}));
    CHECK(test_support::exactly_equal(min(x, 1), matrix{{-4.0}, {-6.0}}));
}

TEST_CASE("the new ops refuse bad arguments, naming the op, the value and what it must be", "[ops]") {
    const matrix x = {{1.0, 2.0}};
    tape t;
    const var v = t.constant(x);
    const std::size_t before = t.size();
    CHECK_THROWS_MATCHES(clamp(v, 2.0, 1.0), value_error, message_contains({"clamp", "lo <= hi", "lo = 2", "hi = 1"}));
    CHECK_THROWS_MATCHES(clamp(x, NAN, 1.0), value_error, message_contains({"clamp", "lo <= hi", "lo = nan"}));
    CHECK_THROWS_MATCHES(leaky_relu(v, HUGE_VAL), value_error, message_contains({"leaky_relu", "finite", "inf"}));
    CHECK_THROWS_MATCHES(leaky_relu(x, NAN), value_error, message_contains({"leaky_relu", "finite", "nan"}));
    CHECK_THROWS_MATCHES(elu(v, 0.0), value_error, message_contains({"elu", "alpha", "> 0", "got 0"}));
    CHECK_THROWS_MATCHES(elu(x, -1.0), value_error, message_contains({"elu", "alpha", "> 0", "got -1"}));
    CHECK_THROWS_MATCHES(elu(x, HUGE_VAL), value_error, message_contains({"elu", "alpha", "finite", "got inf"}));
    CHECK_THROWS_MATCHES(max(v, 2), value_error, message_contains({"max", "axis", "got 2"}));
    CHECK_THROWS_MATCHES(min(x, -1), value_error, message_contains({"min", "axis", "got -1"}));
    CHECK_THROWS_MATCHES(maximum(x, matrix{{1.0, 2.0, 3.0}}), shape_error,
                         message_contains({"maximum", "(1, 2)", "(1, 3)", "do not broadcast"}));
    CHECK_THROWS_MATCHES(minimum(v, t.constant(make_matrix(2, 3))), shape_error,
                         message_contains({"minimum", "(1, 2)", "(2, 3)", "do not broadcast"}));
    // Nothing was recorded by the refused calls (the constant above is the one new node).
    CHECK(t.size() == before + 1);
}

TEST_CASE("max and min of an empty matrix throw shape_error", "[ops]") {
    for (const shape2 s : {shape2{0, 3}, shape2{2, 0}, shape2{0, 0}}) {
        const matrix e = make_matrix(s);
        CHECK_THROWS_MATCHES(max(e), shape_error, message_contains({"max", "empty input of shape " + to_string(s)}));
        CHECK_THROWS_MATCHES(min(e, 0), shape_error, message_contains({"min_axis", "empty input", "at least one"}));
    }
}

TEST_CASE("elu with alpha 1 is smooth: its gradient check passes on inputs across 0", "[ops][gradient]") {
    // elu's descriptor keeps inputs away from 0 (a kink for alpha != 1); with
    // alpha 1 its derivative is continuous there, so any input will do.
    static constexpr scalar_case alpha_one[] = {{1.0}};
    op_descriptor smooth_elu = elu_op;
    smooth_elu.domains = {input_domain::any};
    smooth_elu.test_scalars = alpha_one;
    const op_check_report r = check_op(smooth_elu);
    INFO(r.to_string());
    CHECK(r.passed());
}
