// Closed-form checks of individual ops: derivatives and gradients compared with
// formulas computed here with plain loops, independently of the library.
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/tapegrad.hpp>
#include <xtensor/xio.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::exactly_equal;

// Matrix overloads are called qualified: unqualified, a non-const or temporary
// xtensor argument makes argument-dependent lookup pick xt::sum and friends.

namespace {

matrix ones_like(const matrix& m) { return make_matrix(shape_of(m), 1.0); }

}  // namespace

TEST_CASE("sigmoid' = s (1 - s) elementwise", "[formulas]") {
    const matrix x0 = {{-6.0, -1.5, 0.0}, {0.25, 2.0, 8.0}};
    parameter x("x", x0);
    tape t;
    const var xv = t.watch(x);
    const var y = sigmoid(xv);
    t.backward(y, ones_like(x0));
    for (std::size_t i = 0; i < 2; ++i) {
        for (std::size_t j = 0; j < 3; ++j) {
            const double s = 1.0 / (1.0 + std::exp(-x0(i, j)));
            CAPTURE(i, j, x0(i, j));
            CHECK(y.value()(i, j) == Approx(s).epsilon(1e-15));
            CHECK(x.grad(i, j) == Approx(s * (1.0 - s)).epsilon(1e-14));
            CHECK(xv.grad()(i, j) == x.grad(i, j));
        }
    }
    // At 0 the slope is exactly 1/4.
    CHECK(x.grad(0, 2) == 0.25);
}

TEST_CASE("relu' is 1 for positive inputs and 0 for negative inputs and at exactly 0", "[formulas]") {
    const matrix x0 = {{-2.0, -0.5, 0.0, 0.5, 3.0}};
    parameter x("x", x0);
    tape t;
    const var y = relu(t.watch(x));
    CHECK(exactly_equal(y.value(), matrix{{0.0, 0.0, 0.0, 0.5, 3.0}}));

    SECTION("with a seed of ones") {
        t.backward(y, ones_like(x0));
        // 0 at x = 0: the course's A > 0 rule.
        CHECK(exactly_equal(x.grad, matrix{{0.0, 0.0, 0.0, 1.0, 1.0}}));
    }
    SECTION("with a non-trivial seed the slope multiplies it") {
        t.backward(y, matrix{{1.0, 2.0, 3.0, 4.0, 5.0}});
        CHECK(exactly_equal(x.grad, matrix{{0.0, 0.0, 0.0, 4.0, 5.0}}));
    }
}

TEST_CASE("matmul's gradients are G B^T and A^T G", "[formulas]") {
    // Non-square shapes, including (n,1) and (1,k) operands.
    struct dims {
        std::size_t n, k, m;
    };
    const dims cases[] = {{2, 3, 4}, {3, 1, 4}, {1, 3, 2}, {4, 2, 1}};
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> uniform(-2.0, 2.0);
    auto random_matrix = [&](std::size_t r, std::size_t c) {
        matrix m = make_matrix(r, c);
        for (std::size_t i = 0; i < r; ++i) {
            for (std::size_t j = 0; j < c; ++j) m(i, j) = uniform(rng);
        }
        return m;
    };

    for (const dims& d : cases) {
        CAPTURE(d.n, d.k, d.m);
        parameter A("A", random_matrix(d.n, d.k));
        parameter B("B", random_matrix(d.k, d.m));
        const matrix G = random_matrix(d.n, d.m);  // the seed dJ/dC

        tape t;
        const var C = matmul(t.watch(A), t.watch(B));
        t.backward(C, G);

        REQUIRE(shape_of(C.value()) == (shape2{d.n, d.m}));
        REQUIRE(shape_of(A.grad) == (shape2{d.n, d.k}));
        REQUIRE(shape_of(B.grad) == (shape2{d.k, d.m}));
        for (std::size_t i = 0; i < d.n; ++i) {
            for (std::size_t j = 0; j < d.m; ++j) {
                double c = 0.0;
                for (std::size_t p = 0; p < d.k; ++p) c += A.value()(i, p) * B.value()(p, j);
                CHECK(C.value()(i, j) == Approx(c).epsilon(1e-13).margin(1e-15));
            }
        }
        // dA = G B^T: dA(i,p) = sum_j G(i,j) B(p,j)
        for (std::size_t i = 0; i < d.n; ++i) {
            for (std::size_t p = 0; p < d.k; ++p) {
                double s = 0.0;
                for (std::size_t j = 0; j < d.m; ++j) s += G(i, j) * B.value()(p, j);
                CAPTURE(i, p);
                CHECK(A.grad(i, p) == Approx(s).epsilon(1e-13).margin(1e-15));
            }
        }
        // dB = A^T G: dB(p,j) = sum_i A(i,p) G(i,j)
        for (std::size_t p = 0; p < d.k; ++p) {
            for (std::size_t j = 0; j < d.m; ++j) {
                double s = 0.0;
                for (std::size_t i = 0; i < d.n; ++i) s += A.value()(i, p) * G(i, j);
                CAPTURE(p, j);
                CHECK(B.grad(p, j) == Approx(s).epsilon(1e-13).margin(1e-15));
            }
        }
    }
}

TEST_CASE("matmul(A, A) accumulates both operands' gradients: G A^T + A^T G", "[formulas]") {
    const matrix A0 = {{0.5, -1.0, 2.0}, {1.5, 0.25, -0.75}, {-2.0, 1.0, 0.5}};
    const matrix G = {{1.0, -0.5, 2.0}, {0.25, 3.0, -1.0}, {-1.5, 0.5, 1.0}};
    parameter A("A", A0);
    tape t;
    const var a = t.watch(A);
    t.backward(matmul(a, a), G);
    for (std::size_t i = 0; i < 3; ++i) {
        for (std::size_t p = 0; p < 3; ++p) {
            double s = 0.0;
            for (std::size_t j = 0; j < 3; ++j) s += G(i, j) * A0(p, j) + A0(j, i) * G(j, p);
            CAPTURE(i, p);
            CHECK(A.grad(i, p) == Approx(s).epsilon(1e-13).margin(1e-15));
        }
    }
}

TEST_CASE("a broadcast operand's gradient is the seed summed over the broadcast dimension", "[formulas]") {
    const matrix a0 = {{1.0, 2.0, 3.0, 4.0}, {5.0, 6.0, 7.0, 8.0}, {9.0, 10.0, 11.0, 12.0}};
    const matrix G = {{0.5, -1.0, 2.0, 0.25}, {3.0, 1.5, -0.5, 1.0}, {-2.0, 4.0, 0.75, -1.25}};
    parameter a("a", a0);

    SECTION("(3,4) + (3,1): row sums of the seed") {
        parameter b("b", matrix{{0.1}, {0.2}, {0.3}});
        tape t;
        const var y = t.watch(a) + t.watch(b);
        CHECK(y.value()(2, 3) == 12.0 + 0.3);
        t.backward(y, G);
        CHECK(exactly_equal(a.grad, G));
        CHECK(exactly_equal(b.grad, matrix{{0.5 - 1.0 + 2.0 + 0.25}, {3.0 + 1.5 - 0.5 + 1.0}, {-2.0 + 4.0 + 0.75 - 1.25}}));
    }
    SECTION("(3,4) + (1,4): column sums of the seed") {
        parameter b("b", matrix{{0.1, 0.2, 0.3, 0.4}});
        tape t;
        const var y = t.watch(a) + t.watch(b);
        t.backward(y, G);
        CHECK(exactly_equal(b.grad, matrix{{1.5, 4.5, 2.25, 0.0}}));
    }
    SECTION("(1,1) + (3,4): the sum of the whole seed") {
        parameter b("b", scalar_matrix(0.5));
        tape t;
        const var y = t.watch(b) + t.watch(a);
        t.backward(y, G);
        CHECK(b.grad(0, 0) == Approx(8.25).epsilon(1e-15));
        CHECK(exactly_equal(a.grad, G));
    }
}

TEST_CASE("sum along an axis keeps dims: axis 0 -> (1,m), axis 1 -> (n,1)", "[formulas]") {
    const matrix m = {{1.0, 2.0, 3.0}, {10.0, 20.0, 30.0}};
    tape t;
    const var v = t.constant(m);

    const var down = sum(v, 0);
    CHECK(shape_of(down.value()) == (shape2{1, 3}));
    CHECK(exactly_equal(down.value(), matrix{{11.0, 22.0, 33.0}}));
    CHECK(exactly_equal(tapegrad::sum(m, 0), matrix{{11.0, 22.0, 33.0}}));

    const var along = sum(v, 1);
    CHECK(shape_of(along.value()) == (shape2{2, 1}));
    CHECK(exactly_equal(along.value(), matrix{{6.0}, {60.0}}));
    CHECK(exactly_equal(tapegrad::sum(m, 1), matrix{{6.0}, {60.0}}));

    CHECK(shape_of(sum(v).value()) == (shape2{1, 1}));
    CHECK(sum(v).item() == 66.0);
    CHECK(exactly_equal(tapegrad::mean(m, 0), matrix{{5.5, 11.0, 16.5}}));
    CHECK(exactly_equal(tapegrad::mean(m, 1), matrix{{2.0}, {20.0}}));
}

TEST_CASE("the pairwise sum matches a naive sum on 1000 values, also by axis", "[formulas]") {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> uniform(-1.0, 3.0);
    matrix m = make_matrix(1, 1000);
    double naive = 0.0;
    long double reference = 0.0L;
    for (std::size_t j = 0; j < 1000; ++j) {
        m(0, j) = uniform(rng);
        naive += m(0, j);
        reference += m(0, j);
    }
    tape t;
    const double total = sum(t.constant(m)).item();
    CHECK(total == Approx(naive).epsilon(1e-12));
    CHECK(total == Approx(static_cast<double>(reference)).epsilon(1e-13));
    CHECK(tapegrad::sum(m)(0, 0) == total);
    // The same values as a column and as a 25x40 block, summed whole and by axis.
    matrix column = make_matrix(1000, 1);
    matrix block = make_matrix(25, 40);
    for (std::size_t k = 0; k < 1000; ++k) {
        column(k, 0) = m(0, k);
        block(k / 40, k % 40) = m(0, k);
    }
    CHECK(tapegrad::sum(column)(0, 0) == Approx(naive).epsilon(1e-12));
    CHECK(tapegrad::sum(tapegrad::sum(column, 0))(0, 0) == Approx(naive).epsilon(1e-12));
    CHECK(tapegrad::sum(block)(0, 0) == Approx(naive).epsilon(1e-12));
    CHECK(tapegrad::sum(tapegrad::sum(block, 1))(0, 0) == Approx(naive).epsilon(1e-12));
    CHECK(tapegrad::sum(tapegrad::sum(block, 0))(0, 0) == Approx(naive).epsilon(1e-12));
}

TEST_CASE("the pairwise sum covers every length around its block sizes", "[formulas]") {
    // Lengths that exercise the plain loop (< 8), the 8-way loop and its tail
    // (<= 128) and the recursive split, including lengths that are not multiples of 8.
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> uniform(-1.0, 3.0);
    for (std::size_t n : {1u, 2u, 7u, 8u, 9u, 15u, 16u, 17u, 127u, 128u, 129u, 135u, 999u, 1003u}) {
        CAPTURE(n);
        matrix m = make_matrix(1, n);
        long double reference = 0.0L;
        for (std::size_t j = 0; j < n; ++j) {
            m(0, j) = uniform(rng);
            reference += m(0, j);
        }
        CHECK(tapegrad::sum(m)(0, 0) == Approx(static_cast<double>(reference)).epsilon(1e-13));
    }
}

TEST_CASE("the sum of a (1,1) value is the value", "[formulas]") {
    tape t;
    CHECK(sum(t.constant(scalar_matrix(0.1))).item() == 0.1);
    CHECK(tapegrad::sum(scalar_matrix(-3.75))(0, 0) == -3.75);
    CHECK(tapegrad::sum(scalar_matrix(1e300))(0, 0) == 1e300);
}

TEST_CASE("linear and linear_relu refuse a bias that is not a column or a scalar", "[ops]") {
    tape t;
    var W = t.constant(make_matrix(3, 2, 1.0));
    var X = t.constant(make_matrix(2, 4, 1.0));
    CHECK_THROWS_MATCHES(linear(W, X, t.constant(make_matrix(1, 4, 0.0))), shape_error,
                         test_support::message_contains({"linear: the bias has shape (1, 4)", "W x has shape (3, 4)",
                                           "(3, 1) column or a (1, 1) scalar"}));
    CHECK_THROWS_MATCHES(linear_relu(W, X, t.constant(make_matrix(2, 1, 0.0))), shape_error,
                         test_support::message_contains({"linear_relu: the bias has shape (2, 1)"}));
    CHECK_THROWS_MATCHES(linear(W, t.constant(make_matrix(3, 4, 1.0)), t.constant(make_matrix(3, 1, 0.0))), shape_error,
                         test_support::message_contains({"matmul", "(3, 2)", "(3, 4)"}));
}
