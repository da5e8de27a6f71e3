// The course's cost (faithful), the stable cost from logits, and the L2 penalty.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>

#include <tapegrad/tapegrad.hpp>

using namespace tapegrad;
using Catch::Matchers::Contains;

TEST_CASE("the course's L2 cost case gives 1.7864859451590758", "[losses][l2]") {
    // REFERENCE.md: seed 1, Y, then W1 b1 W2 b2 W3 b3 drawn in that order; A3 given; lambda 0.1.
    random_state rng(1);
    const matrix Y = {{1, 1, 0, 1, 0}};
    const matrix W1 = rng.randn(2, 3);
    rng.randn(2, 1);
    const matrix W2 = rng.randn(3, 2);
    rng.randn(3, 1);
    const matrix W3 = rng.randn(1, 3);
    rng.randn(1, 1);
    const matrix A3 = {{0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402}};
    const double m = 5.0;

    const double cost = (binary_cross_entropy(A3, Y) + l2_penalty(std::vector<matrix>{W1, W2, W3}, 0.1, m))(0, 0);
    CHECK(cost == Approx(1.7864859451590758).epsilon(1e-12));

    // The same on a tape.
    tape t;
    var J = binary_cross_entropy(t.constant(A3), t.constant(Y)) +
            l2_penalty({t.constant(W1), t.constant(W2), t.constant(W3)}, 0.1, m);
    CHECK(J.item() == Approx(1.7864859451590758).epsilon(1e-12));
}

TEST_CASE("the faithful cost is (1/m) nansum(-log(A) Y - log(1 - A)(1 - Y))", "[losses]") {
    const matrix A = {{0.9, 0.2, 0.6}};
    const matrix Y = {{1, 0, 0}};
    const double expected = (1.0 / 3.0) * (-std::log(0.9) - std::log(0.8) - std::log(0.4));
    CHECK(binary_cross_entropy(A, Y)(0, 0) == Approx(expected).epsilon(1e-15));
}

TEST_CASE("the faithful cost gives +inf where the course does and drops NaN terms", "[losses]") {
    SECTION("a confidently wrong prediction costs +inf") {
        const double cost = binary_cross_entropy(matrix{{1.0, 0.5}}, matrix{{0, 1}})(0, 0);
        CHECK(std::isinf(cost));
        CHECK(cost > 0);
    }
    SECTION("a confidently right prediction's NaN term (0 * inf) is dropped, as nansum does") {
        tape t;
        parameter a("A", {{1.0, 0.3}});
        var J = binary_cross_entropy(t.watch(a), t.constant(matrix{{1, 0}}));
        CHECK(J.item() == Approx(0.5 * -std::log(0.7)).epsilon(1e-15));
        t.backward(J);
        CHECK(a.grad(0, 0) == 0.0);                                    // dropped term: constant 0
        CHECK(a.grad(0, 1) == Approx(0.5 / (1.0 - 0.3)).epsilon(1e-15));  // (1/m) / (1 - a)
    }
}

TEST_CASE("the stable and the faithful cost agree wherever both are finite", "[losses]") {
    std::mt19937_64 rng(4);
    const matrix Z = mul_scalar(random_input(input_domain::any, {3, 40}, rng), 3.0);  // |z| <= 6
    const matrix Y = random_input(input_domain::zero_one, {3, 40}, rng);
    const double faithful = binary_cross_entropy(sigmoid(Z), Y)(0, 0);
    const double stable = binary_cross_entropy_with_logits(Z, Y)(0, 0);
    CHECK(stable == Approx(faithful).epsilon(1e-12));

    // Gradients agree too: d/dZ through sigmoid equals (sigmoid(Z) - Y) / m.
    parameter z("Z", Z);
    tape t1, t2;
    t1.backward(binary_cross_entropy(sigmoid(t1.watch(z)), t1.constant(Y)));
    const matrix g_faithful = z.grad;
    t2.backward(binary_cross_entropy_with_logits(t2.watch(z), t2.constant(Y)));
    for (std::size_t k = 0; k < Z.size(); ++k) {
        CHECK(z.grad.data()[k] == Approx(g_faithful.data()[k]).epsilon(1e-9).margin(1e-15));
    }
}

TEST_CASE("the stable cost stays finite for |z| up to 1e300", "[losses]") {
    parameter z("Z", {{1e300, -1e300, 0.0, 1e300}});
    const matrix Y = {{0, 1, 1, 1}};
    tape t;
    var J = binary_cross_entropy_with_logits(t.watch(z), t.constant(Y));
    CHECK(std::isfinite(J.item()));
    CHECK(J.item() == Approx(0.5e300).epsilon(1e-12));  // (1e300 + 1e300 + log 2 + 0) / 4
    t.backward(J);
    CHECK(all_finite(z.grad));
    CHECK(z.grad(0, 0) == 0.25);   // (sigmoid(1e300) - 0) / 4
    CHECK(z.grad(0, 1) == -0.25);  // (sigmoid(-1e300) - 1) / 4
    CHECK(z.grad(0, 3) == 0.0);
    // The faithful cost of the same prediction is +inf.
    CHECK(std::isinf(binary_cross_entropy(sigmoid(z.value()), Y)(0, 0)));
}

TEST_CASE("losses reject bad labels and shapes with clear messages", "[losses]") {
    const matrix A = {{0.5, 0.5}};
    CHECK_THROWS_MATCHES(binary_cross_entropy(A, matrix{{1, 0.5}}), value_error,
                         Catch::Matchers::Message("binary_cross_entropy: labels Y must be 0 or 1, got 0.500000 at (0, 1)"));
    CHECK_THROWS_MATCHES(binary_cross_entropy(A, matrix{{1, 0, 1}}), shape_error,
                         Catch::Matchers::Message("binary_cross_entropy: the predictions have shape (1, 2) but the "
                                                  "labels Y have shape (1, 3); they must match"));
    CHECK_THROWS_WITH(binary_cross_entropy_with_logits(A, matrix{{2, 0}}), Contains("must be 0 or 1"));
    tape t;
    parameter y("Y", {{1, 0}});
    CHECK_THROWS_WITH(binary_cross_entropy(t.constant(A), t.watch(y)), Contains("labels are not differentiated"));
    // A failed op leaves nothing behind on the tape.
    const std::size_t before = t.size();
    CHECK_THROWS_AS(binary_cross_entropy(t.constant(A), t.constant(matrix{{1, 0, 1}})), shape_error);
    CHECK(t.size() == before + 2);  // the two constants, no half-built loss node
}

TEST_CASE("l2_penalty is (1/m)(lambda/2) sum W^2 with gradient (lambda/m) W", "[losses][l2]") {
    parameter w1("W1", {{1.0, -2.0}, {0.5, 3.0}});
    parameter w2("W2", {{-1.5, 0.25, 4.0}});
    const double lambda = 0.7, m = 211.0;
    tape t;
    var P = l2_penalty({t.watch(w1), t.watch(w2)}, lambda, m);
    const double sum_sq = 1 + 4 + 0.25 + 9 + 2.25 + 0.0625 + 16;
    CHECK(P.item() == Approx((1.0 / m) * (lambda / 2.0) * sum_sq).epsilon(1e-15));
    t.backward(P);
    for (std::size_t k = 0; k < 4; ++k) CHECK(w1.grad.data()[k] == Approx(lambda / m * w1.value().data()[k]).epsilon(1e-14));
    for (std::size_t k = 0; k < 3; ++k) CHECK(w2.grad.data()[k] == Approx(lambda / m * w2.value().data()[k]).epsilon(1e-14));
}

TEST_CASE("l2_penalty rejects bad settings", "[losses][l2]") {
    const std::vector<matrix> w = {make_matrix(2, 2, 1.0)};
    CHECK_THROWS_MATCHES(l2_penalty(w, -0.1, 5.0), value_error,
                         Catch::Matchers::Message("l2_penalty: lambda must be a finite number >= 0, got -0.100000"));
    CHECK_THROWS_WITH(l2_penalty(w, 0.7, 0.0), Contains("m (the number of examples) must be > 0, got 0"));
    CHECK_THROWS_WITH(l2_penalty(w, 0.7, -3.0), Contains("must be > 0"));
    CHECK_THROWS_WITH(l2_penalty(std::vector<matrix>{}, 0.7, 5.0), Contains("list of weight matrices is empty"));
    CHECK_THROWS_WITH(l2_penalty(std::vector<var>{}, 0.7, 5.0), Contains("empty"));
    CHECK(l2_penalty(w, 0.0, 5.0)(0, 0) == 0.0);
}

TEST_CASE("the faithful cost gives the bits of the course's full formula, edge cases included", "[losses]") {
    // The op computes one log per element; the course's formula computes both.
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> as = {0.0, 1e-300, 1e-17, 0.25, 0.5, 1.0 - 1e-16, 1.0, -0.0, 2.0, -0.5, std::nan(""), inf};
    for (double label : {0.0, 1.0}) {
        for (double a : as) {
            CAPTURE(label, a);
            const double full = (-std::log(a)) * label + (-std::log(1.0 - a)) * (1.0 - label);
            const double mine = binary_cross_entropy(matrix{{a, 0.5}}, matrix{{label, 1.0}})(0, 0);
            // The second element adds -log(0.5); nansum drops a NaN first term.
            const double expected = (1.0 / 2.0) * ((std::isnan(full) ? 0.0 : full) + -std::log(0.5));
            CHECK(std::memcmp(&mine, &expected, sizeof(double)) == 0);
        }
    }
}
