#include <tapegrad/models/mlp.hpp>

#include <cmath>
#include <utility>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/number_text.hpp>
#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/dropout.hpp>
#include <tapegrad/ops/linear_algebra.hpp>
#include <tapegrad/ops/losses.hpp>
#include <tapegrad/ops/regularization.hpp>
#include <tapegrad/ops/softmax.hpp>

namespace tapegrad {

namespace {

const std::pair<activation, const char*> activation_names[] = {
    {activation::relu, "relu"}, {activation::tanh, "tanh"}, {activation::leaky_relu, "leaky_relu"}, {activation::elu, "elu"}};
const std::pair<output_kind, const char*> output_names[] = {
    {output_kind::sigmoid, "sigmoid"}, {output_kind::softmax, "softmax"}, {output_kind::identity, "identity"}};

template <class E, std::size_t N>
E from_name(const std::pair<E, const char*> (&names)[N], const std::string& name, const char* what) {
    std::string known;
    for (const auto& [e, n] : names) {
        if (name == n) return e;
        known += (known.empty() ? "" : ", ") + std::string(n);
    }
    throw value_error("unknown " + std::string(what) + " '" + name + "'; expected " + known);
}

template <class E, std::size_t N>
std::string to_name(const std::pair<E, const char*> (&names)[N], E e) {
    for (const auto& [x, n] : names) {
        if (x == e) return n;
    }
    return "unknown";
}

// The arg-max row of column j (the first on a tie), as a class index.
std::size_t argmax_row(const matrix& A, std::size_t j) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < A.shape()[0]; ++k) {
        if (A(k, j) > A(best, j)) best = k;
    }
    return best;
}

}  // namespace

std::string to_string(activation a) { return to_name(activation_names, a); }
activation activation_from_string(const std::string& name) { return from_name(activation_names, name, "activation"); }
std::string to_string(output_kind o) { return to_name(output_names, o); }
output_kind output_kind_from_string(const std::string& name) { return from_name(output_names, name, "output kind"); }

mlp::mlp(std::vector<std::size_t> layer_sizes, initialization init, std::int64_t seed, double random_scale)
    : mlp(std::move(layer_sizes), mlp_options{}, init, seed, random_scale) {}

mlp::mlp(std::vector<std::size_t> layer_sizes, const mlp_options& options, initialization init, std::int64_t seed,
         double random_scale)
    : sizes_(std::move(layer_sizes)), options_(options) {
    check_layer_sizes(sizes_, "mlp");
    if (options_.output == output_kind::softmax && sizes_.back() < 2) {
        throw value_error("mlp: a softmax output needs at least 2 classes, but the last layer has " +
                          std::to_string(sizes_.back()) + " unit; use output_kind::sigmoid for a binary output");
    }
    if (!std::isfinite(options_.negative_slope)) {
        throw value_error("mlp: leaky_relu's negative_slope must be finite, got " + number_text(options_.negative_slope));
    }
    if (!(options_.alpha > 0.0) || !std::isfinite(options_.alpha)) {
        throw value_error("mlp: elu's alpha must be a finite number > 0, got " + number_text(options_.alpha));
    }
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
    const std::size_t m = X.shape()[1], rows = Y.shape()[0];
    const bool softmax = options_.output == output_kind::softmax;
    if ((rows != sizes_.back() && !(softmax && rows == 1)) || Y.shape()[1] != m) {
        const std::string ms = std::to_string(m);
        throw shape_error(std::string(where) + ": Y has shape " + shape_string(Y) + " but X has " + ms +
                          " examples; Y must be " +
                          (softmax ? "(1, " + ms + ") class indices or (" + std::to_string(sizes_.back()) + ", " + ms +
                                         ") one-hot or soft labels"
                                   : "(" + std::to_string(sizes_.back()) + ", " + ms + ")"));
    }
}

var mlp::hidden_layer(const var& W, const var& A, const var& b) const {
    switch (options_.hidden) {
        case activation::relu: return linear_relu(W, A, b);  // fused: one pass over Z
        case activation::tanh: return tapegrad::tanh(linear(W, A, b));
        case activation::leaky_relu: return leaky_relu(linear(W, A, b), options_.negative_slope);
        case activation::elu: return elu(linear(W, A, b), options_.alpha);
    }
    throw value_error("mlp: unknown hidden activation");
}

matrix mlp::hidden_layer(const matrix& W, const matrix& A, const matrix& b) const {
    switch (options_.hidden) {
        case activation::relu: return tapegrad::linear_relu(W, A, b);
        case activation::tanh: return tapegrad::tanh(tapegrad::linear(W, A, b));
        case activation::leaky_relu: return tapegrad::leaky_relu(tapegrad::linear(W, A, b), options_.negative_slope);
        case activation::elu: return tapegrad::elu(tapegrad::linear(W, A, b), options_.alpha);
    }
    throw value_error("mlp: unknown hidden activation");
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
        A = hidden_layer(t.watch(weight(l)), A, t.watch(bias(l)));
        if (drop) A = tapegrad::dropout(A, dropout.keep_prob, *dropout.rng);
    }
    return linear(t.watch(weight(depth())), A, t.watch(bias(depth())));
}

var mlp::cost(tape& t, const var& X, const var& Y, const cost_options& options, const dropout_options& dropout) {
    check_inputs(X.value(), Y.value(), "mlp::cost");
    var Z = logits(t, X, dropout);
    if (options_.output != output_kind::sigmoid && options.loss == loss_kind::sigmoid_bce) {
        throw value_error("mlp::cost: loss_kind::sigmoid_bce is a sigmoid output's loss, but this network's output is " +
                          to_string(options_.output) + " (its loss is " +
                          (options_.output == output_kind::softmax ? "softmax_cross_entropy" : "mse_loss") + ")");
    }
    var J = options_.output == output_kind::softmax    ? softmax_cross_entropy(Z, Y)
            : options_.output == output_kind::identity ? mse_loss(Z, Y)
            : options.loss == loss_kind::sigmoid_bce   ? sigmoid_binary_cross_entropy(Z, Y)
                                                       : binary_cross_entropy_with_logits(Z, Y);
    if (options.lambda != 0.0) {
        // Kept per thread, not per model: cost() may run on several threads at
        // once (the gradient checker's workers), and a training step should not allocate.
        thread_local std::vector<var> weights;
        weights.clear();
        for (std::size_t l = 1; l <= depth(); ++l) weights.push_back(t.watch(weight(l)));
        const std::size_t m = options.penalty_examples != 0 ? options.penalty_examples : X.value().shape()[1];
        J = J + l2_penalty(weights, options.lambda, static_cast<double>(m));
    }
    return J;
}

matrix mlp::output_logits(const matrix& X, const char* where) const {
    check_inputs(X, where);
    matrix A = X;
    for (std::size_t l = 1; l < depth(); ++l) A = hidden_layer(weight(l).value(), A, bias(l).value());
    return tapegrad::linear(weight(depth()).value(), A, bias(depth()).value());
}

matrix mlp::predict_proba(const matrix& X) const {
    matrix Z = output_logits(X, "mlp::predict_proba");
    switch (options_.output) {
        case output_kind::sigmoid: return tapegrad::sigmoid(Z);
        case output_kind::softmax: return tapegrad::softmax(Z);
        case output_kind::identity: break;
    }
    return Z;
}

matrix mlp::predict(const matrix& X) const {
    if (options_.output == output_kind::softmax) {
        // The arg-max of the logits is softmax's: it is increasing in each logit.
        const matrix Z = output_logits(X, "mlp::predict");
        matrix classes = matrix::from_shape({1, Z.shape()[1]});
        for (std::size_t j = 0; j < Z.shape()[1]; ++j) classes(0, j) = static_cast<double>(argmax_row(Z, j));
        return classes;
    }
    matrix p = predict_proba(X);
    if (options_.output == output_kind::sigmoid) {
        for (double& v : p) v = v > 0.5 ? 1.0 : 0.0;
    }
    return p;
}

double mlp::accuracy(const matrix& X, const matrix& Y) const {
    if (options_.output == output_kind::identity) {
        throw value_error("mlp::accuracy: an identity (regression) output has no accuracy; compare predict(X) with "
                          "the targets, e.g. by mse_loss");
    }
    check_inputs(X, Y, "mlp::accuracy");
    const matrix p = predict(X);
    std::size_t right = 0;
    if (options_.output == output_kind::softmax && Y.shape()[0] == 1) {
        const double K = static_cast<double>(sizes_.back());
        for (std::size_t j = 0; j < p.size(); ++j) {
            const double y = Y(0, j);
            // !(y >= 0) also refuses NaN: a label no prediction can match is a mistake, not a miss.
            if (!(y >= 0.0) || y >= K || y != std::floor(y)) {
                throw value_error("mlp::accuracy: the label of example " + std::to_string(j + 1) + " is " +
                                  number_text(y) + "; class labels must be whole numbers from 0 to " +
                                  std::to_string(sizes_.back() - 1));
            }
            right += p(0, j) == y;
        }
    } else if (options_.output == output_kind::softmax) {
        for (std::size_t j = 0; j < p.size(); ++j) right += p(0, j) == static_cast<double>(argmax_row(Y, j));
    } else {
        for (std::size_t k = 0; k < p.size(); ++k) right += p.data()[k] == Y.data()[k];
    }
    return static_cast<double>(right) / static_cast<double>(p.size());
}

}  // namespace tapegrad
