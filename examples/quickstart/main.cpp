// The README's example: a small model on a tape, backward, and a gradient check.
#include <cstdio>
#include <tapegrad/tapegrad.hpp>

int main() {
    using namespace tapegrad;
    parameter W("W", {{0.5, -0.3}, {0.8, 0.1}, {-0.6, 0.4}});  // (3, 2)
    parameter b("b", {{0.1}, {-0.2}, {0.05}});                  // (3, 1), broadcast over columns
    const matrix X = {{1.0, 2.0, -1.0, 0.5}, {-0.5, 1.5, 2.0, -1.0}};  // 2 features, 4 examples
    auto cost = [&](tape& t) {                                  // any scalar built from ops
        var A = sigmoid(matmul(t.watch(W), t.reference(X)) + t.watch(b));
        return mean(square(A - 0.5));
    };
    tape t;
    var J = cost(t);
    t.backward(J);                                              // W.grad and b.grad are set
    std::printf("J = %.6f, dJ/dW(0,0) = %.6f\n", J.item(), W.grad(0, 0));
    std::printf("%s", check_gradients(cost, {&W, &b}).to_string().c_str());
}
