// What every implementation of the benchmarked training step sees and provides.
// Plain data only (no xtensor, no tapegrad types), so the libtorch module,
// which is loaded with dlopen only in the process that measures it, needs
// nothing of tapegrad.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace tapegrad::bench {

// A row-major matrix owned by someone else (the problem outlives every implementation).
struct matrix_view {
    const double* data = nullptr;
    std::size_t rows = 0;
    std::size_t cols = 0;
};

// numpy's permutation(m) from a generator seeded with `seed` (tapegrad's
// random_state, lent to every implementation so all draw the same batches).
using permutation_fn = void (*)(std::int64_t seed, std::size_t m, std::size_t* order);

// Which network a size trains.
enum class network_kind {
    // ReLU hidden layers and a sigmoid output, trained on the course's cost
    // (loss_kind::sigmoid_bce) plus (lambda/2m) sum ||W_l||^2 when lambda > 0.
    relu_mlp,
    // [n_x, n, n, 1] with tanh and a skip connection, full batch, gradient descent:
    // h1 = tanh(W1 X + b1), h2 = tanh(W2 h1 + b2) + h1, z = W3 h2 + b3,
    // cost = binary_cross_entropy_with_logits(z, Y) (the mean over the m examples).
    tanh_skip,
};

// One benchmark size: the data, the initial parameters and the training settings.
// With batch_size > 0 a step is an epoch of mini-batches like the course's
// random_mini_batches (epoch e shuffled with seed shuffle_seed + e), each batch
// the mean cost's gradient and one Adam update; its cost is the epoch's summed
// per-example cost over m. Otherwise a step is one full-batch W -= lr * dW.
struct problem_view {
    std::string name;                      // "S1", "S2", ...
    network_kind network = network_kind::relu_mlp;
    std::vector<std::size_t> layer_sizes;  // {n_x, n_1, ..., n_L}
    matrix_view X;                         // (n_x, m)
    matrix_view Y;                         // (1, m), 0/1
    std::vector<matrix_view> W;            // W1 .. WL, (n_l, n_{l-1})
    std::vector<matrix_view> b;            // b1 .. bL, (n_l, 1)
    double lambda = 0.0;
    double learning_rate = 0.01;
    std::size_t batch_size = 0;  // 0: full batch, gradient descent
    double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;  // Adam, epsilon outside the root
    std::int64_t shuffle_seed = 11;
    permutation_fn permutation = nullptr;
};

// One training step: forward, cost, backward, W -= lr * dW (or a mini-batch epoch of Adam).
class implementation {
public:
    virtual ~implementation() = default;
    // Runs one step; returns the cost its forward passes computed (before their updates).
    virtual double step() = 0;
    // The current W1, row-major (n_1 x n_x), for the same-cost check.
    virtual std::vector<double> w1() const = 0;
    // The optimizer's update alone, on this implementation's parameters with
    // their current gradients (marked current again each call), for timing its
    // share of a step; empty when the implementation has no separate optimizer.
    virtual std::function<void()> optimizer_step() { return {}; }
    // Settings worth printing (for libtorch: version and thread counts), as
    // "key=value" pairs.
    virtual std::vector<std::pair<std::string, std::string>> info() const { return {}; }
};

// The libtorch module's entry point (extern "C", found with dlsym): a new
// implementation owned by the caller, or null with `error` set.
using make_libtorch_fn = implementation* (*)(const problem_view& p, std::string& error);
inline constexpr const char* make_libtorch_symbol = "tapegrad_bench_make_libtorch";

}  // namespace tapegrad::bench
