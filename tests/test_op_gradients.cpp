// The generated op test: every op the library declares (builtin_ops) passes
// check_op at every test case of its descriptor, its recorded value equals its
// evaluated one, and its public functions record the descriptor's name. The
// composite ops (l2_penalty, dropout with a generator) are checked here too.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/tapegrad.hpp>
#include <xtensor/xio.hpp>

#include "test_support.hpp"

using namespace tapegrad;

namespace {

const op_descriptor* find_op(const std::string& name) {
    for (const op_descriptor* d : builtin_ops()) {
        if (d->name == name) return d;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("every declared op is well formed, once", "[op_gradients]") {
    REQUIRE_FALSE(builtin_ops().empty());
    std::vector<std::string> names;
    for (const op_descriptor* d : builtin_ops()) {
        CAPTURE(d->name);
        CHECK(d->arity >= 1);
        CHECK(d->arity <= max_op_inputs);
        CHECK(d->forward != nullptr);
        CHECK(d->backward != nullptr);
        CHECK_FALSE(d->test_shapes.empty());
        // At least one input is differentiated, so the test checks something.
        CHECK(std::any_of(d->domains.begin(), d->domains.begin() + static_cast<long>(d->arity),
                          [](input_domain x) { return !is_constant_domain(x); }));
        names.emplace_back(d->name);
    }
    // One descriptor per op: a duplicated name would hide one of them in reports.
    std::sort(names.begin(), names.end());
    CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
}

TEST_CASE("the declared ops include every core op", "[op_gradients]") {
    for (const char* name : {"matmul", "linear", "linear_relu", "transpose", "add", "sub", "mul", "div", "neg",
                             "add_scalar", "mul_scalar", "div_scalar", "rsub_scalar", "rdiv_scalar", "sum",
                             "sum_axis", "mean", "mean_axis", "relu", "sigmoid", "tanh", "exp", "log", "square",
                             "sqrt", "binary_cross_entropy", "binary_cross_entropy_with_logits",
                             "sigmoid_binary_cross_entropy", "dropout"}) {
        CAPTURE(name);
        CHECK(find_op(name) != nullptr);
    }
}

TEST_CASE("every broadcasting binary op is tested with a column, a row and a scalar operand", "[op_gradients]") {
    for (const char* name : {"add", "sub", "mul", "div", "maximum", "minimum"}) {
        CAPTURE(name);
        const op_descriptor* d = find_op(name);
        REQUIRE(d != nullptr);
        REQUIRE(d->arity == 2);
        bool column = false, row_vector = false, scalar = false;
        for (const shape_case& s : d->test_shapes) {
            for (std::size_t i = 0; i < 2; ++i) {
                const shape2 mine = s[i], other = s[1 - i];
                // The operand really is broadcast: the other one is larger along that dimension.
                if (mine.rows > 1 && mine.cols == 1 && other.cols > 1) column = true;
                if (mine.rows == 1 && mine.cols > 1 && other.rows > 1) row_vector = true;
                if (mine == shape2{1, 1} && other.rows * other.cols > 1) scalar = true;
            }
        }
        CHECK(column);
        CHECK(row_vector);
        CHECK(scalar);
    }
}

TEST_CASE("every op passes its generated gradient test at every case", "[op_gradients][gradient]") {
    std::uint64_t seed = 1000;
    for (const op_descriptor* d : builtin_ops()) {
        op_check_options options;
        options.seed = seed;
        const op_check_report r = check_op(*d, options);
        seed += r.cases.size();
        INFO(r.to_string());
        CHECK(r.passed());
        // A check of an all-zero gradient passes vacuously: each op must show a
        // non-zero gradient in at least one case (a forward that ignores its
        // input would otherwise pass).
        bool informative = false;
        for (const op_case_result& c : r.cases) {
            informative = informative || c.report.gradient_norm > 0.0;
            CHECK(c.values_agree);
            CHECK(c.report.method == "full");
            // A full check of the differentiated inputs (named a, b, c by position;
            // constants of a constant domain are left out): 1 analytic + 2 to check the function
            // can be checked + 2 evaluations per scalar.
            REQUIRE_FALSE(c.report.parameters.empty());
            std::size_t scalars = 0;
            for (const parameter_difference& p : c.report.parameters) {
                REQUIRE(p.name.size() == 1);
                const std::size_t input = static_cast<std::size_t>(p.name[0] - 'a');
                REQUIRE(input < d->arity);
                CHECK_FALSE(is_constant_domain(d->domains[input]));
                scalars += c.shapes[input].rows * c.shapes[input].cols;
            }
            CHECK(c.report.evaluations == 3 + 2 * scalars);
        }
        CAPTURE(d->name);
        CHECK(informative);
    }
}

TEST_CASE("every op's value is finite on inputs from its domains", "[op_gradients]") {
    std::mt19937_64 rng(7);
    for (const op_descriptor* d : builtin_ops()) {
        for (const shape_case& shapes : d->test_shapes) {
            const std::vector<matrix> in = random_inputs(*d, shapes, rng);
            const scalar_case scalars = d->test_scalars.empty() ? scalar_case{} : *d->test_scalars.begin();
            const matrix out = d->arity == 1   ? evaluate_op(*d, {in[0]}, scalars)
                               : d->arity == 2 ? evaluate_op(*d, {in[0], in[1]}, scalars)
                                               : evaluate_op(*d, {in[0], in[1], in[2]}, scalars);
            INFO("op " << d->name << "\n" << out);
            CHECK(all_finite(out));
        }
    }
}

TEST_CASE("the public functions record their descriptor's name", "[op_gradients]") {
    const matrix m = {{0.5, 1.5}, {2.0, 0.25}};
    const matrix col = {{0.5}, {1.0}};
    const matrix y = {{0.0, 1.0}, {1.0, 0.0}};
    tape t;
    const var a = t.constant(m), b = t.constant(m), c = t.constant(col), labels = t.constant(y);
    random_state rng(1);
    const std::vector<std::pair<var, const op_descriptor*>> made = {
        {matmul(a, b), &matmul_op}, {linear(a, b, c), &linear_op}, {linear_relu(a, b, c), &linear_relu_op},
        {transpose(a), &transpose_op}, {a + b, &add_op}, {a - b, &sub_op}, {a * b, &mul_op}, {a / b, &div_op},
        {-a, &neg_op}, {a + 1.0, &add_scalar_op}, {a * 2.0, &mul_scalar_op}, {a / 2.0, &div_scalar_op},
        {1.0 - a, &rsub_scalar_op}, {1.0 / a, &rdiv_scalar_op}, {sum(a), &sum_op}, {sum(a, 0), &sum_axis_op},
        {mean(a), &mean_op}, {mean(a, 1), &mean_axis_op}, {relu(a), &relu_op}, {sigmoid(a), &sigmoid_op},
        {tanh(a), &tanh_op}, {exp(a), &exp_op}, {log(a), &log_op}, {square(a), &square_op}, {sqrt(a), &sqrt_op},
        {binary_cross_entropy(sigmoid(a), labels), &binary_cross_entropy_op},
        {binary_cross_entropy_with_logits(a, labels), &binary_cross_entropy_with_logits_op},
        {sigmoid_binary_cross_entropy(a, labels), &sigmoid_binary_cross_entropy_op},
        {dropout(a, 0.5, rng), &dropout_op}, {dropout(a, 0.5, y), &dropout_op}};
    for (const auto& [v, d] : made) CHECK(std::string(v.op()) == d->name);
}

TEST_CASE("l2_penalty, built from ops, passes the gradient check", "[op_gradients][gradient]") {
    std::mt19937_64 rng(3);
    for (const std::pair<shape2, shape2>& shapes : {std::pair<shape2, shape2>{{3, 2}, {1, 3}}, {{1, 1}, {2, 2}}}) {
        parameter a("a", random_input(input_domain::any, shapes.first, rng));
        parameter b("b", random_input(input_domain::any, shapes.second, rng));
        auto f = [&](tape& t) { return l2_penalty({t.watch(a), t.watch(b)}, 0.7, 5.0); };
        const gradient_report r = check_gradients(f, {&a, &b});
        INFO(r.to_string());
        CHECK(r.passed);
        CHECK(r.gradient_norm > 0.0);
    }
}

TEST_CASE("dropout with a generator passes the gradient check when reseeded inside the function",
          "[op_gradients][gradient]") {
    std::mt19937_64 rng(5);
    parameter a("a", random_input(input_domain::any, {3, 4}, rng));
    auto f = [&](tape& t) {
        random_state masks(7);  // the same mask for every evaluation
        return sum(dropout(t.watch(a), 0.8, masks) * t.constant(2.0));
    };
    const gradient_report r = check_gradients(f, {&a});
    INFO(r.to_string());
    CHECK(r.passed);
    CHECK(r.gradient_norm > 0.0);
}
