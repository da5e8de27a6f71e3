#include "problems.hpp"

#include <sstream>
#include <stdexcept>

#include <tapegrad/data/make_circles.hpp>
#include <tapegrad/course/course_data.hpp>
#include <tapegrad/framework/random_state.hpp>

namespace tapegrad::bench {

const std::vector<size_spec>& size_specs() {
    static const std::vector<size_spec> specs = {
        {"S1", {2, 10, 5, 1}, 300, "the course's circles (course_circles().train)", initialization::he, 3, 0.0, 0.01},
        {"S2", {2, 20, 3, 1}, 211, "generated_field().train", initialization::scaled, 3, 0.7, 0.3},
        {"S3", {784, 256, 256, 1}, 512, "random_state(0): X = rand(784, 512), Y = rand(1, 512) < 0.5",
         initialization::he, 3, 0.0, 0.01},
        // Not an mlp: tanh layers, a skip connection and the loss from the logits, in plain ops.
        {"S4", {2, 16, 16, 1}, 300, "the course's moons (course_moons())", initialization::he, 3, 0.0, 0.1, 0,
         network_kind::tanh_skip},
        // The optimization exercise: a step is an epoch, 5 batches (64 x 4, 44).
        {"S5", {2, 5, 2, 1}, 300, "the course's moons (course_moons())", initialization::he, 3, 0.0, 0.0007, 64},
    };
    return specs;
}

const size_spec& find_size(const std::string& name) {
    for (const size_spec& s : size_specs()) {
        if (s.name == name) return s;
    }
    throw std::invalid_argument("unknown size '" + name + "'");
}

std::string describe(const size_spec& s) {
    std::ostringstream o;
    o << "[";
    for (std::size_t i = 0; i < s.layer_sizes.size(); ++i) o << (i ? ", " : "") << s.layer_sizes[i];
    o << "]";
    if (s.network == network_kind::tanh_skip) o << " tanh with a skip connection (h2 = tanh(W2 h1 + b2) + h1)";
    o << ", " << s.examples << " examples of " << s.data << "; " << to_string(s.init) << " initialization (seed "
      << s.seed << "); ";
    o << (s.network == network_kind::tanh_skip ? "binary_cross_entropy_with_logits (mean)" : "the course's loss");
    if (s.lambda > 0.0) o << " + L2 (lambda " << s.lambda << ")";
    if (s.batch_size > 0) {
        o << "; one epoch of Adam (lr " << s.learning_rate << ") on shuffled mini-batches of " << s.batch_size;
    } else {
        o << "; learning rate " << s.learning_rate;
    }
    return o.str();
}

problem make_problem(const size_spec& spec) {
    problem p;
    p.spec = spec;
    if (spec.name == "S1") {
        dataset d = course_circles().train;
        p.X = std::move(d.X);
        p.Y = std::move(d.Y);
    } else if (spec.name == "S2") {
        dataset d = generated_field().train;
        p.X = std::move(d.X);
        p.Y = std::move(d.Y);
    } else if (spec.name == "S4" || spec.name == "S5") {
        dataset d = course_moons();
        p.X = std::move(d.X);
        p.Y = std::move(d.Y);
    } else {
        random_state rng(0);
        p.X = rng.rand(spec.layer_sizes.front(), spec.examples);
        p.Y = rng.rand(1, spec.examples);
        for (double& y : p.Y) y = y < 0.5 ? 1.0 : 0.0;
    }
    if (spec.batch_size > 0 && spec.lambda != 0.0) {
        throw std::logic_error("benchmark size " + spec.name + ": the mini-batch epoch has no L2 term");
    }
    if (spec.network == network_kind::tanh_skip) {
        const std::vector<std::size_t>& n = spec.layer_sizes;
        if (n.size() != 4 || n[1] != n[2] || n[3] != 1 || spec.batch_size != 0 || spec.lambda != 0.0) {
            throw std::logic_error("benchmark size " + spec.name +
                                   ": the skip network needs [n_x, n, n, 1], full batch and no L2 term");
        }
    }
    if (p.X.shape()[0] != spec.layer_sizes.front() || p.X.shape()[1] != spec.examples) {
        throw std::logic_error("benchmark size " + spec.name + ": the data has shape " + shape_string(p.X));
    }
    p.params = initialize_parameters(spec.layer_sizes, spec.init, spec.seed);
    return p;
}

namespace {

matrix_view view_of(const matrix& m) { return {m.data(), m.shape()[0], m.shape()[1]}; }

void numpy_permutation(std::int64_t seed, std::size_t m, std::size_t* order) {
    random_state rng(seed);
    rng.permutation(m, order);
}

}  // namespace

problem_view problem::view() const {
    problem_view v;
    v.name = spec.name;
    v.network = spec.network;
    v.layer_sizes = spec.layer_sizes;
    v.X = view_of(X);
    v.Y = view_of(Y);
    for (std::size_t k = 0; k < params.size(); ++k) (k % 2 == 0 ? v.W : v.b).push_back(view_of(params[k].second));
    v.lambda = spec.lambda;
    v.learning_rate = spec.learning_rate;
    v.batch_size = spec.batch_size;
    v.permutation = numpy_permutation;
    return v;
}

}  // namespace tapegrad::bench
