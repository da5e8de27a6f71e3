#include <tapegrad/framework/op_check.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/tape.hpp>

namespace tapegrad {

namespace {

// A uniform double in [0, 1) from the top 53 bits: the same on every platform,
// unlike std::uniform_real_distribution.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

bool bitwise_equal(const matrix& a, const matrix& b) {
    return shape_of(a) == shape_of(b) && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// J = sum(y * R) for a constant R: the weighting that makes every output
// element's gradient count differently. A primitive of the checker's own, so
// the framework needs no op of ops/; its backward is dJ/dy = G R.
void weighted_sum_forward(forward_context& f) {
    const matrix& y = f.input(0);
    const matrix& r = f.input(1);
    if (shape_of(y) != shape_of(r)) {
        throw shape_error("check_op: the op's output has shape " + shape_string(y) + " but its weights " +
                          shape_string(r));
    }
    double s = 0.0;
    for (std::size_t k = 0; k < y.size(); ++k) s += y.data()[k] * r.data()[k];
    ensure_shape(f.output(), {1, 1});
    f.output()(0, 0) = s;
}

void weighted_sum_backward(backward_context& c) {
    const double g = c.grad()(0, 0);
    const double* r = c.input(1).data();
    c.contribute(0, [&](std::size_t k) { return g * r[k]; });
}

const op_descriptor weighted_sum_op{"check_op_weighted_sum", 2, {input_domain::any, input_domain::zero_one},
                                    weighted_sum_forward, weighted_sum_backward, {}};

std::string shape_list(const std::vector<shape2>& shapes) {
    std::string s;
    for (const shape2& x : shapes) s += (s.empty() ? "" : " x ") + to_string(x);
    return s;
}

}  // namespace

matrix random_input(input_domain domain, shape2 shape, std::mt19937_64& rng, std::size_t classes) {
    if (domain == input_domain::class_index && classes == 0) {
        throw value_error("random_input: the class_index domain needs the number of classes K, got 0");
    }
    matrix m = make_matrix(shape);
    for (double& x : m) {
        const double u = uniform01(rng);
        switch (domain) {
            case input_domain::any: x = 4.0 * u - 2.0; break;
            case input_domain::positive: x = 0.5 + 1.5 * u; break;
            case input_domain::probability: x = 0.05 + 0.9 * u; break;
            case input_domain::zero_one: x = u < 0.5 ? 0.0 : 1.0; break;
            case input_domain::class_index:
                x = std::min(std::floor(u * static_cast<double>(classes)), static_cast<double>(classes - 1));
                break;
            case input_domain::distribution: x = 0.05 + 0.95 * u; break;  // normalized below
            case input_domain::away_from_zero: {
                const double magnitude = 0.5 + 1.5 * uniform01(rng);
                x = u < 0.5 ? -magnitude : magnitude;
                break;
            }
        }
    }
    if (domain == input_domain::distribution) {  // each column divided by its sum
        for (std::size_t j = 0; j < shape.cols; ++j) {
            double s = 0.0;
            for (std::size_t i = 0; i < shape.rows; ++i) s += m(i, j);
            for (std::size_t i = 0; i < shape.rows; ++i) m(i, j) /= s;
        }
    }
    return m;
}

std::vector<matrix> random_inputs(const op_descriptor& d, const shape_case& shapes, std::mt19937_64& rng) {
    std::vector<matrix> values;
    for (std::size_t i = 0; i < d.arity; ++i) {
        values.push_back(random_input(d.domains[i], shapes[i], rng, shapes[0].rows));
    }
    return values;
}

std::string op_case_result::describe(bool with_scalars) const {
    std::ostringstream s;
    s << shape_list(shapes);
    if (with_scalars) {
        // The scalars up to the last non-zero one: "scalar 0.1", "scalars 1, 2".
        const std::size_t n = scalars[1] != 0.0 ? 2 : 1;
        s << (n == 1 ? ", scalar " : ", scalars ") << scalars[0];
        if (n == 2) s << ", " << scalars[1];
    }
    return s.str();
}

bool op_check_report::passed() const {
    for (const op_case_result& c : cases) {
        if (!c.passed()) return false;
    }
    return !cases.empty();
}

std::string op_check_report::to_string() const {
    std::ostringstream s;
    for (const op_case_result& c : cases) {
        s << op << " at " << c.describe(has_scalar_cases) << ": " << (c.passed() ? "passed" : "FAILED")
          << ", difference " << c.report.difference << (c.values_agree ? "" : "; evaluate_op differs from the recorded value")
          << "\n";
        if (!c.report.passed) s << c.report.to_string();
    }
    return s.str();
}

op_case_result check_op_case(const op_descriptor& d, const shape_case& shapes, const scalar_case& scalars,
                             std::uint64_t seed, const gradient_check_options& options) {
    std::mt19937_64 rng(seed);
    op_case_result result;
    result.scalars = scalars;
    // One parameter per input, named a, b, c; inputs of a constant domain (labels, masks) are constants.
    const std::vector<matrix> values = random_inputs(d, shapes, rng);
    std::vector<parameter> inputs;
    for (std::size_t i = 0; i < d.arity; ++i) {
        result.shapes.push_back(shapes[i]);
        inputs.emplace_back(std::string(1, static_cast<char>('a' + i)), values[i]);
    }
    std::vector<parameter*> params;
    for (std::size_t i = 0; i < d.arity; ++i) {
        if (!is_constant_domain(d.domains[i])) params.push_back(&inputs[i]);
    }
    if (params.empty()) throw value_error(std::string("check_op: op '") + d.name + "' has no differentiable input");

    // The op on the tape with these inputs; its value against evaluate_op's.
    auto apply = [&](tape& t) {
        std::vector<var> x;
        for (std::size_t i = 0; i < d.arity; ++i) {
            x.push_back(is_constant_domain(d.domains[i]) ? t.reference(inputs[i].value()) : t.watch(inputs[i]));
        }
        switch (d.arity) {
            case 1: return record_op(d, {x[0]}, scalars);
            case 2: return record_op(d, {x[0], x[1]}, scalars);
            default: return record_op(d, {x[0], x[1], x[2]}, scalars);
        }
    };
    matrix evaluated;
    switch (d.arity) {
        case 1: evaluated = evaluate_op(d, {values[0]}, scalars); break;
        case 2: evaluated = evaluate_op(d, {values[0], values[1]}, scalars); break;
        default: evaluated = evaluate_op(d, {values[0], values[1], values[2]}, scalars); break;
    }
    {
        tape t;
        result.values_agree = bitwise_equal(apply(t).value(), evaluated);
    }
    const matrix weights = random_input(input_domain::any, shape_of(evaluated), rng);
    auto f = [&](tape& t) { return record_op(weighted_sum_op, {apply(t), t.reference(weights)}); };
    result.report = check_gradients(f, params, options);
    return result;
}

op_check_report check_op(const op_descriptor& d, const op_check_options& options) {
    if (d.test_shapes.empty()) {
        throw value_error(std::string("check_op: op '") + d.name + "' lists no test shapes in its descriptor");
    }
    op_check_report r;
    r.op = d.name;
    r.has_scalar_cases = !d.test_scalars.empty();
    static constexpr scalar_case no_scalars[] = {{}};
    const array_view<scalar_case> scalar_cases = d.test_scalars.empty() ? array_view<scalar_case>(no_scalars)
                                                                        : d.test_scalars;
    std::uint64_t seed = options.seed;
    for (const scalar_case& scalars : scalar_cases) {
        for (const shape_case& shapes : d.test_shapes) {
            r.cases.push_back(check_op_case(d, shapes, scalars, seed++, options.gradient));
        }
    }
    return r;
}

}  // namespace tapegrad
