// The gradient checker: full and fast checks, naming a wrong element, restoring
// perturbed values, the course's 1-D and N-D interface, and its errors.
#include <atomic>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/course/course.hpp>
#include <tapegrad/tapegrad.hpp>
#include <xtensor/xio.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::bitwise_equal;
using test_support::exactly_equal;
using test_support::message_contains;

namespace {

// A custom op with a planted bug (test_support::record_square) in a small problem.
using test_support::square_problem;

// A 2-layer tanh net J = mean((W2 tanh(W1 X))^2) as a smooth function of W1 and W2.
struct tanh_net {
    parameter W1{"W1", matrix{{0.4, -0.6}, {0.9, 0.2}, {-0.3, 0.7}}};
    parameter W2{"W2", matrix{{0.5, -1.2, 0.8}}};
    matrix X = {{1.0, -0.5, 2.0, 0.3}, {0.2, 1.5, -1.0, 0.8}};

    scalar_function function() {
        return [this](tape& t) {
            const var h = tanh(matmul(t.watch(W1), t.constant(X)));
            return mean(square(matmul(t.watch(W2), h)));
        };
    }
    std::vector<parameter*> params() { return {&W1, &W2}; }
};

const parameter_difference* find_parameter(const gradient_report& r, const std::string& name) {
    for (const parameter_difference& p : r.parameters) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

struct planted_failure : std::runtime_error {
    planted_failure() : std::runtime_error("planted failure") {}
};

}  // namespace

// ---- Full and fast checks -------------------------------------------------------

TEST_CASE("a correct gradient passes the full check with a wide margin", "[gradient_check]") {
    tanh_net net;
    const gradient_report r = check_gradients(net.function(), net.params());
    INFO(r.to_string());
    CHECK(r.passed);
    CHECK(r.method == "full");
    CHECK(r.difference < 1e-8);  // two orders of magnitude below the default threshold
    CHECK(r.threshold == default_threshold);
    CHECK(r.epsilon == default_epsilon);
    REQUIRE(r.parameters.size() == 2);
    CHECK(r.parameters[0].name == "W1");
    CHECK(r.parameters[1].name == "W2");
    CHECK(r.parameters[0].difference < 1e-8);
    CHECK(r.parameters[1].difference < 1e-8);
    // 1 analytic pass, 2 to check the function can be checked, 2 per scalar (6 + 3 scalars).
    CHECK(r.evaluations == 3 + 2 * 9);
}

TEST_CASE("a correct custom op recorded with tape.record passes", "[gradient_check]") {
    square_problem p;
    const gradient_report r = check_gradients(p.function(false), p.params());
    INFO(r.to_string());
    CHECK(r.passed);
    CHECK(r.difference < 1e-8);
}

TEST_CASE("one wrong element fails the full check, which names its parameter, row and column",
          "[gradient_check]") {
    square_problem p;
    const double w12 = p.W.value()(1, 2);
    const gradient_report r = check_gradients(p.function(true), p.params());
    INFO(r.to_string());
    CHECK_FALSE(r.passed);
    CHECK(r.difference > r.threshold);
    CHECK(r.worst.parameter == "W");
    CHECK(r.worst.row == 1);
    CHECK(r.worst.col == 2);
    // The planted bug: analytic 4 w, true derivative 2 w.
    CHECK(r.worst.analytic == Approx(4.0 * w12).epsilon(1e-12));
    CHECK(r.worst.numeric == Approx(2.0 * w12).epsilon(1e-8));

    const parameter_difference* W = find_parameter(r, "W");
    const parameter_difference* b = find_parameter(r, "b");
    REQUIRE(W != nullptr);
    REQUIRE(b != nullptr);
    CHECK(W->difference > r.threshold);
    CHECK(b->difference < r.threshold);
}

TEST_CASE("the fast check passes a correct gradient in a few evaluations", "[gradient_check]") {
    tanh_net net;
    fast_check_options options;
    options.directions = 2;
    const gradient_report r = check_gradients_fast(net.function(), net.params(), options);
    INFO(r.to_string());
    CHECK(r.passed);
    CHECK(r.method == "fast");
    CHECK(r.evaluations <= 7);  // 1 analytic + 2 checkability + 2 per direction, whatever the parameter count
    CHECK(r.difference < 1e-8);
}

TEST_CASE("the fast check catches one wrong element and the full check names it", "[gradient_check]") {
    square_problem p;
    const gradient_report r = check_gradients_fast(p.function(true), p.params());
    INFO(r.to_string());
    CHECK_FALSE(r.passed);
    CHECK(r.method == "fast, then full");
    CHECK(r.worst.parameter == "W");
    CHECK(r.worst.row == 1);
    CHECK(r.worst.col == 2);
    // The fast part's evaluations are counted as well as the full check's.
    CHECK(r.evaluations > 1 + 2 * (12 + 3));
}

// ---- Restoring perturbed values ---------------------------------------------------

namespace {

// Values that a restore by arithmetic ((x + eps) - eps) would not give back bit for bit.
parameter awkward_parameter() {
    return parameter("P", matrix{{0.1, 1.0 / 3.0, -2.7}, {1e-7, -2.5e-7, -0.0}});
}

}  // namespace

TEST_CASE("every perturbed value is restored bit for bit", "[gradient_check]") {
    parameter P = awkward_parameter();
    const matrix before = P.value();
    // The test can fail: undoing the step by arithmetic changes some of these values.
    bool sensitive = false;
    for (double x : before) {
        sensitive = sensitive || ((x + default_epsilon) - default_epsilon) != x ||
                    ((x - default_epsilon) + default_epsilon) != x;
    }
    REQUIRE(sensitive);

    auto f = [&](tape& t) { return sum(square(sigmoid(t.watch(P)))); };
    SECTION("full check") {
        const gradient_report r = check_gradients(f, {&P});
        CHECK(r.passed);
    }
    SECTION("fast check") {
        const gradient_report r = check_gradients_fast(f, {&P});
        CHECK(r.passed);
    }
    INFO("before " << before << "\nafter " << P.value());
    CHECK(bitwise_equal(P.value(), before));
}

TEST_CASE("values are restored when the function throws mid-check, and the exception propagates",
          "[gradient_check]") {
    parameter P = awkward_parameter();
    parameter Q("Q", matrix{{0.7, -0.2}});
    const matrix p_before = P.value(), q_before = Q.value();
    int calls = 0;
    // Call 1 is the analytic pass; call 5 happens while values are perturbed.
    auto f = [&](tape& t) {
        if (++calls == 5) throw planted_failure();
        return sum(square(t.watch(P))) + sum(t.watch(Q));
    };

    // One worker: f counts its calls, which several threads at once would race on.
    SECTION("full check") {
        REQUIRE_THROWS_AS(check_gradients(f, {&P, &Q}, {default_epsilon, default_threshold, 1}), planted_failure);
    }
    SECTION("fast check") { REQUIRE_THROWS_AS(check_gradients_fast(f, {&P, &Q}), planted_failure); }
    CHECK(calls == 5);
    INFO("P before " << p_before << "\nP after " << P.value());
    CHECK(bitwise_equal(P.value(), p_before));
    CHECK(bitwise_equal(Q.value(), q_before));
}

// ---- The course's 1-D check -----------------------------------------------------------

TEST_CASE("the course's 1-D check: J = theta x at theta 4, x 2", "[gradient_check][course]") {
    const double x = 2.0;
    auto J = [x](double theta) { return theta * x; };

    SECTION("the right derivative passes with the course's rounding-level difference") {
        const gradient_report r = gradient_check_1d(J, [x](double) { return x; }, 4.0);
        INFO(r.to_string());
        CHECK(r.epsilon == course_epsilon);
        CHECK(r.epsilon == 1e-7);
        CHECK(r.difference > 1e-10);
        CHECK(r.difference < 1e-9);  // about 2.9e-10
        CHECK(r.passed);
        CHECK(r.evaluations == 2);
    }
    SECTION("a wrong derivative fails") {
        const gradient_report r = gradient_check_1d(J, [x](double) { return x + 1.0; }, 4.0);
        INFO(r.to_string());
        CHECK_FALSE(r.passed);
        // |3 - 2| / (3 + 2)
        CHECK(r.difference == Approx(0.2).epsilon(1e-6));
    }
}

// ---- The course's dictionary helpers -------------------------------------------------

TEST_CASE("dictionary_to_vector, vector_to_dictionary and gradients_to_vector round-trip in order",
          "[gradient_check][course]") {
    const named_matrices params = {{"W1", matrix{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}},
                                   {"b1", matrix{{7.0}, {8.0}}},
                                   {"W2", matrix{{9.0, 10.0}}}};
    const flat_parameters flat = dictionary_to_vector(params);
    // Row-major within each parameter, parameters in the given order.
    CHECK(flat.values == std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    CHECK(flat.keys == std::vector<std::string>{"W1", "W1", "W1", "W1", "W1", "W1", "b1", "b1", "W2", "W2"});

    const named_matrices back = vector_to_dictionary(flat.values, params);
    REQUIRE(back.size() == params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        CAPTURE(i);
        CHECK(back[i].first == params[i].first);
        CHECK(exactly_equal(back[i].second, params[i].second));
    }

    // New values land in the layout's shapes, row-major.
    const named_matrices other = vector_to_dictionary({10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, params);
    CHECK(exactly_equal(other[0].second, matrix{{10.0, 20.0, 30.0}, {40.0, 50.0, 60.0}}));
    CHECK(exactly_equal(other[1].second, matrix{{70.0}, {80.0}}));
    CHECK(exactly_equal(other[2].second, matrix{{90.0, 100.0}}));

    const named_matrices grads = {{"dW1", matrix{{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}}},
                                  {"db1", matrix{{0.7}, {0.8}}},
                                  {"dW2", matrix{{0.9, 1.0}}}};
    CHECK(gradients_to_vector(grads) == std::vector<double>{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0});
}

TEST_CASE("vector_to_dictionary with the wrong number of values throws value_error", "[gradient_check][course]") {
    const named_matrices layout = {{"W", make_matrix(2, 2)}, {"b", make_matrix(2, 1)}};
    REQUIRE_THROWS_MATCHES(vector_to_dictionary(std::vector<double>(5, 0.0), layout), value_error,
                           message_contains({"5", "6"}));
    REQUIRE_THROWS_MATCHES(vector_to_dictionary(std::vector<double>(7, 0.0), layout), value_error,
                           message_contains({"7", "6"}));
}

// ---- The course's N-D check ----------------------------------------------------------

TEST_CASE("gradient_check_n passes correct gradients and names a doubled one", "[gradient_check][course]") {
    // cost = sum(W^2) + sum(b): dW = 2W, db = ones. Written with plain loops.
    const named_matrices params = {{"W", matrix{{0.5, -1.0, 1.5}, {2.0, -0.3, 0.8}}}, {"b", matrix{{0.2}, {-0.6}}}};
    auto cost = [](const named_matrices& p) {
        double c = 0.0;
        for (double w : p[0].second) c += w * w;
        for (double b : p[1].second) c += b;
        return c;
    };
    const matrix dW = params[0].second * 2.0;
    const matrix db = make_matrix(2, 1, 1.0);

    SECTION("correct gradients pass") {
        const gradient_report r = gradient_check_n(params, {{"dW", dW}, {"db", db}}, cost);
        INFO(r.to_string());
        CHECK(r.passed);
        CHECK(r.threshold == course_threshold);
        CHECK(r.difference < 1e-8);
    }
    SECTION("dW doubled fails, and dW has the largest per-parameter difference") {
        const gradient_report r = gradient_check_n(params, {{"dW", dW * 2.0}, {"db", db}}, cost);
        INFO(r.to_string());
        CHECK_FALSE(r.passed);
        REQUIRE(r.parameters.size() == 2);
        CHECK(r.parameters[0].name == "dW");
        CHECK(r.parameters[1].name == "db");
        CHECK(r.parameters[0].difference > r.parameters[1].difference);
        CHECK(r.parameters[0].difference > r.threshold);
        CHECK(r.parameters[1].difference < r.threshold);
        // |4W - 2W| / (|4W| + |2W|) = 1/3 for the parameter alone
        CHECK(r.parameters[0].difference == Approx(1.0 / 3.0).epsilon(1e-6));
        CHECK(r.worst.parameter == "dW");
    }
}

// ---- relative_difference ---------------------------------------------------------------

TEST_CASE("relative_difference: zero vectors, known values, mismatched lengths", "[gradient_check]") {
    CHECK(relative_difference({0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}) == 0.0);
    CHECK(relative_difference({}, {}) == 0.0);
    // ||(3,4)|| / (5 + 0)
    CHECK(relative_difference({3.0, 4.0}, {0.0, 0.0}) == Approx(1.0).epsilon(1e-15));
    // sqrt(2) / (1 + 1)
    CHECK(relative_difference({1.0, 0.0}, {0.0, 1.0}) == Approx(std::sqrt(2.0) / 2.0).epsilon(1e-15));
    CHECK(relative_difference({2.0, -1.0}, {2.0, -1.0}) == 0.0);
    REQUIRE_THROWS_MATCHES(relative_difference({1.0, 2.0, 3.0}, {1.0, 2.0}), value_error,
                           message_contains({"3", "2", "length"}));
}

// ---- Errors --------------------------------------------------------------------------

TEST_CASE("bad checker settings throw value_error", "[gradient_check][errors]") {
    tanh_net net;
    const scalar_function f = net.function();

    REQUIRE_THROWS_MATCHES(check_gradients(f, net.params(), {0.0, 1e-6}), value_error,
                           message_contains({"check_gradients", "epsilon"}));
    REQUIRE_THROWS_MATCHES(check_gradients(f, net.params(), {-1e-6, 1e-6}), value_error,
                           message_contains({"epsilon"}));
    REQUIRE_THROWS_MATCHES(check_gradients(f, net.params(), {1e-6, 0.0}), value_error,
                           message_contains({"threshold"}));
    REQUIRE_THROWS_MATCHES(check_gradients(f, net.params(), {1e-6, -1.0}), value_error,
                           message_contains({"threshold"}));
    REQUIRE_THROWS_MATCHES(check_gradients(f, {}), value_error, message_contains({"no parameters"}));
    REQUIRE_THROWS_MATCHES(check_gradients(f, {&net.W1, nullptr}), value_error,
                           message_contains({"parameter 1", "null"}));

    fast_check_options fast;
    fast.epsilon = 0.0;
    REQUIRE_THROWS_MATCHES(check_gradients_fast(f, net.params(), fast), value_error,
                           message_contains({"check_gradients_fast", "epsilon"}));
    REQUIRE_THROWS_MATCHES(check_gradients_fast(f, {}), value_error, message_contains({"no parameters"}));

    auto J = [](double t) { return t; };
    REQUIRE_THROWS_MATCHES(gradient_check_1d(J, J, 1.0, 0.0), value_error, message_contains({"epsilon"}));
    REQUIRE_THROWS_MATCHES(gradient_check_1d(J, J, 1.0, 1e-7, 0.0), value_error, message_contains({"threshold"}));
}

TEST_CASE("a function returning a non-1x1 var throws shape_error", "[gradient_check][errors]") {
    parameter P("P", make_matrix(2, 3, 0.5));
    auto f = [&](tape& t) { return t.watch(P) * 2.0; };
    REQUIRE_THROWS_MATCHES(check_gradients(f, {&P}), shape_error, message_contains({"1x1", "(2, 3)"}));
    REQUIRE_THROWS_MATCHES(check_gradients_fast(f, {&P}), shape_error, message_contains({"1x1", "(2, 3)"}));
}

TEST_CASE("a parameter the function never watches throws value_error mentioning watch",
          "[gradient_check][errors]") {
    parameter used("used", matrix{{1.0, 2.0}});
    parameter unused("unused", matrix{{3.0}, {4.0}});
    // A gradient of the right shape left over from elsewhere must not hide the mistake.
    unused.grad = make_matrix(2, 1, 0.0);
    auto f = [&](tape& t) { return sum(square(t.watch(used))); };
    REQUIRE_THROWS_MATCHES(check_gradients(f, {&used, &unused}), value_error,
                           message_contains({"unused", "watch"}));
    REQUIRE_THROWS_MATCHES(check_gradients_fast(f, {&used, &unused}), value_error,
                           message_contains({"unused", "watch"}));
}

// ---- The report --------------------------------------------------------------------------

TEST_CASE("gradient_report::to_string names the difference, every parameter and the worst element",
          "[gradient_check]") {
    SECTION("a report built by hand") {
        gradient_report r;
        r.method = "full";
        r.difference = 0.125;
        r.threshold = 1e-6;
        r.epsilon = 1e-6;
        r.passed = false;
        r.parameters = {{"W1", 0.25}, {"b1", 1e-9}};
        r.worst = {"W1", 1, 2, 3.5, 1.75};
        r.evaluations = 17;
        const std::string s = r.to_string();
        INFO(s);
        CHECK_THAT(s, Catch::Matchers::Contains("0.125"));
        CHECK_THAT(s, Catch::Matchers::Contains("W1"));
        CHECK_THAT(s, Catch::Matchers::Contains("b1"));
        CHECK_THAT(s, Catch::Matchers::Contains("worst element"));
        CHECK_THAT(s, Catch::Matchers::Contains("W1(1, 2)"));
        CHECK_THAT(s, Catch::Matchers::Contains("3.5"));
        CHECK_THAT(s, Catch::Matchers::Contains("1.75"));
        CHECK_THAT(s, Catch::Matchers::Contains("FAILED"));
        CHECK_THAT(s, Catch::Matchers::Contains("17 evaluations"));
        std::ostringstream os;
        os << r;
        CHECK(os.str() == s);
    }
    SECTION("a report of a failed check") {
        square_problem p;
        const gradient_report r = check_gradients(p.function(true), p.params());
        const std::string s = r.to_string();
        INFO(s);
        // One line per parameter, starting with its name.
        CHECK_THAT(s, Catch::Matchers::Contains("\n  W "));
        CHECK_THAT(s, Catch::Matchers::Contains("\n  b "));
        CHECK_THAT(s, Catch::Matchers::Contains("worst element: W(1, 2)"));
        CHECK_THAT(s, Catch::Matchers::Contains("<-- at fault"));
        // Only the wrong parameter is named; b's gradient is right.
        CHECK(r.culprits() == std::vector<std::string>{"W"});
        CHECK(r.parameters[0].at_fault);
        CHECK_FALSE(r.parameters[1].at_fault);
    }
}

// ---- Evaluation tapes and parallel workers -------------------------------------------

TEST_CASE("a tape that does not record computes values, keeps no backward state and refuses backward",
          "[gradient_check][tape]") {
    parameter W("W", matrix{{1.0, -2.0}, {0.5, 3.0}});
    tape t;
    t.set_recording(false);
    var y = sum(square(t.watch(W)));
    CHECK(y.item() == 1.0 + 4.0 + 0.25 + 9.0);
    CHECK_THROWS_MATCHES(t.backward(y), tape_error, message_contains({"does not record", "set_recording"}));
    // Substitution: watch() reads the substitute, the parameter is untouched.
    const matrix other = {{2.0, 0.0}, {0.0, 1.0}};
    t.clear();
    t.substitute(W, other);
    CHECK(sum(t.watch(W)).item() == 3.0);
    CHECK(W.value()(0, 1) == -2.0);
    CHECK_THROWS_MATCHES(t.substitute(W, make_matrix(3, 3)), shape_error,
                         message_contains({"substitute", "'W'", "(2, 2)", "(3, 3)"}));
    t.clear_substitutions();
    t.clear();
    CHECK(sum(t.watch(W)).item() == 2.5);
}

TEST_CASE("the checker gives the same numbers with one worker or several, and leaves the parameters as they were",
          "[gradient_check]") {
    std::mt19937_64 rng(3);
    parameter A("A", random_input(input_domain::any, {4, 5}, rng));
    parameter b("b", random_input(input_domain::any, {4, 1}, rng));
    const matrix X = random_input(input_domain::any, {5, 6}, rng);
    const matrix a_before = A.value(), b_before = b.value();
    auto f = [&](tape& t) { return mean(tanh(matmul(t.watch(A), t.reference(X)) + t.watch(b))); };
    const gradient_report one = check_gradients(f, {&A, &b}, {default_epsilon, default_threshold, 1});
    const gradient_report many = check_gradients(f, {&A, &b}, {default_epsilon, default_threshold, 4});
    CHECK(bitwise_equal(A.value(), a_before));
    CHECK(bitwise_equal(b.value(), b_before));
    CHECK(one.passed);
    CHECK(one.difference == many.difference);  // each scalar's difference is computed the same way
    CHECK(one.worst.numeric == many.worst.numeric);
    REQUIRE(one.parameters.size() == many.parameters.size());
    for (std::size_t i = 0; i < one.parameters.size(); ++i) CHECK(one.parameters[i].difference == many.parameters[i].difference);
    CHECK(one.evaluations == many.evaluations);
}

TEST_CASE("a function that reads a parameter without watching it is refused by name", "[gradient_check]") {
    parameter W("W", matrix{{0.3, -0.4}});
    parameter b("b", matrix{{0.1}});
    // Neither gradient would see the reference's use of W (the perturbed
    // evaluations move substitutes of watched parameters), so the checker asks.
    auto f = [&](tape& t) { return sum(square(t.watch(W))) + sum(t.reference(W.value())) + sum(t.watch(b)); };
    const matrix before = W.value();
    CHECK_THROWS_MATCHES(check_gradients(f, {&b, &W}), value_error,
                         message_contains({"reads parameter 'W' without tape.watch", "tape.reference(W.value())"}));
    CHECK_THROWS_MATCHES(check_gradients_fast(f, {&W}), value_error, message_contains({"'W'"}));
    CHECK(bitwise_equal(W.value(), before));
}

TEST_CASE("a failed fast check above full_check_limit says why no full check followed", "[gradient_check]") {
    square_problem p;
    fast_check_options options;
    options.full_check_limit = 5;  // the problem has 15 scalars
    const gradient_report r = check_gradients_fast(p.function(true), p.params(), options);
    CHECK_FALSE(r.passed);
    CHECK(r.method == "fast");
    CHECK(r.parameters.empty());
    CHECK_THAT(r.to_string(), Catch::Matchers::Contains("note: no full check followed: 15 scalars is more than "
                                                        "full_check_limit (5)"));
}

// Run by tests/programs under an address-space limit that leaves room for a few
// thread stacks only: the workers that cannot start are run by the caller, with
// the same report (it used to end in std::terminate). Hidden: it means nothing
// without the limit.
TEST_CASE("with worker threads it cannot start, the checker gives the same report", "[.thread_limit]") {
    parameter W("W", random_state(1).randn(12, 10));
    auto f = [&](tape& t) { return sum(tanh(t.watch(W)) * t.constant(0.5)); };
    gradient_check_options many, one;
    many.threads = 200;
    one.threads = 1;
    const gradient_report a = check_gradients(f, {&W}, many);
    const gradient_report b = check_gradients(f, {&W}, one);
    CHECK(a.passed);
    CHECK(a.difference == b.difference);
    CHECK(a.evaluations == b.evaluations);
}
