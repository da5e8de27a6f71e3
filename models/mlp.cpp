#include <tapegrad/models/mlp.hpp>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/dropout.hpp>
#include <tapegrad/ops/linear_algebra.hpp>
#include <tapegrad/ops/losses.hpp>
#include <tapegrad/ops/regularization.hpp>

namespace tapegrad {

mlp::mlp(std::vector<std::size_t> layer_sizes, initialization init, std::int64_t seed, double random_scale)
    : sizes_(std::move(layer_sizes)) {
    check_layer_sizes(sizes_, "mlp");
    for (auto& [name, value] : initialize_parameters(sizes_, init, seed, random_scale)) {
        params_.emplace_back(name, std::move(value));
    }
}

parameter& mlp::weight(std::size_t l) { return const_cast<parameter&>(std::as_const(*this).weight(l)); }
parameter& mlp::bias(std::size_t l) { return const_cast<parameter&>(std::as_const(*this).bias(l)); }

const parameter& mlp::weight(std::size_t l) const {
    if (l < 1 || l > depth()) {
        throw value_error("mlp::weight: layer " + std::to_string(l) + " does not exist; layers are 1 .. " +
                          std::to_string(depth()));
    }
    return params_[2 * (l - 1)];
}

const parameter& mlp::bias(std::size_t l) const {
    if (l < 1 || l > depth()) {
        throw value_error("mlp::bias: layer " + std::to_string(l) + " does not exist; layers are 1 .. " +
                          std::to_string(depth()));
    }
    return params_[2 * (l - 1) + 1];
}

std::vector<parameter*> mlp::parameters() {
    std::vector<parameter*> p;
    for (parameter& x : params_) p.push_back(&x);
    return p;
}

std::vector<parameter*> mlp::weights() {
    std::vector<parameter*> p;
    for (std::size_t l = 1; l <= depth(); ++l) p.push_back(&weight(l));
    return p;
}

named_matrices mlp::parameter_values() const {
    named_matrices d;
    for (const parameter& p : params_) d.emplace_back(p.name, p.value());
    return d;
}

void mlp::set_parameter_values(const named_matrices& values) {
    for (parameter& p : params_) {
        const matrix& v = find_named(values, p.name);
        if (shape_of(v) != shape_of(p.value())) {
            throw shape_error("mlp::set_parameter_values: " + p.name + " has shape " + shape_string(v) +
                              " but the network needs " + shape_string(p.value()));
        }
    }
    for (parameter& p : params_) p.set_value(find_named(values, p.name));
}

void mlp::check_inputs(const matrix& X, const char* where) const {
    if (X.shape()[0] != sizes_[0]) {
        throw shape_error(std::string(where) + ": X has shape " + shape_string(X) + " but the network's first layer "
                          "takes " + std::to_string(sizes_[0]) + " features (rows); examples are columns");
    }
    if (X.shape()[1] == 0) throw shape_error(std::string(where) + ": X has no examples (0 columns)");
}

void mlp::check_inputs(const matrix& X, const matrix& Y, const char* where) const {
    check_inputs(X, where);
    if (Y.shape()[0] != sizes_.back() || Y.shape()[1] != X.shape()[1]) {
        throw shape_error(std::string(where) + ": Y has shape " + shape_string(Y) + " but X has " +
                          std::to_string(X.shape()[1]) + " examples; Y must be (" + std::to_string(sizes_.back()) +
                          ", " + std::to_string(X.shape()[1]) + ")");
    }
}

var mlp::logits(tape& t, const var& X, const dropout_options& dropout) {
    check_inputs(X.value(), "mlp::logits");
    const bool drop = dropout.keep_prob < 1.0;
    if (drop && dropout.rng == nullptr) {
        throw value_error("mlp::logits: dropout with keep_prob " + std::to_string(dropout.keep_prob) +
                          " needs a random_state for its masks");
    }
    var A = X;
    for (std::size_t l = 1; l < depth(); ++l) {
        A = linear_relu(t.watch(weight(l)), A, t.watch(bias(l)));
        if (drop) A = tapegrad::dropout(A, dropout.keep_prob, *dropout.rng);
    }
    return linear(t.watch(weight(depth())), A, t.watch(bias(depth())));
}

var mlp::cost(tape& t, const var& X, const var& Y, const cost_options& options, const dropout_options& dropout) {
    check_inputs(X.value(), Y.value(), "mlp::cost");
    var Z = logits(t, X, dropout);
    var J = options.loss == loss_kind::sigmoid_bce ? sigmoid_binary_cross_entropy(Z, Y)
                                              : binary_cross_entropy_with_logits(Z, Y);
    if (options.lambda != 0.0) {
        // Kept per thread, not per model: cost() may run on several threads at
        // once (the gradient checker's workers), and a training step should not allocate.
        thread_local std::vector<var> weights;
        weights.clear();
        for (std::size_t l = 1; l <= depth(); ++l) weights.push_back(t.watch(weight(l)));
        J = J + l2_penalty(weights, options.lambda, static_cast<double>(X.value().shape()[1]));
    }
    return J;
}

matrix mlp::predict_proba(const matrix& X) const {
    check_inputs(X, "mlp::predict_proba");
    matrix A = X;
    for (std::size_t l = 1; l < depth(); ++l) {
        A = tapegrad::linear_relu(weight(l).value(), A, bias(l).value());
    }
    return tapegrad::sigmoid(tapegrad::linear(weight(depth()).value(), A, bias(depth()).value()));
}

matrix mlp::predict(const matrix& X) const {
    matrix p = predict_proba(X);
    for (double& v : p) v = v > 0.5 ? 1.0 : 0.0;
    return p;
}

double mlp::accuracy(const matrix& X, const matrix& Y) const {
    check_inputs(X, Y, "mlp::accuracy");
    const matrix p = predict(X);
    std::size_t right = 0;
    for (std::size_t k = 0; k < p.size(); ++k) right += p.data()[k] == Y.data()[k];
    return static_cast<double>(right) / static_cast<double>(p.size());
}

}  // namespace tapegrad
