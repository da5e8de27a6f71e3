// The tape audit: it finds nothing wrong on correct ops and models, and inside
// a 3-layer model it names a user op whose backward is wrong (a wrong
// derivative, a broadcast gradient not summed, a missing 1/m), every time; the
// failed full check's report says so.
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;

namespace {

// ---- User ops with planted bugs ------------------------------------------------

// swish(x) = x sigmoid(x); d/dx = s + x s (1 - s). The bug drops the second term.
void swish_forward(forward_context& f) {
    const matrix& x = f.input(0);
    ensure_shape(f.output(), shape_of(x));
    for (std::size_t k = 0; k < x.size(); ++k) f.output().data()[k] = x.data()[k] / (1.0 + std::exp(-x.data()[k]));
}
template <bool faulty>
void swish_backward(backward_context& c) {
    const double* x = c.input(0).data();
    const double* g = c.grad().data();
    c.contribute(0, [&](std::size_t k) {
        const double s = 1.0 / (1.0 + std::exp(-x[k]));
        return g[k] * (faulty ? s : s + x[k] * s * (1.0 - s));
    });
}

// Z + b for a (n,1) column b: b's gradient is G summed along each row. The bug
// takes the first column only (a broadcast gradient not summed back).
void add_bias_forward(forward_context& f) {
    const matrix& z = f.input(0);
    const matrix& b = f.input(1);
    ensure_shape(f.output(), shape_of(z));
    for (std::size_t i = 0; i < z.shape()[0]; ++i) {
        for (std::size_t j = 0; j < z.shape()[1]; ++j) f.output()(i, j) = z(i, j) + b(i, 0);
    }
}
template <bool faulty>
void add_bias_backward(backward_context& c) {
    const matrix& g = c.grad();
    c.contribute(0, g);
    if (faulty) {
        c.contribute(1, [&](std::size_t i, std::size_t) { return g(i, 0); });
    } else {
        c.contribute_summed(1, [&](std::size_t i, std::size_t j) { return g(i, j); });
    }
}

// mean squared error (1/m) sum((A - Y)^2), m the columns; dA = 2 (A - Y) / m.
// The bug forgets the 1/m.
void mse_forward(forward_context& f) {
    const matrix& a = f.input(0);
    const matrix& y = f.input(1);
    double s = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) s += (a.data()[k] - y.data()[k]) * (a.data()[k] - y.data()[k]);
    ensure_shape(f.output(), {1, 1});
    f.output()(0, 0) = s / static_cast<double>(a.shape()[1]);
}
template <bool faulty>
void mse_backward(backward_context& c) {
    const double g = c.grad()(0, 0);
    const double* a = c.input(0).data();
    const double* y = c.input(1).data();
    const double m = faulty ? 1.0 : static_cast<double>(c.input(0).shape()[1]);
    c.contribute(0, [&](std::size_t k) { return g * 2.0 * (a[k] - y[k]) / m; });
}

using d = input_domain;
// log with a backward of 2 / x: wrong at a smooth point where log curves sharply
// (x near 0), which the audit must not mistake for a kink.
void log_forward(forward_context& f) {
    ensure_shape(f.output(), shape_of(f.input(0)));
    for (std::size_t k = 0; k < f.input(0).size(); ++k) f.output().data()[k] = std::log(f.input(0).data()[k]);
}
void doubled_log_backward(backward_context& c) {
    const double* x = c.input(0).data();
    const double* g = c.grad().data();
    c.contribute(0, [&](std::size_t k) { return 2.0 * g[k] / x[k]; });
}
const op_descriptor doubled_log_op{"doubled_log", 1, {d::positive}, log_forward, doubled_log_backward, {}};

const op_descriptor swish_op{"swish", 1, {d::any}, swish_forward, swish_backward<false>, {}};
const op_descriptor wrong_swish_op{"swish", 1, {d::any}, swish_forward, swish_backward<true>, {}};
const op_descriptor add_bias_op{"add_bias", 2, {d::any, d::any}, add_bias_forward, add_bias_backward<false>, {}};
const op_descriptor unsummed_add_bias_op{"add_bias", 2, {d::any, d::any}, add_bias_forward, add_bias_backward<true>,
                                         {}};
const op_descriptor mse_op{"mse", 2, {d::any, d::zero_one}, mse_forward, mse_backward<false>, {}};
const op_descriptor unscaled_mse_op{"mse", 2, {d::any, d::zero_one}, mse_forward, mse_backward<true>, {}};

// ---- A 3-layer model built from library ops and the three user ops -----------

struct model {
    parameter W1, b1, W2, b2, W3, b3;
    matrix X, Y;

    explicit model(std::uint64_t seed) {
        std::mt19937_64 rng(seed);
        auto draw = [&](std::size_t r, std::size_t c) { return mul_scalar(random_input(d::any, {r, c}, rng), 0.7); };
        W1 = {"W1", draw(8, 4)}, b1 = {"b1", draw(8, 1)}, W2 = {"W2", draw(6, 8)}, b2 = {"b2", draw(6, 1)};
        W3 = {"W3", draw(1, 6)}, b3 = {"b3", draw(1, 1)};
        X = random_input(d::any, {4, 16}, rng);
        Y = random_input(d::zero_one, {1, 16}, rng);
    }
    std::vector<parameter*> params() { return {&W1, &b1, &W2, &b2, &W3, &b3}; }

    // layer 1: swish(W1 X + b1) through add_bias; layer 2: tanh(linear); output: sigmoid, then mse.
    scalar_function cost(const op_descriptor& swish, const op_descriptor& add_bias, const op_descriptor& mse) {
        return [this, &swish, &add_bias, &mse](tape& t) {
            const var A1 = record_op(swish, {record_op(add_bias, {matmul(t.watch(W1), t.reference(X)), t.watch(b1)})});
            const var A2 = tanh(linear(t.watch(W2), A1, t.watch(b2)));
            const var A3 = sigmoid(linear(t.watch(W3), A2, t.watch(b3)));
            return record_op(mse, {A3, t.reference(Y)});
        };
    }
};

// The single fault the audit must report for the planted bug in `op` (input `input`).
void check_names(const gradient_report& r, const std::string& op, std::size_t input, shape2 shape) {
    INFO(r.to_string());
    REQUIRE_FALSE(r.passed);
    REQUIRE(r.audited);
    REQUIRE(r.audit.faults.size() == 1);
    const op_fault& f = r.audit.faults[0];
    CHECK(f.op == op);
    CHECK(f.input == input);
    CHECK(f.input_shape == shape);
    CHECK(f.difference > 1e-3);
    CHECK(r.faulty_ops() == std::vector<std::string>{op});
    // The report a person reads says it in words.
    CHECK(r.to_string().find("backward of op " + std::to_string(f.node) + " '" + op + "' (input " +
                             std::to_string(input) + ", shape " + to_string(shape) + ") is wrong") !=
          std::string::npos);
}

}  // namespace

TEST_CASE("the audit finds every library op's backward right at every test case", "[tape_audit]") {
    std::uint64_t seed = 1;
    for (const op_descriptor* op : builtin_ops()) {
        const scalar_case scalars = op->test_scalars.empty() ? scalar_case{} : *op->test_scalars.begin();
        for (const shape_case& shapes : op->test_shapes) {
            std::mt19937_64 rng(seed++);
            std::vector<parameter> in;
            for (matrix& value : random_inputs(*op, shapes, rng)) in.emplace_back("x", std::move(value));
            tape t;
            std::vector<var> x;
            for (std::size_t i = 0; i < op->arity; ++i) {
                x.push_back(is_constant_domain(op->domains[i]) ? t.reference(in[i].value()) : t.watch(in[i]));
            }
            const var y = op->arity == 1   ? record_op(*op, {x[0]}, scalars)
                          : op->arity == 2 ? record_op(*op, {x[0], x[1]}, scalars)
                                           : record_op(*op, {x[0], x[1], x[2]}, scalars);
            (void)y;
            const tape_audit_report r = audit_tape(t);
            INFO(op->name << "\n" << r.to_string());
            CHECK(r.passed());
            CHECK(r.ops_checked == 1);
            CHECK(r.evaluations == 2);
        }
    }
}

TEST_CASE("the audit finds nothing wrong in correct models", "[tape_audit]") {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        model m(seed);
        tape t;
        m.cost(swish_op, add_bias_op, mse_op)(t);
        const tape_audit_report r = audit_tape(t);
        INFO(r.to_string());
        CHECK(r.passed());
        CHECK(r.ops_checked == 8);
        CHECK(r.ops_skipped == 0);
    }
    // An mlp with dropout and L2, on both losses.
    random_state rng(4);
    const matrix X = rng.randn(3, 20);
    matrix Y = rng.rand(1, 20);
    for (double& y : Y) y = y < 0.5 ? 0.0 : 1.0;
    mlp net({3, 7, 5, 1}, initialization::he, 2);
    for (loss_kind loss : {loss_kind::bce_with_logits, loss_kind::sigmoid_bce}) {
        tape t;
        random_state masks(9);
        net.cost(t, t.reference(X), t.reference(Y), {loss, 0.7}, {0.8, &masks});
        const tape_audit_report r = audit_tape(t);
        INFO(r.to_string());
        CHECK(r.passed());
        CHECK(r.ops_checked >= 8);
    }
}

TEST_CASE("relu at an exact kink is not a fault: a point at the origin with zero biases", "[tape_audit]") {
    // The spiral's first points are (0, 0): with zero biases every hidden unit
    // of that column sits exactly at relu's kink, where the central difference
    // is the mean of the one-sided slopes and the rule (PyTorch's 0) is one side.
    random_state rng(3);
    matrix X = rng.randn(2, 30);
    X(0, 0) = X(1, 0) = 0.0;
    matrix Y = make_matrix(1, 30);
    for (std::size_t j = 0; j < 30; ++j) Y(0, j) = static_cast<double>(j % 3);
    mlp_options o;
    o.output = output_kind::softmax;
    mlp net({2, 16, 16, 3}, o, initialization::he, 1);
    tape t;
    net.cost(t, t.reference(X), t.reference(Y));
    const tape_audit_report r = audit_tape(t);
    INFO(r.to_string());
    CHECK(r.passed());
    CHECK(r.ops_not_differentiable >= 1);
    CHECK(r.to_string().find("at a non-differentiable point") != std::string::npos);
    // A wrong rule where the op curves sharply (log near 0) is no kink: its
    // one-sided gap shrinks with the step, and the audit names the op.
    for (const double x : {0.001, 0.003, 0.005}) {
        CAPTURE(x);
        parameter p("p", matrix{{x}});
        tape lt;
        record_op(doubled_log_op, {lt.watch(p)});
        const tape_audit_report lr = audit_tape(lt);
        INFO(lr.to_string());
        CHECK(lr.faulty_ops() == std::vector<std::string>{"doubled_log"});
        CHECK(lr.ops_not_differentiable == 0);
    }
    // Away from the origin nothing is at a kink.
    X(0, 0) = X(1, 0) = 0.5;
    tape t2;
    net.cost(t2, t2.reference(X), t2.reference(Y));
    const tape_audit_report r2 = audit_tape(t2);
    CHECK(r2.passed());
    CHECK(r2.ops_not_differentiable == 0);
}

TEST_CASE("a wrong derivative inside a 3-layer model: the audit names the op", "[tape_audit][planted]") {
    for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
        model m(seed);
        check_names(check_gradients(m.cost(wrong_swish_op, add_bias_op, mse_op), m.params()), "swish", 0, {8, 16});
    }
}

TEST_CASE("a broadcast gradient not summed back inside a 3-layer model: the audit names the op and the input",
          "[tape_audit][planted]") {
    for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
        model m(seed);
        check_names(check_gradients(m.cost(swish_op, unsummed_add_bias_op, mse_op), m.params()), "add_bias", 1,
                    {8, 1});
    }
}

TEST_CASE("a loss that forgets 1/m inside a 3-layer model: the audit names it", "[tape_audit][planted]") {
    for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
        model m(seed);
        check_names(check_gradients(m.cost(swish_op, add_bias_op, unscaled_mse_op), m.params()), "mse", 0, {1, 16});
    }
}

TEST_CASE("the correct model passes its check with no audit", "[tape_audit]") {
    model m(1);
    const gradient_report r = check_gradients(m.cost(swish_op, add_bias_op, mse_op), m.params());
    INFO(r.to_string());
    CHECK(r.passed);
    CHECK_FALSE(r.audited);
}

TEST_CASE("a fast check too large for the full check still names the op through the audit", "[tape_audit]") {
    model m(2);
    fast_check_options o;
    o.full_check_limit = 10;  // the model has 123 scalars
    const gradient_report r = check_gradients_fast(m.cost(wrong_swish_op, add_bias_op, mse_op), m.params(), o);
    INFO(r.to_string());
    CHECK(r.method == "fast");
    CHECK_FALSE(r.passed);
    REQUIRE(r.audited);
    CHECK(r.faulty_ops() == std::vector<std::string>{"swish"});
}

TEST_CASE("the audit refuses a tape that does not record and bad settings", "[tape_audit]") {
    tape t;
    t.set_recording(false);
    CHECK_THROWS_AS(audit_tape(t), tape_error);
    tape u;
    CHECK_THROWS_AS(audit_tape(u, {0.0, 1e-6, 0}), value_error);
    // An empty tape has nothing to audit.
    CHECK(audit_tape(u).ops_checked == 0);
}
