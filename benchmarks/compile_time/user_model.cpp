// The translation unit benchmarks/compile_time.sh times: what a user of the
// package typically writes in one file. A small network written as plain
// expressions on a tape (matmul, +, tanh, a loss from the logits), its gradients
// checked numerically, trained with Adam on mini-batches by the library's loop,
// and its accuracy measured with the matrix overloads (nothing recorded).
// It is also built and run (ctest compile_time_model), so it stays a program
// that compiles against the public headers and works.
#include <cmath>
#include <cstdio>
#include <vector>

#include <tapegrad/tapegrad.hpp>

using namespace tapegrad;

struct two_layer_net {
    parameter W1, b1, W2, b2;

    explicit two_layer_net(random_state& rng)
        : W1("W1", mul_scalar(rng.randn(8, 2), std::sqrt(1.0 / 2))), b1("b1", make_matrix(8, 1)),
          W2("W2", mul_scalar(rng.randn(1, 8), std::sqrt(1.0 / 8))), b2("b2", make_matrix(1, 1)) {}

    std::vector<parameter*> parameters() { return {&W1, &b1, &W2, &b2}; }

    var logits(tape& t, const matrix& X) {
        var A1 = tanh(matmul(t.watch(W1), t.reference(X)) + t.watch(b1));
        return matmul(t.watch(W2), A1) + t.watch(b2);
    }
    matrix logits(const matrix& X) const {
        return add(matmul(W2.value(), tanh(add(matmul(W1.value(), X), b1.value()))), b2.value());
    }
};

int main() {
    random_state rng(1);
    const std::size_t m = 64;
    matrix X = rng.normal(0.0, 0.5, 2, m);
    matrix Y = make_matrix(1, m);
    for (std::size_t j = 0; j < m; ++j) {
        X(0, j) += j % 2 == 0 ? 1.0 : -1.0;
        Y(0, j) = j % 2 == 0 ? 1.0 : 0.0;
    }
    two_layer_net net(rng);
    auto cost = [&](tape& t, const matrix& Xb, const matrix& Yb) {
        return binary_cross_entropy_with_logits(net.logits(t, Xb), t.reference(Yb));
    };

    const gradient_report report = check_gradients([&](tape& t) { return cost(t, X, Y); }, net.parameters());
    std::printf("%s", report.to_string().c_str());

    adam optimizer(net.parameters(), {0.05});
    train_options o;
    o.epochs = 50;
    o.batch_size = 16;
    o.shuffle_seed = 1;
    const train_result r = train([&](tape& t, const batch& b) { return cost(t, b.X, b.Y); }, optimizer, X, Y, o);

    const matrix Z = net.logits(X);
    std::size_t right = 0;
    for (std::size_t j = 0; j < m; ++j) right += (Z(0, j) > 0.0) == (Y(0, j) == 1.0);
    std::printf("cost %.6f -> %.6f, accuracy %zu/%zu\n", r.costs.front().second, r.costs.back().second, right, m);
    return report.passed && right * 10 >= m * 9 ? 0 : 1;
}
