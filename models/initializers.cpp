#include <tapegrad/models/initializers.hpp>

#include <cmath>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/random_state.hpp>
#include <tapegrad/ops/arithmetic.hpp>

namespace tapegrad {

namespace {

const std::pair<initialization, const char*> names[] = {{initialization::zeros, "zeros"},
                                                         {initialization::random, "random"},
                                                         {initialization::he, "he"},
                                                         {initialization::xavier, "xavier"},
                                                         {initialization::scaled, "scaled"}};

}  // namespace

std::string to_string(initialization method) {
    for (const auto& [m, name] : names) {
        if (m == method) return name;
    }
    return "unknown";
}

initialization initialization_from_string(const std::string& name) {
    for (const auto& [m, n] : names) {
        if (name == n) return m;
    }
    throw value_error("unknown initialization '" + name + "'; expected zeros, random, he, xavier or scaled");
}

void check_layer_sizes(const std::vector<std::size_t>& layer_sizes, const char* where) {
    if (layer_sizes.size() < 2) {
        throw value_error(std::string(where) + ": a network needs at least 2 layer sizes (inputs and outputs), got " +
                          std::to_string(layer_sizes.size()));
    }
    for (std::size_t l = 0; l < layer_sizes.size(); ++l) {
        if (layer_sizes[l] == 0) {
            throw value_error(std::string(where) + ": layer " + std::to_string(l) + " has size 0; every layer needs at "
                              "least one unit");
        }
    }
}

named_matrices initialize_parameters(const std::vector<std::size_t>& layer_sizes, initialization method,
                                     std::int64_t seed, double random_scale) {
    check_layer_sizes(layer_sizes, "initialize_parameters");
    if (method == initialization::random && !std::isfinite(random_scale)) {
        throw value_error("initialize_parameters: the random scale must be finite, got " + std::to_string(random_scale));
    }
    random_state rng(seed);
    named_matrices p;
    for (std::size_t l = 1; l < layer_sizes.size(); ++l) {
        const std::size_t n = layer_sizes[l], n_prev = layer_sizes[l - 1];
        const double fan_in = static_cast<double>(n_prev);
        matrix W;
        switch (method) {
            case initialization::zeros: W = make_matrix(n, n_prev, 0.0); break;
            case initialization::random: W = mul_scalar(rng.randn(n, n_prev), random_scale); break;
            case initialization::he: W = mul_scalar(rng.randn(n, n_prev), std::sqrt(2.0 / fan_in)); break;
            case initialization::xavier: W = mul_scalar(rng.randn(n, n_prev), std::sqrt(1.0 / fan_in)); break;
            case initialization::scaled: W = div_scalar(rng.randn(n, n_prev), std::sqrt(fan_in)); break;
        }
        p.emplace_back("W" + std::to_string(l), std::move(W));
        p.emplace_back("b" + std::to_string(l), make_matrix(n, 1, 0.0));
    }
    return p;
}

}  // namespace tapegrad
