// The tape engine: gradient accumulation, long chains, clear() and reuse,
// parameter gradients, the matrix (non-recording) overloads, constants, and
// every misuse error with its message.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>
#include <tapegrad/tapegrad.hpp>
#include <xtensor/xio.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::exactly_equal;
using test_support::message_contains;

// The matrix overloads are called qualified (tapegrad::sum(m)): unqualified, a
// non-const or temporary xtensor argument pulls in xt::sum, xt::tanh, ... by
// argument-dependent lookup, and those templates win overload resolution.

TEST_CASE("a var used twice accumulates both contributions: d(x*x)/dx = 2x", "[tape]") {
    parameter x("x", matrix{{1.5, -2.0, 0.25}});
    tape t;
    const var xv = t.watch(x);
    const var y = sum(xv * xv);
    t.backward(y);

    // g*b + g*a with g = 1 is x + x, which is exactly 2x.
    const matrix expected = {{3.0, -4.0, 0.5}};
    INFO("x.grad = " << x.grad);
    CHECK(exactly_equal(x.grad, expected));
    CHECK(exactly_equal(xv.grad(), expected));
}

TEST_CASE("a diamond graph matches the hand-derived gradient", "[tape]") {
    // b and c both derive from a, and a also enters each product directly:
    // y = a*b + a*c with b = 2a, c = exp(a)  =>  y = 2a^2 + a e^a,
    // dy/da = 4a + e^a + a e^a.
    const matrix a0 = {{-1.2, 0.3}, {0.8, 2.0}};
    parameter a("a", a0);
    tape t;
    const var av = t.watch(a);
    const var b = av * 2.0;
    const var c = exp(av);
    const var y = sum(av * b + av * c);
    t.backward(y);

    REQUIRE(shape_of(a.grad) == shape_of(a0));
    for (std::size_t i = 0; i < 2; ++i) {
        for (std::size_t j = 0; j < 2; ++j) {
            const double x = a0(i, j);
            CAPTURE(i, j, x);
            CHECK(a.grad(i, j) == Approx(4.0 * x + std::exp(x) + x * std::exp(x)).epsilon(1e-13));
        }
    }
}

TEST_CASE("a chain of 1000 ops backpropagates to the closed form", "[tape]") {
    // x_{k+1} = x_k * 1.001 + 0.0, 1000 times: x_1000 = 1.001^1000 x_0 and
    // dx_1000/dx_0 = 1.001^1000.
    parameter x("x", scalar_matrix(0.5));
    tape t;
    var v = t.watch(x);
    for (int k = 0; k < 1000; ++k) v = v * 1.001 + 0.0;
    REQUIRE(t.size() == 2001);  // one watch + 2 ops per step: nothing hidden, nothing lost
    t.backward(v);

    const double factor = std::pow(1.001, 1000);
    CHECK(v.item() == Approx(0.5 * factor).epsilon(1e-12));
    CHECK(x.grad(0, 0) == Approx(factor).epsilon(1e-12));
}

TEST_CASE("a chain of 1000 sigmoid/add ops matches the product of local derivatives", "[tape]") {
    // x_{k+1} = 4 sigmoid(x_k) - 2 (= 2 tanh(x_k / 2), whose slope is close to 1
    // near 0, so the product of 1000 local slopes stays a normal number).
    // dx_n/dx_0 = prod 4 s_k (1 - s_k), computed here with plain doubles.
    const double x0 = 0.3;
    parameter x("x", scalar_matrix(x0));
    tape t;
    var v = t.watch(x);
    double value = x0, derivative = 1.0;
    for (int k = 0; k < 1000; ++k) {
        v = sigmoid(v) * 4.0 - 2.0;
        const double s = 1.0 / (1.0 + std::exp(-value));
        derivative *= 4.0 * s * (1.0 - s);
        value = s * 4.0 - 2.0;
    }
    REQUIRE(std::isnormal(derivative));
    REQUIRE(derivative < 0.5);  // the chain really shrinks the gradient: not a trivial 1
    t.backward(v);
    CHECK(v.item() == Approx(value).epsilon(1e-12));
    CHECK(x.grad(0, 0) == Approx(derivative).epsilon(1e-10));
}

TEST_CASE("a very long chain (100000 ops) backpropagates without recursion", "[tape]") {
    // A recursive reverse pass would need 100000 nested frames here.
    parameter x("x", scalar_matrix(2.0));
    tape t;
    var v = t.watch(x);
    for (int k = 0; k < 100000; ++k) v = v + 1.0;
    t.backward(v);
    CHECK(v.item() == 100002.0);
    CHECK(x.grad(0, 0) == 1.0);
}

TEST_CASE("tape.clear() keeps capacity and a rebuilt graph gives the same values and gradients", "[tape]") {
    parameter W("W", matrix{{0.5, -1.0}, {2.0, 0.25}});
    parameter b("b", matrix{{0.1}, {-0.2}});
    const matrix X = {{1.0, 2.0, 3.0}, {-1.0, 0.5, 2.0}};
    auto build = [&](tape& t) {
        const var h = tanh(matmul(t.watch(W), t.reference(X)) + t.watch(b));
        return mean(square(h));
    };

    tape t;
    const var y1 = build(t);
    const double value1 = y1.item();
    t.backward(y1);
    const matrix dW1 = W.grad, db1 = b.grad;
    const std::size_t size1 = t.size();
    const std::size_t capacity1 = t.capacity();
    REQUIRE(size1 > 0);
    REQUIRE(capacity1 >= size1);

    // The same forward pass through the non-recording overloads.
    const matrix direct = tapegrad::mean(tapegrad::square(tapegrad::tanh(tapegrad::add(tapegrad::matmul(W.value(), X), b.value()))));
    CHECK(value1 == direct(0, 0));

    t.clear();
    CHECK(t.size() == 0);
    CHECK(t.empty());
    CHECK_FALSE(t.released());
    CHECK(t.capacity() == capacity1);

    const var y2 = build(t);
    CHECK(y2.item() == value1);
    t.backward(y2);
    CHECK(exactly_equal(W.grad, dW1));
    CHECK(exactly_equal(b.grad, db1));
    CHECK(t.size() == size1);
    CHECK(t.capacity() == capacity1);  // the second iteration reused every node
}

TEST_CASE("parameter gradients are set by backward, not accumulated across iterations", "[tape]") {
    parameter w("w", matrix{{1.0, 2.0}, {3.0, 4.0}});
    const matrix c = {{0.5, -1.5}, {2.0, 0.25}};
    tape t;
    for (int iteration = 0; iteration < 2; ++iteration) {
        t.clear();
        const var y = sum(t.watch(w) * t.constant(c));
        t.backward(y);
        CAPTURE(iteration);
        INFO("w.grad = " << w.grad);
        // d sum(w*c)/dw = c, in every iteration (not 2c in the second).
        CHECK(exactly_equal(w.grad, c));
    }
}

TEST_CASE("a parameter watched twice on one tape gets both contributions", "[tape]") {
    parameter w("w", matrix{{1.0, -2.0, 0.5}});
    tape t;
    const var w1 = t.watch(w);
    const var w2 = t.watch(w);
    t.backward(sum(w1 * 3.0 + w2 * 5.0));
    CHECK(exactly_equal(w.grad, matrix{{8.0, 8.0, 8.0}}));
}

TEST_CASE("the matrix overloads record nothing and equal the var overloads", "[tape]") {
    const matrix m = {{-1.5, 0.0, 0.7}, {2.0, -0.3, 1.1}};
    const matrix other = {{0.4, -0.8, 1.3}, {0.9, 2.2, -1.0}};

    tape t;
    // Evaluated on plain matrices: no node appears on any tape.
    const matrix s = tapegrad::sigmoid(m);
    const matrix r = tapegrad::relu(m);
    const matrix th = tapegrad::tanh(m);
    const matrix p = tapegrad::matmul(m, tapegrad::transpose(other));
    const matrix a = tapegrad::add(m, other);
    const matrix sm = tapegrad::sum(m, 1);
    CHECK(t.size() == 0);

    // The same ops recorded on the tape give exactly the same values.
    const var mv = t.constant(m);
    const var ov = t.constant(other);
    CHECK(exactly_equal(sigmoid(mv).value(), s));
    CHECK(exactly_equal(relu(mv).value(), r));
    CHECK(exactly_equal(tanh(mv).value(), th));
    CHECK(exactly_equal(matmul(mv, transpose(ov)).value(), p));
    CHECK(exactly_equal(add(mv, ov).value(), a));
    CHECK(exactly_equal(sum(mv, 1).value(), sm));

    // Evaluating a matrix overload on a var's value does not grow the tape either.
    const std::size_t before = t.size();
    (void)tapegrad::sigmoid(mv.value());
    (void)tapegrad::matmul(mv.value(), tapegrad::transpose(ov.value()));
    CHECK(t.size() == before);

    // And the sigmoid values are the formula's.
    for (std::size_t j = 0; j < 3; ++j) CHECK(s(0, j) == Approx(1.0 / (1.0 + std::exp(-m(0, j)))).epsilon(1e-15));
}

namespace {
void copy_forward(forward_context& f) { f.output() = f.input(0); }
void throwing_backward(backward_context&) { throw std::logic_error("this backward rule must not run"); }
const op_descriptor throwing_op{"throwing", 1, {input_domain::any}, copy_forward, throwing_backward, {}};
}  // namespace

TEST_CASE("constants get no gradient and ops on constants record no backward work", "[tape]") {
    const matrix m = {{0.5, -1.0}, {1.5, 0.25}};
    parameter w("w", matrix{{2.0, 3.0}, {-1.0, 0.5}});
    tape t;
    const var c = t.constant(m);
    const var ec = exp(c);  // depends on constants only
    const var wv = t.watch(w);
    const var prod = wv * ec;
    const var y = sum(prod);

    CHECK_FALSE(ec.requires_grad());
    CHECK(prod.requires_grad());
    // An op on constants runs no backward rule: one that would throw is never called.
    const var untouched = record_op(throwing_op, {ec});
    const var y2 = y + sum(untouched);
    CHECK_NOTHROW(t.backward(y2, retain_graph::yes));

    t.backward(y);
    // Nothing flows into the constant branch: its grads read as zeros of its shape.
    CHECK(exactly_equal(c.grad(), make_matrix(2, 2, 0.0)));
    CHECK(exactly_equal(ec.grad(), make_matrix(2, 2, 0.0)));
    // The parameter still gets d sum(w * exp(m))/dw = exp(m).
    for (std::size_t i = 0; i < 2; ++i) {
        for (std::size_t j = 0; j < 2; ++j) CHECK(w.grad(i, j) == Approx(std::exp(m(i, j))).epsilon(1e-15));
    }
}

TEST_CASE("backward from a root built only from constants works and reaches nothing", "[tape]") {
    tape t;
    const var c = t.constant(matrix{{1.0, 2.0}});
    const var y = sum(exp(c));
    REQUIRE_NOTHROW(t.backward(y));
    CHECK(y.grad()(0, 0) == 1.0);
    CHECK(exactly_equal(c.grad(), make_matrix(1, 2, 0.0)));
}

TEST_CASE("backward with retain_graph::yes can run twice with identical gradients", "[tape]") {
    parameter w("w", matrix{{0.3, -0.7}, {1.1, 0.2}});
    tape t;
    const var y = sum(square(tanh(t.watch(w))));
    t.backward(y, retain_graph::yes);
    const matrix first = w.grad;
    CHECK_FALSE(t.released());
    REQUIRE_NOTHROW(t.backward(y));
    CHECK(exactly_equal(w.grad, first));
    CHECK(t.released());
}

// ---- errors -------------------------------------------------------------------

TEST_CASE("shape mismatches throw shape_error naming the op and both shapes", "[tape][errors]") {
    tape t;
    const var a = t.constant(make_matrix(2, 3, 1.0));
    const var b = t.constant(make_matrix(4, 5, 1.0));
    REQUIRE_THROWS_MATCHES(add(a, b), shape_error, message_contains({"add", "(2, 3)", "(4, 5)"}));
    REQUIRE_THROWS_MATCHES(matmul(a, b), shape_error, message_contains({"matmul", "(2, 3)", "(4, 5)"}));
    // A rejected op leaves no half-built node behind, and the tape stays usable.
    CHECK(t.size() == 2);
    CHECK(exactly_equal(add(a, a).value(), make_matrix(2, 3, 2.0)));
    // The matrix overloads check the same way.
    REQUIRE_THROWS_MATCHES(tapegrad::mul(make_matrix(2, 3), make_matrix(4, 5)), shape_error,
                           message_contains({"mul", "(2, 3)", "(4, 5)"}));
    REQUIRE_THROWS_MATCHES(tapegrad::matmul(make_matrix(2, 3), make_matrix(4, 5)), shape_error,
                           message_contains({"matmul", "(2, 3)", "(4, 5)"}));
}

TEST_CASE("backward from a non-1x1 root without a seed throws shape_error", "[tape][errors]") {
    parameter w("w", make_matrix(2, 3, 0.5));
    tape t;
    const var y = t.watch(w) * 2.0;
    REQUIRE_THROWS_MATCHES(t.backward(y), shape_error, message_contains({"(2, 3)", "seed"}));
    REQUIRE_THROWS_MATCHES(y.backward(), shape_error, message_contains({"(2, 3)", "seed"}));
}

TEST_CASE("a second backward after release throws tape_error mentioning clear()", "[tape][errors]") {
    parameter w("w", scalar_matrix(1.5));
    tape t;
    const var y = square(t.watch(w));
    t.backward(y);
    CHECK(t.released());
    REQUIRE_THROWS_MATCHES(t.backward(y), tape_error, message_contains({"clear()"}));
    // After clear() and a new forward pass it works again.
    t.clear();
    REQUIRE_NOTHROW(t.backward(square(t.watch(w))));
    CHECK(w.grad(0, 0) == 3.0);
}

TEST_CASE("mixing vars of two tapes throws tape_error", "[tape][errors]") {
    tape t1, t2;
    const var a = t1.constant(1.0);
    const var b = t2.constant(2.0);
    REQUIRE_THROWS_MATCHES(add(a, b), tape_error, message_contains({"another tape"}));
    REQUIRE_THROWS_MATCHES(t1.backward(b), tape_error, message_contains({"another tape"}));
}

TEST_CASE("a default-constructed var throws tape_error mentioning empty", "[tape][errors]") {
    tape t;
    const var good = t.constant(1.0);
    const var empty;
    CHECK(empty.empty());
    REQUIRE_THROWS_MATCHES(sigmoid(empty), tape_error, message_contains({"empty"}));
    REQUIRE_THROWS_MATCHES(add(good, empty), tape_error, message_contains({"empty"}));
    REQUIRE_THROWS_MATCHES(empty.value(), tape_error, message_contains({"empty"}));
    REQUIRE_THROWS_MATCHES(t.backward(empty), tape_error, message_contains({"empty"}));
}

TEST_CASE("a var used after tape.clear() throws tape_error mentioning clear", "[tape][errors]") {
    tape t;
    const var stale = t.constant(matrix{{1.0, 2.0}});
    t.clear();
    REQUIRE_THROWS_MATCHES(sigmoid(stale), tape_error, message_contains({"clear"}));
    REQUIRE_THROWS_MATCHES(stale.value(), tape_error, message_contains({"clear"}));
    // Also once the rebuilt tape is long enough that the stale index is in range.
    const var fresh = t.constant(matrix{{3.0, 4.0}});
    (void)t.constant(5.0);
    REQUIRE_THROWS_MATCHES(add(fresh, stale), tape_error, message_contains({"clear"}));
    REQUIRE_THROWS_MATCHES(stale.item(), tape_error, message_contains({"clear"}));
}

TEST_CASE("a non-finite seed throws value_error", "[tape][errors]") {
    parameter w("w", make_matrix(1, 2, 1.0));
    tape t;
    const var y = t.watch(w) * 3.0;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    REQUIRE_THROWS_MATCHES(t.backward(y, matrix{{1.0, nan}}), value_error, message_contains({"finite"}));
    REQUIRE_THROWS_MATCHES(t.backward(y, matrix{{inf, 1.0}}), value_error, message_contains({"finite"}));
    REQUIRE_THROWS_MATCHES(t.backward(y, matrix{{1.0, -inf}}), value_error, message_contains({"finite"}));
    // A failed backward released nothing: a valid seed still works.
    REQUIRE_NOTHROW(t.backward(y, matrix{{1.0, 2.0}}));
    CHECK(exactly_equal(w.grad, matrix{{3.0, 6.0}}));
}

TEST_CASE("a seed of the wrong shape throws shape_error naming both shapes", "[tape][errors]") {
    tape t;
    const var y = t.constant(make_matrix(2, 3, 1.0));
    REQUIRE_THROWS_MATCHES(t.backward(y, make_matrix(3, 2, 1.0)), shape_error,
                           message_contains({"(3, 2)", "(2, 3)"}));
    REQUIRE_THROWS_MATCHES(t.backward(y, scalar_matrix(1.0)), shape_error, message_contains({"(1, 1)", "(2, 3)"}));
}

TEST_CASE("an invalid reduction axis throws value_error", "[tape][errors]") {
    tape t;
    const var a = t.constant(make_matrix(2, 3, 1.0));
    REQUIRE_THROWS_MATCHES(sum(a, 2), value_error, message_contains({"sum", "axis", "2"}));
    REQUIRE_THROWS_MATCHES(sum(a, -1), value_error, message_contains({"sum", "axis", "-1"}));
    REQUIRE_THROWS_MATCHES(mean(a, 2), value_error, message_contains({"mean", "axis", "2"}));
    REQUIRE_THROWS_MATCHES(tapegrad::sum(make_matrix(2, 3), 2), value_error, message_contains({"axis"}));
}

TEST_CASE("var::item on a non-1x1 value throws shape_error", "[tape][errors]") {
    tape t;
    const var a = t.constant(make_matrix(2, 3, 1.0));
    REQUIRE_THROWS_MATCHES(a.item(), shape_error, message_contains({"item", "(2, 3)"}));
    CHECK(t.constant(4.25).item() == 4.25);
}

TEST_CASE("a gradient a backward rule reused in place is not returned as if it were kept", "[tape]") {
    // linear_relu turns dA into dZ in its own buffer; asking for dA afterwards says so.
    parameter W("W", matrix{{0.5, -1.0}, {1.5, 0.25}});
    parameter b("b", matrix{{0.1}, {-0.2}});
    tape t;
    var A = linear_relu(t.watch(W), t.constant(matrix{{1.0, -2.0}, {0.5, 3.0}}), t.watch(b));
    t.backward(sum(A));
    CHECK_THROWS_MATCHES(A.grad(), tape_error,
                         message_contains({"'linear_relu'", "passed its gradient on in place", "relu(linear(W, X, b))"}));
    // The separate ops keep it.
    tape u;
    var B = relu(linear(u.watch(W), u.constant(matrix{{1.0, -2.0}, {0.5, 3.0}}), u.watch(b)));
    u.backward(sum(B));
    CHECK((B.grad() == make_matrix(2, 2, 1.0)));
}
