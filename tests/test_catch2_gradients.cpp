// The Catch2 gradient matchers: a correct function passes, a wrong backward rule
// fails with the checker's whole report as the message (also through Catch2's
// own assertion path), options reach the checker, and errors propagate.
#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/framework/catch2_gradients.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using tapegrad::catch2::has_correct_gradients;
using tapegrad::catch2::has_correct_gradients_fast;
using tapegrad::catch2::passes;

namespace {


// W (3, 4) reaches the cost through the custom square; b (3, 1) through library ops only.
using problem = test_support::square_problem;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("has_correct_gradients passes a correct function", "[catch2_gradients]") {
    problem p;
    const scalar_function f = p.function(false);
    REQUIRE_THAT(f, has_correct_gradients(p.params()));

    const auto m = has_correct_gradients(p.params());
    CHECK(m.match(f));
    REQUIRE(m.report() != nullptr);
    CHECK(m.report()->method == "full");
    CHECK(m.report()->gradient_norm > 0.0);
    CHECK(contains(m.describe(), "passed"));
}

TEST_CASE("a wrong backward rule fails and the description is the whole report", "[catch2_gradients]") {
    problem p;
    const scalar_function f = p.function(true);
    const auto m = has_correct_gradients(p.params());
    CHECK_FALSE(m.match(f));
    REQUIRE(m.report() != nullptr);

    // The same check run directly: deterministic, so its text must appear verbatim.
    const gradient_report expected = check_gradients(f, p.params());
    REQUIRE_FALSE(expected.passed);
    const std::string d = m.describe();
    INFO(d);
    CHECK(contains(d, "has correct gradients (full check) for W, b"));
    CHECK(contains(d, expected.to_string()));
    CHECK(contains(d, "FAILED"));
    CHECK(contains(d, "W            difference"));
    CHECK(m.report()->culprits() == std::vector<std::string>{"W"});
    CHECK(contains(d, "worst element: W(1, 2)"));
    std::ostringstream overall;
    overall.precision(10);
    overall << "difference " << expected.difference;
    CHECK(contains(d, overall.str()));
}

TEST_CASE("Catch2's assertion path keeps the report from match() for its message", "[catch2_gradients]") {
    // CHECK_THAT builds this expression: it calls match() on the matcher given,
    // then copies it and asks the copy for its description.
    problem p;
    const scalar_function f = p.function(true);
    const auto expr = Catch::makeMatchExpr(f, has_correct_gradients(p.params()), Catch::StringRef("matcher"));
    CHECK_FALSE(expr.getResult());
    std::ostringstream os;
    expr.streamReconstructedExpression(os);
    INFO(os.str());
    CHECK(contains(os.str(), check_gradients(f, p.params()).to_string()));
    CHECK(contains(os.str(), "worst element: W(1, 2)"));
}

TEST_CASE("the fast variant passes a correct function and reports a wrong one in full",
          "[catch2_gradients]") {
    problem p;
    const scalar_function good = p.function(false);
    const scalar_function bad = p.function(true);
    REQUIRE_THAT(good, has_correct_gradients_fast(p.params()));

    const auto ok = has_correct_gradients_fast(p.params());
    CHECK(ok.match(good));
    REQUIRE(ok.report() != nullptr);
    CHECK(ok.report()->method == "fast");
    CHECK(ok.report()->evaluations == 3 + 2 * fast_check_options{}.directions);

    const auto m = has_correct_gradients_fast(p.params());
    CHECK_FALSE(m.match(bad));
    const std::string d = m.describe();
    INFO(d);
    CHECK(contains(d, "has correct gradients (fast check) for W, b"));
    CHECK(contains(d, "fast, then full"));
    CHECK(contains(d, "FAILED"));
    CHECK(contains(d, "worst element: W(1, 2)"));
    CHECK(contains(d, check_gradients_fast(bad, p.params()).to_string()));
}

TEST_CASE("the options reach the checker", "[catch2_gradients]") {
    // A correct gradient still shows ~1e-11 of rounding; a threshold of 1e-30 rejects it.
    problem p;
    const scalar_function f = p.function(false);
    const auto full = has_correct_gradients(p.params(), {1e-6, 1e-30});
    CHECK_FALSE(full.match(f));
    CHECK(contains(full.describe(), "threshold 1e-30"));

    // The fast check judges a difference within the rounding noise of central
    // differences as no evidence against the gradient, whatever the threshold;
    // its 3 directions cost 2 evaluations each.
    const auto fast = has_correct_gradients_fast(p.params(), {1e-6, 1e-30, 3, 7});
    CHECK(fast.match(f));
    REQUIRE(fast.report() != nullptr);
    CHECK(fast.report()->threshold == 1e-30);
    CHECK(fast.report()->evaluations == 3 + 2 * 3);
    CHECK(contains(fast.report()->note, "within the rounding noise"));
    // A wrong gradient still fails it, and the full check it falls back to gets the same threshold.
    CHECK_FALSE(fast.match(p.function(true)));
    CHECK(fast.report()->method == "fast, then full");
    CHECK(fast.report()->threshold == 1e-30);

    // A larger epsilon is visible in the report too.
    const auto wide = has_correct_gradients(p.params(), {1e-4, 1e-6});
    CHECK(wide.match(f));
    CHECK(contains(wide.describe(), "epsilon 0.0001"));
}

TEST_CASE("a check with an all-zero gradient fails as proving nothing", "[catch2_gradients]") {
    // relu of negative values: analytic and numeric gradients are both zero.
    parameter W("W", matrix{{-1.0, -2.0}, {-0.5, -3.0}});
    const scalar_function f = [&](tape& t) { return sum(relu(t.watch(W))); };
    const gradient_report r = check_gradients(f, {&W});
    REQUIRE(r.passed);  // the library's checker passes it vacuously...
    REQUIRE(r.gradient_norm == 0.0);

    const auto m = has_correct_gradients({&W});
    CHECK_FALSE(m.match(f));  // ...the matcher does not
    CHECK(contains(m.describe(), "zero everywhere"));
    CHECK_FALSE(passes().match(r));
    const auto pm = passes();
    pm.match(r);
    CHECK(contains(pm.describe(), "zero everywhere"));
}

TEST_CASE("lambdas and the one-line macros", "[catch2_gradients]") {
    problem p;
    auto cost = [&p](tape& t) { return sum(square(tanh(t.watch(p.W)))) + sum(t.watch(p.b) * t.watch(p.b)); };
    REQUIRE_THAT(cost, has_correct_gradients({&p.W, &p.b}));
    CHECK_THAT(cost, has_correct_gradients_fast({&p.W}));
    TAPEGRAD_CHECK_GRADIENTS(cost, &p.W, &p.b);
    TAPEGRAD_REQUIRE_GRADIENTS(cost, &p.W);

    // A lambda converts to scalar_function for a direct match() too, and is checked.
    auto wrong = [&p](tape& t) { return record_op(test_support::faulty_square_op, {t.watch(p.W)}); };
    auto summed = [&wrong](tape& t) { return sum(wrong(t)); };
    CHECK_FALSE(has_correct_gradients({&p.W}).match(summed));
}

TEST_CASE("passes() matches a report computed already", "[catch2_gradients]") {
    problem p;
    const gradient_report good = check_gradients(p.function(false), p.params());
    const gradient_report bad = check_gradients(p.function(true), p.params());
    CHECK_THAT(good, passes());
    CHECK_THAT(bad, !passes());
    CHECK(passes().match(good));
    CHECK_FALSE(passes().match(bad));
    CHECK(passes().describe() == "passes the gradient check");
    // Catch2 prints the report itself as the checked value.
    CHECK(Catch::Detail::stringify(bad) == bad.to_string());
}

TEST_CASE("the checker's errors propagate out of match()", "[catch2_gradients]") {
    problem p;
    const auto m = has_correct_gradients(p.params());
    CHECK(contains(m.describe(), "not checked yet"));
    CHECK(m.report() == nullptr);

    const scalar_function not_scalar = [&p](tape& t) { return square(t.watch(p.W)); };
    CHECK_THROWS_AS(m.match(not_scalar), shape_error);
    CHECK(m.report() == nullptr);  // no stale report from an earlier match

    CHECK(m.match(p.function(false)));
    const scalar_function ignores_b = [&p](tape& t) { return sum(square(t.watch(p.W))); };
    CHECK_THROWS_AS(m.match(ignores_b), value_error);
    CHECK(m.report() == nullptr);
}
