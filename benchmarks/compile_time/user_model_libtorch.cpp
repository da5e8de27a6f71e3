// benchmarks/compile_time.sh's comparison: user_model.cpp's program written for
// libtorch (Debian's libtorch-dev), as a PyTorch user writes it in C++. Only
// compiled (never linked or run) by the script. libtorch's C++ API has no
// gradient checker, so the check is a one-element central difference by hand.
#include <cmath>
#include <cstdio>

#include <torch/torch.h>

struct two_layer_net : torch::nn::Module {
    torch::Tensor W1, b1, W2, b2;
    two_layer_net() {
        auto o = torch::TensorOptions().dtype(torch::kFloat64);
        W1 = register_parameter("W1", torch::randn({8, 2}, o) * std::sqrt(1.0 / 2));
        b1 = register_parameter("b1", torch::zeros({8, 1}, o));
        W2 = register_parameter("W2", torch::randn({1, 8}, o) * std::sqrt(1.0 / 8));
        b2 = register_parameter("b2", torch::zeros({1, 1}, o));
    }
    torch::Tensor logits(const torch::Tensor& X) { return torch::matmul(W2, torch::tanh(torch::matmul(W1, X) + b1)) + b2; }
};

int main() {
    torch::manual_seed(1);
    const int64_t m = 64;
    auto o = torch::TensorOptions().dtype(torch::kFloat64);
    torch::Tensor X = torch::randn({2, m}, o) * 0.5;
    torch::Tensor Y = torch::zeros({1, m}, o);
    for (int64_t j = 0; j < m; ++j) {
        X[0][j] += j % 2 == 0 ? 1.0 : -1.0;
        Y[0][j] = j % 2 == 0 ? 1.0 : 0.0;
    }
    two_layer_net net;
    auto cost = [&](const torch::Tensor& Xb, const torch::Tensor& Yb) {
        return torch::binary_cross_entropy_with_logits(net.logits(Xb), Yb);
    };

    cost(X, Y).backward();
    const double analytic = net.W1.grad()[0][0].item<double>();
    double numeric = 0.0;
    {
        torch::NoGradGuard no_grad;
        const double eps = 1e-6;
        net.W1[0][0] += eps;
        const double plus = cost(X, Y).item<double>();
        net.W1[0][0] -= 2 * eps;
        const double minus = cost(X, Y).item<double>();
        net.W1[0][0] += eps;
        numeric = (plus - minus) / (2 * eps);
    }
    std::printf("dJ/dW1(0,0) %.9f, numeric %.9f\n", analytic, numeric);

    torch::optim::Adam optimizer(net.parameters(), torch::optim::AdamOptions(0.05));
    double first = 0.0, last = 0.0;
    for (int epoch = 0; epoch < 50; ++epoch) {
        const torch::Tensor perm = torch::randperm(m);
        for (int64_t k = 0; k < m; k += 16) {
            const torch::Tensor idx = perm.slice(0, k, k + 16);
            optimizer.zero_grad();
            torch::Tensor J = cost(X.index_select(1, idx), Y.index_select(1, idx));
            J.backward();
            optimizer.step();
            last = J.item<double>();
            if (epoch == 0 && k == 0) first = last;
        }
    }
    torch::NoGradGuard no_grad;
    const torch::Tensor right = ((net.logits(X) > 0) == (Y == 1.0)).sum();
    std::printf("cost %.6f -> %.6f, accuracy %lld/%lld\n", first, last, static_cast<long long>(right.item<int64_t>()),
                static_cast<long long>(m));
    return 0;
}
