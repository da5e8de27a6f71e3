#include <tapegrad/models/initializers.hpp>

#include <cmath>
#include <cstdint>
#include <new>

#include <unistd.h>

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
    // A weight matrix's element count must fit a matrix (xtensor computes offsets
    // in signed arithmetic): refused here, before anything overflows.
    const std::size_t max_elements = static_cast<std::size_t>(PTRDIFF_MAX) / sizeof(double);
    for (std::size_t l = 1; l < layer_sizes.size(); ++l) {
        std::size_t elements = 0;
        if (__builtin_mul_overflow(layer_sizes[l], layer_sizes[l - 1], &elements) || elements > max_elements) {
            throw value_error(std::string(where) + ": layer " + std::to_string(l) + "'s weights would be a " +
                              std::to_string(layer_sizes[l]) + " x " + std::to_string(layer_sizes[l - 1]) +
                              " matrix, more elements than a matrix can hold");
        }
    }
    // More bytes than the machine has is refused before trying: an allocation
    // that large fails at best, and under a sanitizer aborts.
    double bytes = 0.0;
    for (std::size_t l = 1; l < layer_sizes.size(); ++l) {
        bytes += 8.0 * static_cast<double>(layer_sizes[l]) * static_cast<double>(layer_sizes[l - 1] + 1);
    }
    const double memory = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGESIZE));
    if (memory > 0.0 && bytes > memory) {
        throw value_error(std::string(where) + ": the parameters of these layer sizes need " +
                          std::to_string(bytes / 1e9) + " GB, more than this machine's memory (" +
                          std::to_string(memory / 1e9) + " GB)");
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
    try {
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
    } catch (const std::bad_alloc&) {
        double total = 0.0;
        for (std::size_t l = 1; l < layer_sizes.size(); ++l) {
            total += static_cast<double>(layer_sizes[l]) * static_cast<double>(layer_sizes[l - 1] + 1);
        }
        throw value_error("initialize_parameters: the network's parameters need " + std::to_string(total * 8.0 / 1e9) +
                          " GB, which cannot be allocated here");
    }
    return p;
}

}  // namespace tapegrad
