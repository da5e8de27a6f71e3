// The framework proves its gradients on the course's 3-layer network three
// ways: autodiff through the tape, the course's hand-written formulas, and
// finite differences. Plain, with L2, and with dropout (same masks).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <tuple>

#include <tapegrad/framework/catch2_gradients.hpp>
#include <tapegrad/course/course.hpp>
#include <tapegrad/tapegrad.hpp>

using namespace tapegrad;

namespace {

// A random problem of the course's shape: X (4, 7), 0/1 labels, a [4, 5, 3, 1] network.
struct problem {
    matrix X, Y;
    mlp net{{4, 5, 3, 1}, initialization::he, 3};
    problem() {
        random_state rng(21);
        X = rng.randn(4, 7);
        Y = rng.rand(1, 7);
        for (double& y : Y) y = y < 0.5 ? 0.0 : 1.0;
        // Non-zero biases so every term of the backward pass is exercised.
        for (std::size_t l = 1; l <= 3; ++l) net.bias(l).set_value(rng.randn(net.bias(l).value().shape()[0], 1));
    }
};

// max |a - e| / max |e|, per parameter, over dW1 .. db3 in order.
double worst_relative_deviation(mlp& net, const named_matrices& expected) {
    double worst = 0.0;
    const std::vector<parameter*> p = net.parameters();
    for (std::size_t i = 0; i < p.size(); ++i) {
        const matrix& e = expected[i].second;
        REQUIRE(expected[i].first == "d" + p[i]->name);
        double scale = 0.0, dev = 0.0;
        for (std::size_t k = 0; k < e.size(); ++k) {
            scale = std::max(scale, std::fabs(e.data()[k]));
            dev = std::max(dev, std::fabs(p[i]->grad.data()[k] - e.data()[k]));
        }
        REQUIRE(scale > 0.0);  // a vanishing gradient would make the comparison vacuous
        worst = std::max(worst, dev / scale);
    }
    return worst;
}

void autodiff(mlp& net, const matrix& X, const matrix& Y, const cost_options& cost, const dropout_options& drop = {}) {
    tape t;
    t.backward(net.cost(t, t.reference(X), t.reference(Y), cost, drop));
}

}  // namespace

TEST_CASE("autodiff equals the course's hand-written backprop (plain)", "[course][gradient]") {
    problem pr;
    autodiff(pr.net, pr.X, pr.Y, {loss_kind::sigmoid_bce});
    const named_matrices p = pr.net.parameter_values();
    const course_cache c = course_forward(pr.X, p);
    CHECK(worst_relative_deviation(pr.net, course_backward(pr.X, pr.Y, c, p)) < 1e-12);

    // The stable loss gives the same gradients too (its sigmoid rounds differently).
    autodiff(pr.net, pr.X, pr.Y, {loss_kind::bce_with_logits});
    CHECK(worst_relative_deviation(pr.net, course_backward(pr.X, pr.Y, c, p)) < 1e-12);
    // And the cost itself is the course's.
    tape t;
    CHECK(pr.net.cost(t, t.reference(pr.X), t.reference(pr.Y), {loss_kind::sigmoid_bce}).item() ==
          Approx(course_cost(c.A3, pr.Y)).epsilon(1e-15));
}

TEST_CASE("autodiff equals the course's hand-written backprop with L2", "[course][gradient]") {
    problem pr;
    const double lambda = 0.7;
    autodiff(pr.net, pr.X, pr.Y, {loss_kind::sigmoid_bce, lambda});
    const named_matrices p = pr.net.parameter_values();
    const course_cache c = course_forward(pr.X, p);
    CHECK(worst_relative_deviation(pr.net, course_backward_with_regularization(pr.X, pr.Y, c, p, lambda)) < 1e-12);
    tape t;
    CHECK(pr.net.cost(t, t.reference(pr.X), t.reference(pr.Y), {loss_kind::sigmoid_bce, lambda}).item() ==
          Approx(course_cost_with_regularization(c.A3, pr.Y, p, lambda)).epsilon(1e-14));
}

TEST_CASE("autodiff equals the course's hand-written backprop with dropout, same masks", "[course][gradient][dropout]") {
    problem pr;
    const double keep_prob = 0.7;
    random_state rng(1);
    autodiff(pr.net, pr.X, pr.Y, {loss_kind::sigmoid_bce}, {keep_prob, &rng});
    // The course draws D1 then D2 from the generator right after seeding it.
    random_state masks(1);
    const matrix D1 = dropout_mask({5, 7}, keep_prob, masks);
    const matrix D2 = dropout_mask({3, 7}, keep_prob, masks);
    const named_matrices p = pr.net.parameter_values();
    const course_cache c = course_forward_with_dropout(pr.X, p, keep_prob, D1, D2);
    CHECK(worst_relative_deviation(pr.net, course_backward_with_dropout(pr.X, pr.Y, c, p, keep_prob)) < 1e-12);
}

TEST_CASE("autodiff and the hand-written formulas both pass the numerical checker", "[course][gradient]") {
    problem pr;
    const double keep_prob = 0.7;
    const named_matrices params = pr.net.parameter_values();
    random_state mask_rng(1);
    const matrix D1 = dropout_mask({5, 7}, keep_prob, mask_rng);
    const matrix D2 = dropout_mask({3, 7}, keep_prob, mask_rng);

    for (int variant = 0; variant < 3; ++variant) {
        CAPTURE(variant);  // 0 plain, 1 L2, 2 dropout (masks held fixed)
        const double lambda = variant == 1 ? 0.7 : 0.0;
        const double kp = variant == 2 ? keep_prob : 1.0;

        // Autodiff, through the tape; dropout reseeds so every evaluation draws D1, D2.
        auto cost = [&](tape& t) {
            random_state rng(1);
            return pr.net.cost(t, t.reference(pr.X), t.reference(pr.Y), {loss_kind::sigmoid_bce, lambda}, {kp, &rng});
        };
        // The project's own Catch2 helper: on failure it prints the checker's report.
        CHECK_THAT(scalar_function(cost), tapegrad::catch2::has_correct_gradients(pr.net.parameters()));

        // The course's formulas, through its dictionary interface.
        auto forward = [&](const named_matrices& p) {
            return variant == 2 ? course_forward_with_dropout(pr.X, p, kp, D1, D2) : course_forward(pr.X, p);
        };
        auto hand_cost = [&](const named_matrices& p) {
            return variant == 1 ? course_cost_with_regularization(forward(p).A3, pr.Y, p, lambda)
                                : course_cost(forward(p).A3, pr.Y);
        };
        const course_cache c = forward(params);
        const named_matrices grads = variant == 0   ? course_backward(pr.X, pr.Y, c, params)
                                     : variant == 1 ? course_backward_with_regularization(pr.X, pr.Y, c, params, lambda)
                                                    : course_backward_with_dropout(pr.X, pr.Y, c, params, kp);
        const gradient_report h = gradient_check_n(params, grads, hand_cost, default_epsilon, default_threshold);
        CHECK_THAT(h, tapegrad::catch2::passes());
    }
}

TEST_CASE("a saturated wrong prediction costs inf with the course's loss and training still gets gradients", "[course]") {
    mlp net({1, 1}, initialization::zeros);
    net.weight(1).mutable_value()(0, 0) = 100.0;  // sigmoid(100 * 1) == 1.0 exactly in double
    const matrix X = {{1.0}}, Y = {{0.0}};
    tape t;
    var J = net.cost(t, t.reference(X), t.reference(Y), {loss_kind::sigmoid_bce});
    CHECK(std::isinf(J.item()));
    t.backward(J);
    CHECK(net.weight(1).grad(0, 0) == 1.0);  // (A - Y) x / m = 1
    tape s;
    CHECK(std::isfinite(net.cost(s, s.reference(X), s.reference(Y), {loss_kind::bce_with_logits}).item()));
}

TEST_CASE("the course's N-D gradient-checking case: cost, correct and wrong gradients", "[course][gradient]") {
    // REFERENCE.md: seed 1; x = randn(4,3); y = [1,1,0]; then the parameters in order.
    random_state rng(1);
    const matrix x = rng.randn(4, 3);
    const matrix y = {{1, 1, 0}};
    named_matrices p;
    for (auto [name, rows, cols] : {std::tuple{"W1", 5, 4}, {"b1", 5, 1}, {"W2", 3, 5}, {"b2", 3, 1}, {"W3", 1, 3},
                                    {"b3", 1, 1}}) {
        p.emplace_back(name, rng.randn(static_cast<std::size_t>(rows), static_cast<std::size_t>(cols)));
    }
    auto cost = [&](const named_matrices& q) { return course_cost(course_forward(x, q).A3, y); };
    CHECK(cost(p) == Approx(2.407833389834357).epsilon(1e-15));

    named_matrices grads = course_backward(x, y, course_forward(x, p), p);
    const gradient_report ok = gradient_check_n(p, grads, cost);  // the course's epsilon and threshold
    INFO(ok.to_string());
    CHECK(ok.passed);
    CHECK(ok.difference == Approx(1.19e-7).epsilon(0.01));  // rounding noise at epsilon 1e-7
    CHECK(ok.culprits().empty());  // db3 exceeds 2e-7 on noise alone, and is not blamed

    grads[2].second = mul_scalar(grads[2].second, 2.0);  // dW2 doubled
    const gradient_report bad = gradient_check_n(p, grads, cost);
    INFO(bad.to_string());
    CHECK_FALSE(bad.passed);
    CHECK(bad.culprits() == std::vector<std::string>{"dW2"});
    CHECK(bad.worst.parameter == "dW2");
}
