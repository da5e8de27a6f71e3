// Tapes are independent: threads that each own a tape and parameters train at
// the same time and get exactly the results of sequential runs. (One tape used
// from two threads at once is not allowed: see docs/troubleshooting.md.) Built with
// ThreadSanitizer by scripts/test.sh.
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;

namespace {

struct job {
    std::int64_t seed;
    matrix X, Y;
    job(std::int64_t s) : seed(s) {
        random_state rng(s);
        X = rng.randn(2, 60);
        Y = rng.rand(1, 60);
        for (double& y : Y) y = y < 0.5 ? 0.0 : 1.0;
    }
    // Trains a fresh network (L2 and dropout included, so every kind of op and
    // the per-thread scratch of mlp::cost are exercised) and returns its parameters.
    named_matrices run() const {
        mlp net({2, 8, 4, 1}, initialization::he, seed);
        training_options o;
        o.learning_rate = 0.05;
        o.iterations = 150;
        o.cost.lambda = 0.1;
        o.keep_prob = 0.9;
        o.dropout_seed = seed;
        train(net, X, Y, o);
        return net.parameter_values();
    }
};

}  // namespace

TEST_CASE("threads with their own tapes train concurrently and match sequential runs bit for bit", "[concurrency]") {
    std::vector<job> jobs;
    for (std::int64_t s = 1; s <= 4; ++s) jobs.emplace_back(s);
    std::vector<named_matrices> sequential;
    for (const job& j : jobs) sequential.push_back(j.run());

    std::vector<named_matrices> concurrent(jobs.size());
    std::vector<std::thread> threads;
    for (std::size_t k = 0; k < jobs.size(); ++k) threads.emplace_back([&, k] { concurrent[k] = jobs[k].run(); });
    for (std::thread& t : threads) t.join();

    for (std::size_t k = 0; k < jobs.size(); ++k) {
        REQUIRE(concurrent[k].size() == sequential[k].size());
        for (std::size_t p = 0; p < sequential[k].size(); ++p) {
            CAPTURE(k, sequential[k][p].first);
            CHECK(test_support::bitwise_equal(concurrent[k][p].second, sequential[k][p].second));
        }
    }
    // Different seeds really trained different networks (the comparison above is not vacuous).
    CHECK_FALSE(test_support::bitwise_equal(sequential[0][0].second, sequential[1][0].second));
}

TEST_CASE("the gradient checker's worker threads agree with a single worker", "[concurrency][gradient_check]") {
    mlp net({3, 5, 1}, initialization::xavier, 9);
    random_state rng(2);
    const matrix X = rng.randn(3, 10);
    matrix Y = rng.rand(1, 10);
    for (double& y : Y) y = y < 0.5 ? 0.0 : 1.0;
    auto cost = [&](tape& t) { return net.cost(t, t.reference(X), t.reference(Y), {loss_kind::bce_with_logits, 0.3}); };
    const gradient_report one = check_gradients(cost, net.parameters(), {default_epsilon, default_threshold, 1});
    const gradient_report four = check_gradients(cost, net.parameters(), {default_epsilon, default_threshold, 4});
    CHECK(one.passed);
    CHECK(one.difference == four.difference);
}
