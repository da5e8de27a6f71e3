// The mlp's hidden activations and output kinds: every combination's cost has
// a gradient the full check confirms, prediction and accuracy follow the output
// kind, a regression network learns, and mismatched labels or settings are refused.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;

namespace {

// Labels for each output kind: 0/1, class indices 0 .. K-1, or real targets.
matrix labels_for(output_kind out, std::size_t rows, std::size_t m, random_state& rng) {
    if (out == output_kind::identity) return rng.randn(rows, m);
    matrix Y = make_matrix(1, m);
    const std::size_t classes = out == output_kind::softmax ? rows : 2;
    for (std::size_t j = 0; j < m; ++j) Y(0, j) = static_cast<double>(j % classes);
    return Y;
}

}  // namespace

TEST_CASE("mlp: every hidden activation with every output kind has a checked gradient", "[mlp][multiclass]") {
    random_state rng(5);
    const matrix X = rng.randn(3, 7);
    for (const activation a : {activation::relu, activation::tanh, activation::leaky_relu, activation::elu}) {
        for (const output_kind out : {output_kind::sigmoid, output_kind::softmax, output_kind::identity}) {
            CAPTURE(to_string(a), to_string(out));
            mlp_options o;
            o.hidden = a;
            o.output = out;
            o.negative_slope = 0.1;
            o.alpha = 0.7;
            const std::size_t n_out = out == output_kind::sigmoid ? 1 : 3;
            mlp net({3, 5, 4, n_out}, o, initialization::he, 2);
            const matrix Y = labels_for(out, n_out, 7, rng);
            auto cost = [&](tape& t) { return net.cost(t, t.reference(X), t.reference(Y), {loss_kind::bce_with_logits, 0.3}); };
            const gradient_report r = check_gradients(cost, net.parameters());
            CHECK(r.passed);
            CHECK(r.gradient_norm > 0.0);
            CHECK(r.difference < 1e-7);
        }
    }
}

TEST_CASE("mlp: the default network is unchanged, and names round-trip", "[mlp][multiclass]") {
    const mlp net({2, 3, 1});
    CHECK(net.options().hidden == activation::relu);
    CHECK(net.options().output == output_kind::sigmoid);
    for (const activation a : {activation::relu, activation::tanh, activation::leaky_relu, activation::elu}) {
        CHECK(activation_from_string(to_string(a)) == a);
    }
    for (const output_kind o : {output_kind::sigmoid, output_kind::softmax, output_kind::identity}) {
        CHECK(output_kind_from_string(to_string(o)) == o);
    }
    CHECK_THROWS_MATCHES(activation_from_string("swish"), value_error,
                         message_contains({"unknown activation 'swish'", "relu, tanh, leaky_relu, elu"}));
    CHECK_THROWS_MATCHES(output_kind_from_string("linear"), value_error,
                         message_contains({"unknown output kind 'linear'", "sigmoid, softmax, identity"}));
}

TEST_CASE("mlp: a softmax output predicts the arg-max class and scores class labels", "[mlp][multiclass]") {
    mlp_options o;
    o.output = output_kind::softmax;
    mlp net({2, 3}, o);  // one layer: Z = W X + b, set by hand
    net.weight(1).set_value(matrix{{1.0, 0.0}, {0.0, 1.0}, {-1.0, -1.0}});
    net.bias(1).set_value(matrix{{0.0}, {0.0}, {0.0}});
    const matrix X{{3.0, 0.0, -2.0, 1.0}, {0.0, 2.0, -1.0, 1.0}};  // classes 0, 1, 2, and a 0/1 tie
    const matrix p = net.predict(X);
    REQUIRE(shape_of(p) == shape2{1, 4});
    CHECK(p(0, 0) == 0.0);
    CHECK(p(0, 1) == 1.0);
    CHECK(p(0, 2) == 2.0);
    CHECK(p(0, 3) == 0.0);  // a tie goes to the first class
    const matrix A = net.predict_proba(X);
    REQUIRE(shape_of(A) == shape2{3, 4});
    for (std::size_t j = 0; j < 4; ++j) CHECK(A(0, j) + A(1, j) + A(2, j) == Approx(1.0).epsilon(1e-15));
    CHECK(net.accuracy(X, matrix{{0.0, 1.0, 2.0, 1.0}}) == 0.75);
    // One-hot labels give the same accuracy as their indices.
    CHECK(net.accuracy(X, matrix{{1.0, 0.0, 0.0, 0.0}, {0.0, 1.0, 0.0, 1.0}, {0.0, 0.0, 1.0, 0.0}}) == 0.75);
    CHECK_THROWS_MATCHES(net.accuracy(X, matrix{{0.0, 1.0, 3.0, 1.0}}), value_error,
                         message_contains({"mlp::accuracy", "example 3 is 3", "0 to 2"}));
    CHECK_THROWS_MATCHES(net.accuracy(X, matrix{{0.0, 1.0, 0.5, 1.0}}), value_error, message_contains({"0.5"}));
    CHECK_THROWS_MATCHES(net.accuracy(X, make_matrix(2, 4)), shape_error,
                         message_contains({"(2, 4)", "(1, 4) class indices or (3, 4)"}));
}

TEST_CASE("mlp: an identity output learns a regression with the squared error", "[mlp][multiclass]") {
    mlp_options o;
    o.hidden = activation::tanh;
    o.output = output_kind::identity;
    mlp net({1, 16, 1}, o, initialization::xavier, 4);
    const std::size_t m = 64;
    matrix X = make_matrix(1, m), Y = make_matrix(1, m);
    for (std::size_t j = 0; j < m; ++j) {
        X(0, j) = -3.0 + 6.0 * static_cast<double>(j) / static_cast<double>(m - 1);
        Y(0, j) = std::sin(X(0, j));
    }
    auto mse = [&] {
        tape t;
        return net.cost(t, t.reference(X), t.reference(Y)).item();
    };
    const double before = mse();
    adam opt(net.parameters(), adam_options{});
    train_options t;
    t.epochs = 1500;
    auto cost = [&](tape& tp, const batch& b) { return net.cost(tp, tp.reference(b.X), tp.reference(b.Y)); };
    train(cost, opt, X, Y, t);
    const double after = mse();
    CAPTURE(before, after);
    CHECK(after < 0.01 * before);
    CHECK(after < 1e-3);
    // predict is the output itself, and there is no accuracy to ask for.
    CHECK(test_support::exactly_equal(net.predict(X), net.predict_proba(X)));
    CHECK(std::abs(net.predict(matrix{{1.0}})(0, 0) - std::sin(1.0)) < 0.1);
    CHECK_THROWS_MATCHES(net.accuracy(X, Y), value_error, message_contains({"identity", "no accuracy"}));
}

TEST_CASE("mlp: settings and labels that do not fit the output are refused", "[mlp][multiclass]") {
    mlp_options o;
    o.output = output_kind::softmax;
    CHECK_THROWS_MATCHES(mlp({2, 4, 1}, o), value_error, message_contains({"softmax output needs at least 2 classes", "has 1"}));
    mlp_options slope;
    slope.negative_slope = std::nan("");
    CHECK_THROWS_MATCHES(mlp({2, 1}, slope), value_error, message_contains({"negative_slope", "finite"}));
    mlp_options alpha;
    alpha.alpha = 0.0;
    CHECK_THROWS_MATCHES(mlp({2, 1}, alpha), value_error, message_contains({"alpha", "> 0", "got 0"}));

    mlp net({2, 4, 3}, o);
    random_state rng(1);
    const matrix X = rng.randn(2, 5);
    tape t;
    CHECK_THROWS_MATCHES(net.cost(t, t.reference(X), t.constant(matrix{{0.0, 1.0, 2.0, 1.0, 0.0}}),
                                  {loss_kind::sigmoid_bce, 0.0}),
                         value_error, message_contains({"sigmoid_bce", "softmax", "softmax_cross_entropy"}));
    CHECK_THROWS_MATCHES(net.cost(t, t.reference(X), t.constant(make_matrix(2, 5))), shape_error,
                         message_contains({"mlp::cost", "(2, 5)", "(1, 5) class indices or (3, 5)"}));
    // A class index the network does not have: the loss names it.
    CHECK_THROWS_AS(net.cost(t, t.reference(X), t.constant(matrix{{0.0, 1.0, 3.0, 1.0, 0.0}})), value_error);
    // (K, m) probabilities are labels too.
    matrix P = make_matrix(3, 5);
    for (std::size_t j = 0; j < 5; ++j) P(j % 3, j) = 1.0;
    CHECK(std::isfinite(net.cost(t, t.reference(X), t.reference(P)).item()));
}
