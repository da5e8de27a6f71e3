// The benchmark sizes. Building one makes its data and initial weights
// (the same for every implementation); describing one costs nothing.
#pragma once

#include <string>
#include <vector>

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/models/named_matrices.hpp>
#include <tapegrad/models/initializers.hpp>

#include "implementation.hpp"

namespace tapegrad::bench {

struct size_spec {
    std::string name;                      // "S1", "S2", ...
    std::vector<std::size_t> layer_sizes;
    std::size_t examples = 0;
    std::string data;                      // where X and Y come from
    initialization init = initialization::he;
    std::int64_t seed = 3;
    double lambda = 0.0;
    double learning_rate = 0.01;
    std::size_t batch_size = 0;  // > 0: a step is an epoch of Adam on mini-batches of this size
    network_kind network = network_kind::relu_mlp;
};

// S1, S2, S3, S4, S5 in order.
const std::vector<size_spec>& size_specs();
const size_spec& find_size(const std::string& name);  // throws std::invalid_argument

// "[2, 10, 5, 1], 300 examples, circles, he (seed 3), course loss, lr 0.01"
std::string describe(const size_spec& s);

// The data and initial parameters of one size.
struct problem {
    size_spec spec;
    matrix X;
    matrix Y;
    named_matrices params;  // W1, b1, W2, b2, ...

    problem_view view() const;
};

problem make_problem(const size_spec& spec);

}  // namespace tapegrad::bench
