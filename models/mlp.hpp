// mlp: a fully connected network of any layer sizes, built from the framework's
// ops: hidden layers with one activation (ReLU by default; tanh, leaky ReLU,
// ELU) and an output for the task: sigmoid for binary labels (the default),
// softmax for K classes, identity for regression. A 3-layer binary classifier
// is mlp({n_x, n_1, n_2, 1}). Examples are columns: X is (n_x, m).
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

// The hidden layers' activation.
enum class activation { relu, tanh, leaky_relu, elu };

// The output layer, and with it the cost, the labels and what predict() gives.
enum class output_kind {
    // n_L = 1 (or more independent binary outputs); labels Y (n_L, m) of 0/1;
    // cost: cost_options::loss; predict: 1 where sigmoid(Z) > 0.5.
    sigmoid,
    // n_L = K >= 2 classes; labels Y (1, m) of class indices, or (K, m) one-hot or
    // soft labels; cost: softmax_cross_entropy; predict: the arg-max class, (1, m).
    softmax,
    // regression: targets Y (n_L, m); cost: mse_loss; predict: Z itself.
    identity,
};

// "relu", "tanh", "leaky_relu", "elu" / "sigmoid", "softmax", "identity"; and
// back (value_error for an unknown name, listing the known ones).
std::string to_string(activation a);
activation activation_from_string(const std::string& name);
std::string to_string(output_kind o);
output_kind output_kind_from_string(const std::string& name);

struct mlp_options {
    activation hidden = activation::relu;
    double negative_slope = 0.01;  // leaky_relu's slope for x <= 0 (finite)
    double alpha = 1.0;            // elu's alpha (finite, > 0)
    output_kind output = output_kind::sigmoid;
};

// Dropout on the hidden layers during a forward pass (none when keep_prob = 1).
struct dropout_options {
    double keep_prob = 1.0;
    random_state* rng = nullptr;  // the masks' generator; required when keep_prob < 1
};

struct cost_options {
    // The sigmoid output's loss. The softmax and identity outputs have one loss
    // each (cross-entropy, squared error); asking them for sigmoid_bce throws.
    loss_kind loss = loss_kind::bce_with_logits;
    double lambda = 0.0;  // L2 penalty on the weights (not the biases) when > 0
    // The m of the penalty's lambda / (2 m): 0 takes the batch's columns. A
    // process of a data-parallel run gives the whole batch's (batch::whole_size),
    // so that the processes' costs weighted by their sizes add up to it.
    std::size_t penalty_examples = 0;
};

class mlp {
public:
    // Layer sizes {n_x, n_1, ..., n_L}: at least 2, none zero (value_error otherwise;
    // also for a softmax output of fewer than 2 classes, or an activation's
    // parameter out of range). Parameters come from
    // initialize_parameters(layer_sizes, init, seed, random_scale).
    explicit mlp(std::vector<std::size_t> layer_sizes, initialization init = initialization::he,
                 std::int64_t seed = 3, double random_scale = 10.0);
    mlp(std::vector<std::size_t> layer_sizes, const mlp_options& options, initialization init = initialization::he,
        std::int64_t seed = 3, double random_scale = 10.0);

    const std::vector<std::size_t>& layer_sizes() const noexcept { return sizes_; }
    const mlp_options& options() const noexcept { return options_; }
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

    // On a tape: the output layer's pre-activation Z_L (the logits of a
    // classifier), and the cost loss(Z_L, Y) [+ l2_penalty(W_1..W_L, lambda, m)]
    // with the output kind's loss. Throws shape_error when X or Y do not fit the
    // network, value_error for a label the loss refuses.
    var logits(tape& t, const var& X, const dropout_options& dropout = {});
    var cost(tape& t, const var& X, const var& Y, const cost_options& options = {},
             const dropout_options& dropout = {});

    // Without a tape: the output A_L (sigmoid(Z_L), softmax(Z_L) per column, or
    // Z_L), and the predictions: sigmoid: 1 where A_L > 0.5 (strictly), else 0;
    // softmax: the class of the largest probability per column (the first on a
    // tie), a (1, m) row; identity: Z_L.
    matrix predict_proba(const matrix& X) const;
    matrix predict(const matrix& X) const;
    // The fraction of examples predicted right: sigmoid: of the (n_L, m) labels;
    // softmax: of the class labels ((1, m) indices, or the arg-max of (K, m)
    // labels). An identity output has no accuracy (value_error).
    double accuracy(const matrix& X, const matrix& Y) const;

    // Throws shape_error unless X has n_x rows (and Y fits the output: (n_L, m),
    // or for softmax (1, m) or (K, m), with X's m columns).
    void check_inputs(const matrix& X, const char* where) const;
    void check_inputs(const matrix& X, const matrix& Y, const char* where) const;

private:
    var hidden_layer(const var& W, const var& A, const var& b) const;
    matrix output_logits(const matrix& X, const char* where) const;
    matrix hidden_layer(const matrix& W, const matrix& A, const matrix& b) const;

    std::vector<std::size_t> sizes_;
    mlp_options options_;
    std::vector<parameter> params_;  // W1, b1, W2, b2, ...
};

}  // namespace tapegrad
