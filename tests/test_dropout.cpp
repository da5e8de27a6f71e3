// Inverted dropout: numpy's mask order, keep rate, expectation, evaluation
// mode, the backward mask, and gradient checking with the mask held fixed.
#include <catch2/catch.hpp>

#include <cmath>

#include <tapegrad/tapegrad.hpp>

using namespace tapegrad;
using Catch::Matchers::Contains;

TEST_CASE("dropout draws its mask as rand(shape) < keep_prob in numpy's order", "[dropout]") {
    const matrix A = make_matrix(20, 211, 2.0);
    random_state rng(1), reference(1);
    tape t;
    var out = dropout(t.constant(A), 0.86, rng);
    const matrix u = reference.rand(20, 211);
    for (std::size_t k = 0; k < A.size(); ++k) {
        const double kept = u.data()[k] < 0.86 ? 1.0 : 0.0;
        REQUIRE(out.value().data()[k] == (2.0 * kept) / 0.86);
    }
    // A second layer's mask continues from the same generator (the course's D2
    // comes from the uniforms after D1's).
    var out2 = dropout(t.constant(make_matrix(3, 211, 1.0)), 0.86, rng);
    const matrix u2 = reference.rand(3, 211);
    for (std::size_t k = 0; k < u2.size(); ++k) {
        REQUIRE(out2.value().data()[k] == (u2.data()[k] < 0.86 ? 1.0 / 0.86 : 0.0));
    }
    CHECK((dropout_mask({3, 5}, 0.86, reference) == dropout_mask({3, 5}, 0.86, rng)));
}

TEST_CASE("dropout keeps about keep_prob of the units and the mean in expectation", "[dropout]") {
    random_state rng(42);
    const matrix A = make_matrix(400, 500, 1.0);
    const matrix out = dropout(A, 0.7, rng);
    std::size_t kept = 0;
    for (double v : out) kept += v != 0.0;
    const double rate = static_cast<double>(kept) / static_cast<double>(A.size());
    CHECK(rate == Approx(0.7).margin(0.005));       // 200000 draws: sd about 0.001
    CHECK(mean(out)(0, 0) == Approx(1.0).margin(0.01));  // inverted dropout keeps the mean
}

TEST_CASE("dropout does nothing in evaluation mode or with keep_prob 1, and draws nothing", "[dropout]") {
    random_state rng(3), fresh(3);
    tape t;
    var a = t.constant(matrix{{1.0, -2.0}, {3.0, 4.0}});
    var e = dropout(a, 0.5, rng, dropout_mode::evaluation);
    CHECK(e.index() == a.index());
    var one = dropout(a, 1.0, rng);
    CHECK(one.index() == a.index());
    CHECK((dropout(a.value(), 0.5, rng, dropout_mode::evaluation) == a.value()));
    CHECK(rng.uniform() == fresh.uniform());  // nothing was drawn
}

TEST_CASE("dropout's backward uses the forward mask", "[dropout]") {
    random_state rng(9);
    parameter p("A", make_matrix(6, 50, 1.5));
    tape t;
    var out = dropout(t.watch(p), 0.6, rng);
    t.backward(sum(out));
    std::size_t dropped = 0;
    for (std::size_t k = 0; k < p.value().size(); ++k) {
        const bool kept = out.value().data()[k] != 0.0;
        dropped += !kept;
        REQUIRE(p.grad.data()[k] == (kept ? 1.0 / 0.6 : 0.0));
    }
    CHECK(dropped > 0);
}

TEST_CASE("dropout with a fixed mask reuses it as given", "[dropout]") {
    const matrix mask = {{1, 0, 1}};
    tape t;
    parameter p("A", {{2.0, 3.0, 4.0}});
    var out = dropout(t.watch(p), 0.5, mask);
    CHECK((out.value() == matrix{{4.0, 0.0, 8.0}}));
    t.backward(sum(out));
    CHECK((p.grad == matrix{{2.0, 0.0, 2.0}}));
    CHECK((dropout(p.value(), 0.5, mask) == out.value()));
}

TEST_CASE("dropout rejects bad keep_prob and masks", "[dropout]") {
    random_state rng(1);
    tape t;
    var a = t.constant(make_matrix(2, 2, 1.0));
    for (double bad : {0.0, -0.1, 1.5, std::nan("")}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH(dropout(a, bad, rng), Contains("dropout: keep_prob must be in (0, 1]"));
    }
    CHECK_THROWS_MATCHES(dropout(a, 0.5, make_matrix(2, 3, 1.0)), shape_error,
                         Catch::Matchers::Message("dropout: the mask has shape (2, 3) but A has shape (2, 2); they must match"));
    CHECK_THROWS_WITH(dropout(a, 0.5, make_matrix(2, 2, 0.5)), Contains("mask values must be 0 or 1"));
    CHECK_THROWS_WITH(dropout_mask({2, 2}, 0.0, rng), Contains("keep_prob must be in (0, 1]"));
}

TEST_CASE("gradient checking works through dropout with the mask held fixed", "[dropout][gradient_check]") {
    // A small ReLU net with dropout on its hidden layer. Reseeding the generator
    // at the start of every evaluation (as the course does every iteration)
    // draws the same mask for every perturbed forward pass.
    std::mt19937_64 init(11);
    parameter W1("W1", random_input(input_domain::any, {5, 3}, init));
    parameter b1("b1", random_input(input_domain::any, {5, 1}, init));
    parameter W2("W2", random_input(input_domain::any, {1, 5}, init));
    const matrix X = random_input(input_domain::any, {3, 8}, init);
    const matrix Y = random_input(input_domain::zero_one, {1, 8}, init);
    auto cost = [&](tape& t) {
        random_state rng(1);
        var A1 = dropout(tanh(matmul(t.watch(W1), t.reference(X)) + t.watch(b1)), 0.8, rng);
        return binary_cross_entropy_with_logits(matmul(t.watch(W2), A1), t.reference(Y));
    };
    const gradient_report r = check_gradients(cost, {&W1, &b1, &W2});
    INFO(r.to_string());
    CHECK(r.passed);
    CHECK(r.difference < 1e-8);

    // With a fresh mask per evaluation the check would be meaningless: the
    // checker notices that the function is not deterministic and says so.
    random_state shared(1);
    auto noisy = [&](tape& t) {
        var A1 = dropout(tanh(matmul(t.watch(W1), t.reference(X)) + t.watch(b1)), 0.5, shared);
        return binary_cross_entropy_with_logits(matmul(t.watch(W2), A1), t.reference(Y));
    };
    // (One worker: the shared generator must not be used from two threads.)
    CHECK_THROWS_MATCHES(check_gradients(noisy, {&W1, &b1, &W2}, {default_epsilon, default_threshold, 1}), value_error,
                         Catch::Matchers::Message(
                             "check_gradients: the function gives different values for the same parameters (a fresh "
                             "random draw on every call, such as a new dropout mask?); hold its randomness fixed, "
                             "e.g. reseed its generator inside the function, so central differences mean something"));
}
