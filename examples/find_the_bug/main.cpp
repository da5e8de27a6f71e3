// find_the_bug: a model with a user op whose backward rule has a mistake, and
// how tapegrad finds it. The model's gradient check fails and names the
// parameters below the bug; its tape audit then checks every recorded op's
// backward against that op's own forward and names the op.
//
// The op is swish(x) = x sigmoid(x), whose derivative is s + x s (1 - s); the
// mistake drops the second term. Exit status 0 when the audit names swish.
#include <cmath>
#include <cstdio>
#include <string>

#include <tapegrad/tapegrad.hpp>

#include "../common/program.hpp"

using namespace tapegrad;

namespace {

void swish_forward(forward_context& f) {
    const matrix& x = f.input(0);
    ensure_shape(f.output(), shape_of(x));
    for (std::size_t k = 0; k < x.size(); ++k) f.output().data()[k] = x.data()[k] / (1.0 + std::exp(-x.data()[k]));
}

// The bug: d swish/dx is s + x s (1 - s), but this returns s alone.
void swish_backward(backward_context& c) {
    const double* x = c.input(0).data();
    const double* g = c.grad().data();
    c.contribute(0, [&](std::size_t k) { return g[k] / (1.0 + std::exp(-x[k])); });
}

const op_descriptor swish_op{"swish", 1, {input_domain::any}, swish_forward, swish_backward, {}};
var swish(const var& x) { return record_op(swish_op, {x}); }

}  // namespace

int main(int argc, char** argv) {
    tapegrad::examples::start_program(argc, argv);
    // 3 features, 64 examples, labels from a smooth rule; a [3, 16, 8, 1] network
    // with a swish hidden layer and a tanh one.
    random_state rng(1);
    const matrix X = rng.randn(3, 64);
    matrix Y = make_matrix(1, 64);
    for (std::size_t j = 0; j < 64; ++j) Y(0, j) = X(0, j) * X(1, j) + X(2, j) > 0.0 ? 1.0 : 0.0;
    parameter W1("W1", mul_scalar(rng.randn(16, 3), std::sqrt(1.0 / 3))), b1("b1", make_matrix(16, 1));
    parameter W2("W2", mul_scalar(rng.randn(8, 16), std::sqrt(1.0 / 16))), b2("b2", make_matrix(8, 1));
    parameter W3("W3", mul_scalar(rng.randn(1, 8), std::sqrt(1.0 / 8))), b3("b3", make_matrix(1, 1));

    auto cost = [&](tape& t) {
        const var A1 = swish(linear(t.watch(W1), t.reference(X), t.watch(b1)));
        const var A2 = tanh(linear(t.watch(W2), A1, t.watch(b2)));
        return binary_cross_entropy_with_logits(linear(t.watch(W3), A2, t.watch(b3)), t.reference(Y));
    };

    std::printf("A [3, 16, 8, 1] network whose first hidden layer uses a user op, swish, with a mistake in its\n"
                "backward rule. The full gradient check:\n\n");
    const gradient_report report = check_gradients(cost, {&W1, &b1, &W2, &b2, &W3, &b3});
    std::printf("%s\n", report.to_string().c_str());

    const bool found = !report.passed && report.audited && report.faulty_ops() == std::vector<std::string>{"swish"};
    if (found) {
        const op_fault& f = report.audit.faults.front();
        std::string culprits;
        for (const std::string& name : report.culprits()) culprits += (culprits.empty() ? "" : ", ") + name;
        std::printf("Found it: the check blames %s, the parameters below the bug; the tape audit names\n"
                    "op %zu '%s' (input %zu, shape %s), whose backward disagrees with its own forward.\n",
                    culprits.empty() ? "no parameter" : culprits.c_str(), f.node, f.op.c_str(), f.input,
                    to_string(f.input_shape).c_str());
    } else {
        std::printf("The audit did not name swish: that is a bug in tapegrad.\n");
    }
    return tapegrad::examples::finish_program("find_the_bug", found ? 0 : 1);
}
