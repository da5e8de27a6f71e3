// Builds a small model on a tape, runs backward and checks the gradient,
// through the package's headers and core library only.
#include <cstdio>

#include <tapegrad/tapegrad.hpp>

int main() {
    using namespace tapegrad;
    parameter w("w", make_matrix(2, 3, 0.5));
    parameter b("b", make_matrix(2, 1, -0.25));
    const matrix x = make_matrix(3, 4, 1.5);
    auto loss = [&](tape& t) { return mean(square(tanh(matmul(t.watch(w), t.reference(x)) + t.watch(b)))); };
    const gradient_report report = check_gradients(loss, {&w, &b});
    std::printf("%s", report.to_string().c_str());
    return report.passed ? 0 : 1;
}
