// Full-batch gradient descent: the update rule, what is recorded when, that it
// learns an easy problem, and its errors.
#include <catch2/catch.hpp>

#include <cmath>

#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;

namespace {

// Two Gaussian blobs, linearly separable with a margin: an easy problem.
void blobs(std::size_t m, matrix& X, matrix& Y) {
    random_state rng(8);
    X = rng.normal(0.0, 0.5, 2, m);
    Y = make_matrix(1, m);
    for (std::size_t j = 0; j < m; ++j) {
        const double label = j % 2 == 0 ? 1.0 : 0.0;
        Y(0, j) = label;
        X(0, j) += label == 1.0 ? 2.0 : -2.0;
        X(1, j) += label == 1.0 ? 1.0 : -1.0;
    }
}

double cost_now(mlp& net, const matrix& X, const matrix& Y, const cost_options& c = {}) {
    tape t;
    return net.cost(t, t.reference(X), t.reference(Y), c).item();
}

}  // namespace

TEST_CASE("training lowers the cost monotonically on an easy problem and learns it", "[training]") {
    matrix X, Y;
    blobs(200, X, Y);
    mlp net({2, 6, 1}, initialization::he, 3);
    const double before = net.accuracy(X, Y);
    training_options o;
    o.learning_rate = 0.1;
    o.iterations = 300;
    o.record_every = 1;
    const training_result r = train(net, X, Y, o);
    REQUIRE(r.costs.size() == 300);
    for (std::size_t i = 1; i < r.costs.size(); ++i) {
        CAPTURE(i);
        CHECK(r.costs[i].second < r.costs[i - 1].second);
    }
    CHECK(r.costs.back().second < 0.5 * r.costs.front().second);
    CAPTURE(before);
    CHECK(net.accuracy(X, Y) >= 0.95);  // chance is 0.5
}

TEST_CASE("the cost of iteration i is computed before its update, and W -= lr * dW", "[training]") {
    matrix X, Y;
    blobs(20, X, Y);
    mlp net({2, 3, 1}, initialization::he, 5);
    mlp copy = net;
    const double c0 = cost_now(net, X, Y);
    // The expected first update, by hand.
    tape t;
    t.backward(copy.cost(t, t.reference(X), t.reference(Y)));
    std::vector<matrix> expected;
    for (parameter* p : copy.parameters()) {
        matrix w = p->value();
        for (std::size_t k = 0; k < w.size(); ++k) w.data()[k] = w.data()[k] - 0.05 * p->grad.data()[k];
        expected.push_back(w);
    }
    training_options o;
    o.learning_rate = 0.05;
    o.iterations = 2;
    o.record_every = 1;
    std::vector<std::pair<std::int64_t, double>> seen;
    o.on_record = [&](std::int64_t i, double c) { seen.emplace_back(i, c); };
    mlp once = net;
    train(once, X, Y, [&] { training_options one = o; one.iterations = 1; one.on_record = nullptr; return one; }());
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(test_support::bitwise_equal(once.parameters()[i]->value(), expected[i]));
    const training_result r = train(net, X, Y, o);
    REQUIRE(r.costs.size() == 2);
    CHECK(r.costs[0] == std::make_pair(std::int64_t{0}, c0));
    CHECK(r.costs[1].second == cost_now(once, X, Y));  // iteration 1's cost: after one update
    CHECK(seen == r.costs);
}

TEST_CASE("costs are recorded every k iterations from iteration 0", "[training]") {
    matrix X, Y;
    blobs(10, X, Y);
    mlp net({2, 2, 1});
    training_options o;
    o.iterations = 25;
    o.record_every = 10;
    const training_result r = train(net, X, Y, o);
    REQUIRE(r.costs.size() == 3);
    CHECK(r.costs[0].first == 0);
    CHECK(r.costs[1].first == 10);
    CHECK(r.costs[2].first == 20);
    o.iterations = 0;
    mlp untouched = net;
    CHECK(train(net, X, Y, o).costs.empty());
    CHECK(test_support::bitwise_equal(net.weight(1).value(), untouched.weight(1).value()));
}

TEST_CASE("dropout masks are fresh each iteration or, as the course, the same after reseeding", "[training][dropout]") {
    matrix X, Y;
    blobs(30, X, Y);
    training_options o;
    o.iterations = 20;
    o.keep_prob = 0.6;
    o.learning_rate = 0.1;
    auto run = [&](mask_policy policy) {
        mlp net({2, 8, 4, 1}, initialization::he, 3);
        training_options p = o;
        p.masks = policy;
        train(net, X, Y, p);
        return net.weight(1).value();
    };
    const matrix reseeded = run(mask_policy::reseed_each_iteration);
    CHECK(test_support::bitwise_equal(reseeded, run(mask_policy::reseed_each_iteration)));  // deterministic
    CHECK_FALSE(test_support::bitwise_equal(reseeded, run(mask_policy::fresh)));

    // Reseeding each iteration equals a hand-written loop with one fixed pair of masks.
    mlp net({2, 8, 4, 1}, initialization::he, 3);
    random_state masks(1);
    const matrix D1 = dropout_mask({8, 30}, 0.6, masks);
    const matrix D2 = dropout_mask({4, 30}, 0.6, masks);
    for (int i = 0; i < 20; ++i) {
        tape t;
        var A = relu(matmul(t.watch(net.weight(1)), t.reference(X)) + t.watch(net.bias(1)));
        A = dropout(A, 0.6, D1);
        A = relu(matmul(t.watch(net.weight(2)), A) + t.watch(net.bias(2)));
        A = dropout(A, 0.6, D2);
        var J = binary_cross_entropy_with_logits(matmul(t.watch(net.weight(3)), A) + t.watch(net.bias(3)), t.reference(Y));
        t.backward(J);
        for (parameter* p : net.parameters()) {
            for (std::size_t k = 0; k < p->value().size(); ++k) p->mutable_value().data()[k] -= 0.1 * p->grad.data()[k];
        }
    }
    CHECK(test_support::bitwise_equal(reseeded, net.weight(1).value()));
}

TEST_CASE("training rejects bad settings before doing any work", "[training]") {
    matrix X, Y;
    blobs(10, X, Y);
    mlp net({2, 2, 1});
    const matrix W = net.weight(1).value();
    auto bad = [&](auto change, std::initializer_list<std::string> message) {
        training_options o;
        change(o);
        CHECK_THROWS_MATCHES(train(net, X, Y, o), value_error, test_support::message_contains(message));
    };
    bad([](training_options& o) { o.learning_rate = 0.0; }, {"learning rate must be a finite number > 0, got 0"});
    bad([](training_options& o) { o.learning_rate = -0.1; }, {"learning rate", "-0.1"});
    bad([](training_options& o) { o.learning_rate = std::nan(""); }, {"learning rate"});
    bad([](training_options& o) { o.iterations = -1; }, {"iterations must be >= 0, got -1"});
    bad([](training_options& o) { o.record_every = 0; }, {"record_every must be >= 1"});
    bad([](training_options& o) { o.cost.lambda = -0.7; }, {"lambda must be a finite number >= 0"});
    bad([](training_options& o) { o.keep_prob = 1.2; }, {"keep_prob must be in (0, 1]"});
    CHECK_THROWS_MATCHES(train(net, X, make_matrix(1, 9), {}), shape_error,
                         test_support::message_contains({"train", "Y has shape (1, 9)", "X has 10 examples"}));
    CHECK_THROWS_MATCHES(train(net, make_matrix(3, 10), Y, {}), shape_error,
                         test_support::message_contains({"train", "X has shape (3, 10)"}));
    CHECK(test_support::bitwise_equal(net.weight(1).value(), W));  // nothing was trained
}
