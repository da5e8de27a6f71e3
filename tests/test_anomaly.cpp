// Anomaly detection: the first op whose value or gradient is not finite is
// named; and training told to stop when the cost becomes NaN.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <tapegrad/course/course.hpp>
#include <tapegrad/data.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;

TEST_CASE("anomaly detection names the op that made a NaN or infinity in the forward pass", "[anomaly]") {
    tape t;
    t.set_anomaly_detection(true);
    parameter x("x", matrix{{1.0, -2.0, 3.0}});
    var a = t.watch(x);      // node 0
    var b = a * 2.0;         // node 1
    const std::size_t before = t.size();
    CHECK_THROWS_MATCHES(log(b), anomaly_error,
                         message_contains({"op 'log' (node 2)", "shape (1, 3)", "its inputs are finite, so this op made it",
                                           "input shapes: (1, 3)"}));
    CHECK(t.size() == before);  // the bad node is not left on the tape

    // A value that arrives non-finite is traced to where it came from.
    var bad = t.constant(matrix{{1.0, std::numeric_limits<double>::infinity()}});
    const std::size_t bad_index = bad.index();
    CHECK_THROWS_MATCHES(exp(bad), anomaly_error,
                         message_contains({"op 'exp'", "its input 0 (from op 'constant' (node " + std::to_string(bad_index) +
                                                        ")) is not finite"}));
}

TEST_CASE("anomaly detection names the op whose backward made a gradient non-finite", "[anomaly]") {
    tape t;
    t.set_anomaly_detection(true);
    parameter x("x", matrix{{0.0, 4.0}});
    var y = sum(sqrt(t.watch(x)));  // sqrt(0) = 0 is finite; its derivative 1 / (2 sqrt 0) is not
    CHECK_THROWS_MATCHES(t.backward(y), anomaly_error,
                         message_contains({"the backward of op 'sqrt'", "gradient of its input 0", "parameter 'x'",
                                           "shape (1, 2)", "the incoming gradient was finite"}));
}

TEST_CASE("anomaly detection is off by default and changes nothing when all is finite", "[anomaly]") {
    tape plain;
    CHECK_FALSE(plain.anomaly_detection());
    const matrix inf = {{std::numeric_limits<double>::infinity()}};
    CHECK(std::isinf(exp(plain.constant(inf)).item()));  // no exception without the switch

    parameter W("W", matrix{{0.5, -0.3}, {0.2, 0.8}});
    auto cost = [&](tape& t) { return mean(square(tanh(matmul(t.watch(W), t.constant(matrix{{1.0}, {2.0}}))))); };
    tape on, off;
    on.set_anomaly_detection(true);
    on.backward(cost(on));
    const matrix g_on = W.grad;
    off.backward(cost(off));
    CHECK(test_support::bitwise_equal(g_on, W.grad));
}

TEST_CASE("training can stop when the cost becomes NaN, but goes on through the course's inf", "[anomaly][training]") {
    random_state rng(4);
    const matrix X = rng.randn(2, 40);
    matrix Y = rng.rand(1, 40);
    for (double& y : Y) y = y < 0.5 ? 0.0 : 1.0;

    SECTION("a learning rate far too large ends in NaN, and the run stops there with a message") {
        mlp net({2, 8, 1}, initialization::he, 3);
        training_options o;
        o.learning_rate = 1e200;
        o.iterations = 50;
        o.stop_on_non_finite = true;
        CHECK_THROWS_MATCHES(train(net, X, Y, o), anomaly_error,
                             message_contains({"train: the cost became NaN at iteration", "learning rate"}));
        o.stop_on_non_finite = false;  // without the switch the NaN is simply recorded
        mlp other({2, 8, 1}, initialization::he, 3);
        o.record_every = 1;
        const training_result r = train(other, X, Y, o);
        bool any_nan = false;
        for (const auto& [i, c] : r.costs) any_nan = any_nan || std::isnan(c);
        CHECK(any_nan);
    }
    SECTION("the course's x10 initialization costs inf at iteration 0, which is not NaN") {
        const split_dataset circles = course_circles();
        mlp net({2, 10, 5, 1}, initialization::random, 3, 10.0);
        training_options o;
        o.iterations = 3;
        o.record_every = 1;
        o.cost.loss = loss_kind::sigmoid_bce;
        o.stop_on_non_finite = true;
        const training_result r = train(net, circles.train.X, circles.train.Y, o);
        REQUIRE(r.costs.size() == 3);
        CHECK(std::isinf(r.costs[0].second));
    }
}
