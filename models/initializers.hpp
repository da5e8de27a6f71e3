// Weight initializations: seed a numpy-compatible generator once, then draw
// the layers in order, as numpy code does (so numpy's initial weights are
// reproduced bit for bit). Biases are always zeros (n_l, 1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <tapegrad/models/named_matrices.hpp>

namespace tapegrad {

enum class initialization {
    zeros,   // W_l = 0: fails to break symmetry
    random,  // W_l = randn(n_l, n_{l-1}) * scale
    he,      // W_l = randn(n_l, n_{l-1}) * sqrt(2 / n_{l-1})
    xavier,  // W_l = randn(n_l, n_{l-1}) * sqrt(1 / n_{l-1})
    scaled,  // W_l = randn(n_l, n_{l-1}) / sqrt(n_{l-1}): xavier's scale, divided (other rounding)
};

// "zeros", "random", "he", "xavier", "scaled"; and back (throws value_error for an unknown name).
std::string to_string(initialization method);
initialization initialization_from_string(const std::string& name);

// W1, b1, W2, b2, ... for the layer sizes {n_x, n_1, ..., n_L}, drawn from a
// numpy-compatible generator seeded with `seed`.
named_matrices initialize_parameters(const std::vector<std::size_t>& layer_sizes, initialization method,
                                     std::int64_t seed = 3, double random_scale = 10.0);

// Throws value_error unless there are at least 2 sizes and none is 0.
void check_layer_sizes(const std::vector<std::size_t>& layer_sizes, const char* where);

}  // namespace tapegrad
