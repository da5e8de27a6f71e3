// Misuse and broken models end in a clear error, never a crash or a silently
// wrong result: parameters changed between forward and backward, vars that
// outlive their tape, a tape shared by two threads, NaN that an op would hide,
// training that diverges, layer sizes that cannot exist, and the checker's
// own corner cases (a function that ignores its tape, a parameter listed twice,
// a correct gradient over a million scalars).
#include <atomic>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/course/course.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;

namespace {

const double not_a_number = std::numeric_limits<double>::quiet_NaN();

// The identity with a backward that doubles the gradient.
void identity_forward(forward_context& f) { f.output() = f.input(0); }
void doubling_backward(backward_context& c) {
    const double* g = c.grad().data();
    c.contribute(0, [g](std::size_t k) { return 2.0 * g[k]; });
}
const op_descriptor doubled_gradient_op{"doubled_gradient", 1, {input_domain::any}, identity_forward,
                                        doubling_backward, {}};

}  // namespace

TEST_CASE("a parameter changed between forward and backward is refused at backward", "[reliability][tape]") {
    parameter W("W", make_matrix(2, 3, 0.5));
    const matrix X = make_matrix(3, 4, 1.0);
    SECTION("a new shape (it used to overflow the heap)") {
        tape t;
        const var J = sum(matmul(t.watch(W), t.reference(X)));
        W.set_value(make_matrix(5, 3, 0.5));
        CHECK_THROWS_MATCHES(t.backward(J), tape_error,
                             message_contains({"parameter 'W'", "changed after this forward pass", "(5, 3)"}));
    }
    SECTION("an update in place (it used to give a silently wrong gradient)") {
        tape t;
        const var J = sum(square(t.watch(W)));
        W.mutable_value()(0, 0) = 7.0;
        CHECK_THROWS_MATCHES(t.backward(J), tape_error, message_contains({"parameter 'W'", "changed after"}));
        // The forward pass again, then backward: fine.
        t.clear();
        t.backward(sum(square(t.watch(W))));
        CHECK(W.grad(0, 0) == 14.0);
    }
}

TEST_CASE("a var of a tape that no longer exists is refused by a new tape at the same address", "[reliability][tape]") {
    std::optional<tape> storage;
    storage.emplace();
    const var old = storage->constant(2.0);
    const tape* first = &*storage;
    storage.reset();
    storage.emplace();  // the same storage: the same address
    REQUIRE(&*storage == first);
    const var two = storage->constant(2.0);
    CHECK_THROWS_MATCHES(two + old, tape_error, message_contains({"no longer exists"}));
    CHECK_THROWS_AS(old.value(), tape_error);
}

TEST_CASE("a tape used by two threads at once is refused, not corrupted", "[reliability][tape][threads]") {
    tape t;
    const var x = t.constant(make_matrix(8, 8, 0.5));
    std::atomic<int> recorded{0}, refused{0}, other{0};
    std::atomic<bool> go{false};
    auto record = [&] {
        while (!go) std::this_thread::yield();
        for (int i = 0; i < 2000; ++i) {
            try {
                (void)tanh(x);
                ++recorded;
            } catch (const tape_error& e) {
                ++(std::string(e.what()).find("used by another thread") != std::string::npos ? refused : other);
            } catch (...) {
                ++other;
            }
        }
    };
    std::thread a(record), b(record);
    go = true;
    a.join();
    b.join();
    // Whether the two threads ever overlapped depends on the scheduler; every op
    // either recorded whole or was refused with the message, so the tape is sound.
    INFO("recorded " << recorded.load() << ", refused " << refused.load());
    CHECK(other == 0);
    CHECK(recorded + refused == 4000);
    CHECK(t.size() == 1 + static_cast<std::size_t>(recorded.load()));
    CHECK(tanh(x).value()(7, 7) == std::tanh(0.5));
}

TEST_CASE("NaN propagates through relu and linear_relu, as numpy's maximum", "[reliability][ops]") {
    const matrix a = {{not_a_number, -1.0, 2.0}};
    const matrix r = relu(a);
    CHECK(std::isnan(r(0, 0)));
    CHECK(r(0, 1) == 0.0);
    CHECK(r(0, 2) == 2.0);
    const matrix W = {{1.0}}, b = {{0.0}};
    const matrix z = linear_relu(W, a, b);
    CHECK(std::isnan(z(0, 0)));
    // Every library op but the course's nansum losses passes a NaN on.
    std::mt19937_64 rng(1);
    for (const op_descriptor* op : builtin_ops()) {
        if (op == &binary_cross_entropy_op || op == &sigmoid_binary_cross_entropy_op) continue;  // nansum by design
        const shape_case& shapes = *op->test_shapes.begin();
        std::vector<matrix> in = random_inputs(*op, shapes, rng);
        in[0](0, 0) = not_a_number;
        const scalar_case s = op->test_scalars.empty() ? scalar_case{} : *op->test_scalars.begin();
        const matrix out = op->arity == 1 ? evaluate_op(*op, {in[0]}, s)
                           : op->arity == 2 ? evaluate_op(*op, {in[0], in[1]}, s)
                                            : evaluate_op(*op, {in[0], in[1], in[2]}, s);
        INFO(op->name);
        CHECK_FALSE(all_finite(out));
    }
}

TEST_CASE("training stops when the model breaks, and says what broke", "[reliability][training]") {
    random_state rng(2);
    const matrix X = rng.randn(2, 30);
    matrix Y = rng.rand(1, 30);
    for (double& y : Y) y = y < 0.5 ? 0.0 : 1.0;
    training_options o;
    o.iterations = 200;
    o.cost.loss = loss_kind::sigmoid_bce;  // the course's cost: nansum hides a NaN network
    SECTION("NaN in the data: the course's cost stays finite, the gradient does not") {
        matrix bad = X;
        bad(1, 7) = not_a_number;
        mlp net({2, 5, 1});
        CHECK_THROWS_MATCHES(train(net, bad, Y, o), anomaly_error,
                             message_contains({"the gradient of parameter", "NaN or infinity", "iteration 0"}));
    }
    SECTION("data scaled to 1e300") {
        mlp net({2, 5, 1});
        CHECK_THROWS_MATCHES(train(net, mul_scalar(X, 1e300), Y, o), anomaly_error,
                             message_contains({"train:", "NaN"}));
    }
    SECTION("a learning rate of 1e6: the cost stays infinite") {
        const split_dataset circles = course_circles();
        mlp net({2, 10, 5, 1}, initialization::random, 3, 10.0);
        o.learning_rate = 1e6;
        o.iterations = 3000;
        CHECK_THROWS_MATCHES(train(net, circles.train.X, circles.train.Y, o), anomaly_error,
                             message_contains({"infinite for 1000 iterations in a row", "diverged", "1e+06"}));
    }
    SECTION("the checks can be turned off, and the course's x10 run is not stopped") {
        mlp net({2, 5, 1});
        o.stop_on_non_finite = false;
        matrix bad = X;
        bad(1, 7) = not_a_number;
        CHECK_NOTHROW(train(net, bad, Y, o));
        const split_dataset circles = course_circles();
        mlp x10({2, 10, 5, 1}, initialization::random, 3, 10.0);
        o.stop_on_non_finite = true;
        o.iterations = 1500;  // past the run of 46 infinite costs at its start
        CHECK_NOTHROW(train(x10, circles.train.X, circles.train.Y, o));
    }
}

TEST_CASE("layer sizes whose weights cannot exist are refused with value_error", "[reliability][mlp]") {
    const std::size_t huge = std::size_t{1} << 32;
    CHECK_THROWS_MATCHES(mlp({huge, huge, 1}), value_error, message_contains({"more elements than a matrix can hold"}));
    CHECK_THROWS_MATCHES(mlp({std::size_t{1} << 20, std::size_t{1} << 20, 1}), value_error,
                         message_contains({"GB", "more than this machine's memory"}));
}

TEST_CASE("the checker names a function that ignores its tape and a parameter listed twice", "[reliability][gradient_check]") {
    parameter W("W", make_matrix(2, 2, 0.5));
    tape other;
    auto ignores = [&](tape&) { return sum(square(other.watch(W))); };
    CHECK_THROWS_MATCHES(check_gradients(ignores, {&W}), value_error,
                         message_contains({"returned a var of another tape", "the tape it is given"}));
    auto f = [&](tape& t) { return sum(square(t.watch(W))); };
    CHECK_THROWS_MATCHES(check_gradients(f, {&W, &W}), value_error,
                         message_contains({"parameter 'W' is listed twice"}));
}

TEST_CASE("the fast check passes a correct gradient over a million scalars", "[reliability][gradient_check]") {
    // The directional derivative over 10^6 scalars is small while the rounding of
    // J(theta +- eps u) is not: relative to the threshold alone it used to fail.
    random_state rng(3);
    parameter W("W", rng.randn(1000, 1000));
    const matrix C = rng.randn(1000, 1000);
    auto f = [&](tape& t) { return sum(tanh(t.watch(W)) * t.reference(C)); };
    fast_check_options o;
    o.full_check_limit = 0;  // never the full check: 2 * 10^6 evaluations
    const gradient_report r = check_gradients_fast(f, {&W}, o);
    INFO(r.to_string());
    CHECK(r.passed);
    CHECK(r.method == "fast");
    // A gradient wrong throughout (doubled) still fails at this size.
    auto wrong = [&](tape& t) { return sum(tanh(record_op(doubled_gradient_op, {t.watch(W)})) * t.reference(C)); };
    const gradient_report w = check_gradients_fast(wrong, {&W}, o);
    INFO(w.to_string());
    CHECK_FALSE(w.passed);
}
