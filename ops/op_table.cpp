#include <tapegrad/ops/op_table.hpp>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/parameter.hpp>
#include <tapegrad/framework/tape.hpp>
#include <tapegrad/ops/activations.hpp>
#include <tapegrad/ops/arithmetic.hpp>
#include <tapegrad/ops/dropout.hpp>
#include <tapegrad/ops/elementwise_math.hpp>
#include <tapegrad/ops/linear_algebra.hpp>
#include <tapegrad/ops/losses.hpp>
#include <tapegrad/ops/reductions.hpp>
#include <tapegrad/ops/regularization.hpp>

namespace tapegrad {

namespace {

using shapes_list = std::vector<std::vector<shape2>>;

const shapes_list unary_shapes = {{{1, 1}}, {{3, 1}}, {{1, 4}}, {{3, 4}}};

// Equal shapes, each broadcast form on either side, and an outer broadcast.
const shapes_list broadcast_shapes = {
    {{3, 4}, {3, 4}}, {{3, 4}, {3, 1}}, {{3, 4}, {1, 4}}, {{3, 4}, {1, 1}}, {{3, 1}, {3, 4}},
    {{1, 4}, {3, 4}}, {{1, 1}, {3, 4}}, {{3, 1}, {1, 4}}, {{1, 1}, {1, 1}}};

// Predictions and labels of the same shape: one example, a row of examples, a block.
const shapes_list loss_shapes = {{{1, 1}, {1, 1}}, {{1, 5}, {1, 5}}, {{3, 4}, {3, 4}}};

const shapes_list matmul_shapes = {{{3, 4}, {4, 2}}, {{1, 3}, {3, 1}}, {{3, 1}, {1, 4}}, {{1, 1}, {1, 5}},
                                   {{2, 3}, {3, 5}}};

// A row for an op of one input.
template <class VarFn, class MatFn>
op_row unary(std::string name, input_domain domain, VarFn v, MatFn m) {
    return {std::move(name), 1, {domain}, [v](const std::vector<var>& x) { return v(x[0]); },
            [m](const std::vector<matrix>& x) { return m(x[0]); }, unary_shapes};
}

// A row for an op of two inputs.
template <class VarFn, class MatFn>
op_row binary(std::string name, input_domain d0, input_domain d1, VarFn v, MatFn m, shapes_list shapes) {
    return {std::move(name), 2, {d0, d1}, [v](const std::vector<var>& x) { return v(x[0], x[1]); },
            [m](const std::vector<matrix>& x) { return m(x[0], x[1]); }, std::move(shapes)};
}

// Overloaded functions need a lambda to pick the overload.
#define TAPEGRAD_UNARY(name, domain, expr)                                      \
    unary(name, domain, [](const var& a) { return expr; },                     \
          [](const matrix& a) { return expr; })
#define TAPEGRAD_BINARY(name, d0, d1, expr, shapes)                                   \
    binary(name, d0, d1, [](const var& a, const var& b) { return expr; },             \
           [](const matrix& a, const matrix& b) { return expr; }, shapes)

std::vector<op_row> make_table() {
    using d = input_domain;
    return {
        TAPEGRAD_BINARY("matmul", d::any, d::any, matmul(a, b), matmul_shapes),
        op_row{"linear", 3, {d::any, d::any, d::any},
               [](const std::vector<var>& x) { return linear(x[0], x[1], x[2]); },
               [](const std::vector<matrix>& x) { return linear(x[0], x[1], x[2]); },
               {{{3, 4}, {4, 5}, {3, 1}}, {{1, 3}, {3, 2}, {1, 1}}, {{2, 2}, {2, 6}, {1, 1}}, {{4, 1}, {1, 3}, {4, 1}}}},
        op_row{"linear_relu", 3, {d::any, d::any, d::any},
               [](const std::vector<var>& x) { return linear_relu(x[0], x[1], x[2]); },
               [](const std::vector<matrix>& x) { return linear_relu(x[0], x[1], x[2]); },
               {{{3, 4}, {4, 5}, {3, 1}}, {{1, 3}, {3, 2}, {1, 1}}, {{4, 2}, {2, 6}, {4, 1}}}},
        TAPEGRAD_BINARY("add", d::any, d::any, add(a, b), broadcast_shapes),
        TAPEGRAD_BINARY("sub", d::any, d::any, sub(a, b), broadcast_shapes),
        TAPEGRAD_BINARY("mul", d::any, d::any, mul(a, b), broadcast_shapes),
        TAPEGRAD_BINARY("div", d::any, d::away_from_zero, div(a, b), broadcast_shapes),
        TAPEGRAD_UNARY("neg", d::any, neg(a)),
        TAPEGRAD_UNARY("add_scalar", d::any, add_scalar(a, 0.7)),
        TAPEGRAD_UNARY("mul_scalar", d::any, mul_scalar(a, -1.3)),
        TAPEGRAD_UNARY("div_scalar", d::any, div_scalar(a, 2.5)),
        TAPEGRAD_UNARY("rsub_scalar", d::any, rsub_scalar(1.5, a)),
        TAPEGRAD_UNARY("rdiv_scalar", d::away_from_zero, rdiv_scalar(1.5, a)),
        TAPEGRAD_UNARY("transpose", d::any, transpose(a)),
        TAPEGRAD_UNARY("sum", d::any, sum(a)),
        TAPEGRAD_UNARY("sum_axis0", d::any, sum(a, 0)),
        TAPEGRAD_UNARY("sum_axis1", d::any, sum(a, 1)),
        TAPEGRAD_UNARY("mean", d::any, mean(a)),
        TAPEGRAD_UNARY("mean_axis0", d::any, mean(a, 0)),
        TAPEGRAD_UNARY("mean_axis1", d::any, mean(a, 1)),
        TAPEGRAD_UNARY("relu", d::away_from_zero, relu(a)),
        TAPEGRAD_UNARY("sigmoid", d::any, sigmoid(a)),
        TAPEGRAD_UNARY("tanh", d::any, tanh(a)),
        TAPEGRAD_UNARY("exp", d::any, exp(a)),
        TAPEGRAD_UNARY("log", d::positive, log(a)),
        TAPEGRAD_UNARY("square", d::any, square(a)),
        TAPEGRAD_UNARY("sqrt", d::positive, sqrt(a)),
        TAPEGRAD_BINARY("binary_cross_entropy", d::probability, d::labels, binary_cross_entropy(a, b),
                        loss_shapes),
        TAPEGRAD_BINARY("binary_cross_entropy_with_logits", d::any, d::labels,
                        binary_cross_entropy_with_logits(a, b), loss_shapes),
        TAPEGRAD_BINARY("sigmoid_binary_cross_entropy", d::any, d::labels, sigmoid_binary_cross_entropy(a, b),
                        loss_shapes),
        TAPEGRAD_BINARY("l2_penalty", d::any, d::any, l2_penalty({a, b}, 0.7, 5.0),
                        shapes_list({{{3, 2}, {1, 3}}, {{1, 1}, {2, 2}}})),
        // Reseeded on every call, so the mask is the same for every perturbed
        // evaluation of the gradient check (as the course reseeds each iteration).
        unary("dropout", d::any,
              [](const var& a) {
                  random_state rng(7);
                  return dropout(a, 0.8, rng);
              },
              [](const matrix& a) {
                  random_state rng(7);
                  return dropout(a, 0.8, rng);
              }),
    };
}

#undef TAPEGRAD_UNARY
#undef TAPEGRAD_BINARY

// A uniform double in [0, 1) from the top 53 bits: the same on every platform,
// unlike std::uniform_real_distribution.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

}  // namespace

const std::vector<op_row>& op_table() {
    static const std::vector<op_row> table = make_table();
    return table;
}

matrix random_input(input_domain domain, shape2 shape, std::mt19937_64& rng) {
    matrix m = make_matrix(shape);
    for (double& x : m) {
        const double u = uniform01(rng);
        switch (domain) {
            case input_domain::any: x = 4.0 * u - 2.0; break;
            case input_domain::positive: x = 0.5 + 1.5 * u; break;
            case input_domain::probability: x = 0.05 + 0.9 * u; break;
            case input_domain::labels: x = u < 0.5 ? 0.0 : 1.0; break;
            case input_domain::away_from_zero: {
                const double magnitude = 0.5 + 1.5 * uniform01(rng);
                x = u < 0.5 ? -magnitude : magnitude;
                break;
            }
        }
    }
    return m;
}

gradient_report check_op(const op_row& row, const std::vector<shape2>& shapes, std::uint64_t seed,
                         const gradient_check_options& options) {
    if (shapes.size() != row.arity) {
        throw value_error("check_op: op '" + row.name + "' takes " + std::to_string(row.arity) + " inputs, got " +
                          std::to_string(shapes.size()) + " shapes");
    }
    std::mt19937_64 rng(seed);
    // One parameter per input; labels are held constant.
    std::vector<parameter> inputs;
    std::vector<matrix> values;
    for (std::size_t i = 0; i < row.arity; ++i) {
        values.push_back(random_input(row.domains[i], shapes[i], rng));
        inputs.emplace_back(std::string(1, static_cast<char>('a' + i)), values.back());
    }
    const matrix out = row.evaluate(values);
    const matrix weights = random_input(input_domain::any, shape_of(out), rng);
    std::vector<parameter*> params;
    for (std::size_t i = 0; i < row.arity; ++i) {
        if (row.domains[i] != input_domain::labels) params.push_back(&inputs[i]);
    }
    auto f = [&](tape& t) {
        std::vector<var> x;
        for (std::size_t i = 0; i < row.arity; ++i) {
            x.push_back(row.domains[i] == input_domain::labels ? t.reference(inputs[i].value) : t.watch(inputs[i]));
        }
        return sum(mul(row.apply(x), t.reference(weights)));
    };
    return check_gradients(f, params, options);
}

}  // namespace tapegrad
