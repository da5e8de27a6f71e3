// mlp: a fully connected network of any layer sizes, ReLU hidden layers and a
// sigmoid output, built from the framework's ops; a 3-layer network is
// mlp({n_x, n_1, n_2, 1}). Examples are columns: X is (n_x, m), Y is (1, m).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <tapegrad/models/named_matrices.hpp>
#include <tapegrad/framework/parameter.hpp>
#include <tapegrad/framework/random_state.hpp>
#include <tapegrad/framework/tape.hpp>
#include <tapegrad/models/initializers.hpp>

namespace tapegrad {

// Which cost the network trains on.
enum class loss_kind {
    // binary_cross_entropy_with_logits(Z, Y): finite for every finite logit.
    bce_with_logits,
    // sigmoid_binary_cross_entropy(Z, Y): sigmoid, then the cross-entropy of its
    // output (+inf for a saturated wrong prediction, NaN terms dropped), with
    // backward dZ = (A - Y) / m, which stays finite where the cost is not.
    sigmoid_bce,
};

// Dropout on the hidden layers during a forward pass (none when keep_prob = 1).
struct dropout_options {
    double keep_prob = 1.0;
    random_state* rng = nullptr;  // the masks' generator; required when keep_prob < 1
};

struct cost_options {
    loss_kind loss = loss_kind::bce_with_logits;
    double lambda = 0.0;  // L2 penalty on the weights (not the biases) when > 0
};

class mlp {
public:
    // Layer sizes {n_x, n_1, ..., n_L}: at least 2, none zero (value_error otherwise).
    // Parameters come from initialize_parameters(layer_sizes, init, seed, random_scale).
    explicit mlp(std::vector<std::size_t> layer_sizes, initialization init = initialization::he,
                 std::int64_t seed = 3, double random_scale = 10.0);

    const std::vector<std::size_t>& layer_sizes() const noexcept { return sizes_; }
    // The number of weight layers L.
    std::size_t depth() const noexcept { return sizes_.size() - 1; }

    // W_l and b_l for l = 1 .. L.
    parameter& weight(std::size_t l);
    parameter& bias(std::size_t l);
    const parameter& weight(std::size_t l) const;
    const parameter& bias(std::size_t l) const;
    // W1, b1, W2, b2, ... in that order, and the weights alone.
    std::vector<parameter*> parameters();
    std::vector<parameter*> weights();

    // The parameters as named matrices, and back (names and shapes checked).
    named_matrices parameter_values() const;
    void set_parameter_values(const named_matrices& values);

    // On a tape: the output layer's logits Z_L, and the cost
    // loss(Z_L, Y) [+ l2_penalty(W_1..W_L, lambda, m)]. Throws shape_error when X or
    // Y do not fit the network.
    var logits(tape& t, const var& X, const dropout_options& dropout = {});
    var cost(tape& t, const var& X, const var& Y, const cost_options& options = {},
             const dropout_options& dropout = {});

    // Without a tape: A_L = sigmoid(Z_L), the predictions (1 where A_L > 0.5,
    // strictly) and the accuracy mean(prediction == Y).
    matrix predict_proba(const matrix& X) const;
    matrix predict(const matrix& X) const;
    double accuracy(const matrix& X, const matrix& Y) const;

    // Throws shape_error unless X has n_x rows (and Y is (1, m) with X's m columns).
    void check_inputs(const matrix& X, const char* where) const;
    void check_inputs(const matrix& X, const matrix& Y, const char* where) const;

private:
    std::vector<std::size_t> sizes_;
    std::vector<parameter> params_;  // W1, b1, W2, b2, ...
};

}  // namespace tapegrad
