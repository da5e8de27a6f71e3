// Tapes are independent: threads that each own a tape and parameters train at
// the same time and get exactly the results of sequential runs. (One tape used
// from two threads at once is not allowed: see docs/troubleshooting.md.) Built with
// ThreadSanitizer by scripts/test.sh.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

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

// Everything a report says, the numbers as exact bits.
std::string fingerprint(const gradient_report& r) {
    std::ostringstream o;
    auto hex = [&](double x) {
        char b[40];
        std::snprintf(b, sizeof b, " %a", x);
        o << b;
    };
    o << r.to_string() << r.method << r.passed << r.evaluations << r.worst.parameter << r.worst.row << r.worst.col;
    for (double x : {r.difference, r.noise_floor, r.gradient_norm, r.worst.analytic, r.worst.numeric}) hex(x);
    for (const parameter_difference& d : r.parameters) {
        o << d.name << d.at_fault;
        hex(d.difference);
        hex(d.error);
    }
    o << r.audited << r.audit.to_string();
    return o.str();
}

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

// The workers take the scalars from a shared counter in runs of varying length,
// so which worker evaluates which scalar changes from run to run: the report
// must not.
TEST_CASE("the checker's report is the same bits with 1, 2, 3 and 8 workers, passing or failing",
          "[concurrency][gradient_check]") {
    mlp net({3, 6, 4, 1}, initialization::he, 4);
    random_state rng(5);
    const matrix X = rng.randn(3, 25);
    matrix Y = rng.rand(1, 25);
    for (double& y : Y) y = y < 0.5 ? 0.0 : 1.0;
    auto cost = [&](tape& t) { return net.cost(t, t.reference(X), t.reference(Y), {loss_kind::sigmoid_bce, 0.7}); };
    test_support::square_problem planted;
    struct checked {
        const char* what;
        scalar_function f;
        std::vector<parameter*> params;
        double epsilon;
        bool passes;
    };
    const checked cases[] = {
        {"the mlp", cost, net.parameters(), default_epsilon, true},
        {"the mlp at a step too large (fails, audited)", cost, net.parameters(), 1e-2, false},
        {"a planted wrong derivative", planted.function(true), planted.params(), default_epsilon, false},
    };
    for (const checked& c : cases) {
        INFO(c.what);
        const gradient_report one = check_gradients(c.f, c.params, {c.epsilon, default_threshold, 1});
        CHECK(one.passed == c.passes);
        CHECK(one.audited == !c.passes);
        for (unsigned threads : {2u, 3u, 8u, 0u}) {
            INFO(threads << " workers");
            for (int repeat = 0; repeat < 3; ++repeat) {
                CHECK(fingerprint(check_gradients(c.f, c.params, {c.epsilon, default_threshold, threads})) ==
                      fingerprint(one));
            }
        }
    }
}

TEST_CASE("when evaluations throw on several workers, the lowest scalar's error comes back, as on one",
          "[concurrency][gradient_check]") {
    parameter W("W", random_state(8).randn(3, 8));
    const matrix original = W.value();
    // Throws when exactly one scalar is moved and it is scalar 5 or 17 (the
    // analytic pass moves none, the checkability evaluations all of them). One
    // worker stops at 5; several must give 5 too, not the first error thrown.
    auto f = [&](tape& t) {
        const var w = t.watch(W);
        std::size_t moved = 0, at = 0;
        for (std::size_t k = 0; k < original.size(); ++k) {
            if (w.value().data()[k] != original.data()[k]) {
                ++moved;
                at = k;
            }
        }
        if (moved == 1 && at == 5) {
            // Late, so that another worker meets scalar 17 first.
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
            throw std::runtime_error("scalar 5");
        }
        if (moved == 1 && at == 17) throw std::runtime_error("scalar 17");
        return sum(tanh(w));
    };
    for (unsigned threads : {1u, 2u, 3u, 8u}) {
        INFO(threads << " workers");
        for (int repeat = 0; repeat < 5; ++repeat) {
            CHECK_THROWS_WITH(check_gradients(f, {&W}, {default_epsilon, default_threshold, threads}), "scalar 5");
        }
    }
    CHECK(test_support::bitwise_equal(W.value(), original));
}

TEST_CASE("workers started before the analytic pass leave cleanly when it throws", "[concurrency][gradient_check]") {
    parameter W("W", random_state(9).randn(4, 4));
    auto f = [&](tape& t) -> var {
        t.watch(W);
        throw std::runtime_error("no value");
    };
    for (unsigned threads : {1u, 2u, 8u}) {
        CHECK_THROWS_WITH(check_gradients(f, {&W}, {default_epsilon, default_threshold, threads}), "no value");
    }
}

namespace {

// A small network's cost with parameters of its own (a check moves them for
// real once, so concurrent checks must not share them).
struct own_network {
    mlp net;
    matrix X, Y;
    explicit own_network(std::int64_t seed) : net({3, 5, 2, 1}, initialization::he, seed) {
        random_state rng(seed);
        X = rng.randn(3, 20);
        Y = rng.rand(1, 20);
        for (double& y : Y) y = y < 0.5 ? 0.0 : 1.0;
    }
    std::string check(unsigned threads) {
        auto f = [this](tape& t) {
            return net.cost(t, t.reference(X), t.reference(Y), {loss_kind::sigmoid_bce, 0.2});
        };
        return fingerprint(check_gradients(f, net.parameters(), {default_epsilon, default_threshold, threads}));
    }
};

}  // namespace

// The checker keeps its helper threads between checks (one per core but the
// caller's): checks one after another reuse them, and checks at the same time
// that want more than are kept start threads of their own. Every report is one
// worker's, bit for bit.
TEST_CASE("checks one after another and at the same time share the kept helper threads and give one worker's "
          "report",
          "[concurrency][gradient_check]") {
    std::vector<own_network> nets;
    for (std::int64_t seed : {11, 12, 13}) nets.emplace_back(seed);
    std::vector<std::string> expected;
    for (own_network& n : nets) expected.push_back(n.check(1));
    for (int repeat = 0; repeat < 3; ++repeat) CHECK(nets[0].check(2) == expected[0]);

    std::vector<std::vector<std::string>> got(nets.size());
    std::vector<std::thread> callers;
    for (std::size_t k = 0; k < nets.size(); ++k) {
        callers.emplace_back([&, k] {
            for (unsigned threads : {2u, 3u, 2u, 0u}) got[k].push_back(nets[k].check(threads));
        });
    }
    for (std::thread& t : callers) t.join();
    for (std::size_t k = 0; k < nets.size(); ++k) {
        INFO("network " << k);
        for (const std::string& g : got[k]) CHECK(g == expected[k]);
    }
}

// ThreadSanitizer does not support threads started after a multi-threaded fork.
#if !defined(__SANITIZE_THREAD__)
#if defined(__SANITIZE_ADDRESS__)
namespace {
bool in_forked_child = false;
}  // namespace
// LeakSanitizer's hook, asked at exit. In the forked child the parent's helper
// threads do not exist, but the buffers they own (thread_local ones, such as
// mlp::cost's) were copied with the memory and look leaked; the child's own
// allocations are checked in the parent's run of the same code.
extern "C" int __lsan_is_turned_off() { return in_forked_child ? 1 : 0; }
#endif
TEST_CASE("a forked child checks on helper threads of its own and leaves at exit", "[concurrency][gradient_check]") {
    own_network n(21);
    const std::string expected = n.check(1);
    REQUIRE(n.check(2) == expected);  // the parent now keeps a helper
    std::fflush(nullptr);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
#if defined(__SANITIZE_ADDRESS__)
        in_forked_child = true;
#endif
        // The parent's helpers do not exist here: a check waiting for them, or
        // the exit joining them, would hang. The alarm ends such a child.
        alarm(60);
        bool same = true;
        for (int repeat = 0; repeat < 3; ++repeat) same = same && n.check(2) == expected;
        std::exit(same ? 0 : 1);  // exit, not _exit: the child's own helpers are stopped and joined
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(n.check(2) == expected);  // the parent's helper still serves
}
#endif
