// gradient_checking: the course's gradient-checking exercise as a program.
//
//   1. the 1-D check of J(theta) = theta x;
//   2. the 3-layer network of the course (seed 1): its hand-written backward,
//      correct and with the course's two planted bugs, checked the course's way;
//      then the same network's autodiff gradients, checked fully and fast, and
//      the fast check catching a gradient made wrong on purpose.
//
// Every check goes to DIR/results.json. Exit status: 0 when every check came
// out as it should (the right gradients pass; the wrong ones fail and name
// their culprits), 1 when one did not, 2 on a usage or file error.
#include <cmath>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <tapegrad/course/course.hpp>
#include <tapegrad/data/staged_file.hpp>
#include <tapegrad/tapegrad.hpp>

#include "../common/output_files.hpp"
#include "../common/program.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // keeps W1, b1, W2, ... in the course's order
using tapegrad::gradient_report;
using tapegrad::matrix;
using tapegrad::named_matrices;
using tapegrad::var;

// printf into a std::string (the format attribute keeps -Wformat checking the calls).
__attribute__((format(printf, 1, 2))) std::string format(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    char buffer[512];
    std::vsnprintf(buffer, sizeof buffer, fmt, args);
    va_end(args);
    return buffer;
}

// ---- Options -------------------------------------------------------------------

struct options {
    std::string output_dir = "results/gradient_checking";
    bool quiet = false;
};

// The options, or the exit status when there is nothing more to do (--help,
// or a bad command line, which CLI11 reports before any work is done).
std::optional<int> parse_options(int argc, char** argv, options& opts) {
    CLI::App app{"The course's gradient-checking exercise: checks hand-written and autodiff gradients of the "
                 "course's 3-layer network and writes every result to DIR/results.json.",
                 "gradient_checking"};
    app.add_option("--output-dir", opts.output_dir, "Directory for results.json (created if missing)")
        ->type_name("DIR")
        ->capture_default_str();
    app.add_flag("--quiet", opts.quiet, "Print only the summary");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help prints the usage and exits 0; a bad command line gets CLI11's message and 2.
        return app.exit(e) == 0 ? 0 : 2;
    }
    return std::nullopt;
}

// ---- A check and the outcome it should have ------------------------------------

struct check {
    std::string name;   // its key in results.json
    std::string story;  // the course-style console text, printed unless --quiet
    gradient_report report;
    bool expected_to_pass = true;
    std::vector<std::string> expected_culprits;  // for a check meant to fail, in parameter order
    // For a failed check on a tape: the ops its tape audit must name (none for a
    // hand-written backward, which has no tape).
    std::vector<std::string> expected_faulty_ops;

    // A wrong gradient is only caught when the check also names exactly what is wrong.
    bool as_expected() const {
        if (expected_to_pass) return report.passed;
        return !report.passed && report.culprits() == expected_culprits &&
               report.faulty_ops() == expected_faulty_ops;
    }
};

// The course's verdict line for the N-D checks, then the full report.
std::string course_verdict(const gradient_report& r) {
    const char* verdict = r.passed ? "Your backward propagation works perfectly fine!"
                                   : "There is a mistake in the backward propagation!";
    return format("%s difference = %.10g\n", verdict, r.difference) + r.to_string();
}

// ---- 1. The 1-D check ------------------------------------------------------------

check one_dimensional_check() {
    const double x = 2.0, theta = 4.0;
    // The course judges the 1-D case against 1e-7 (its N-D threshold came later).
    const double threshold = 1e-7;
    check c;
    c.name = "one_dimensional";
    c.report = tapegrad::gradient_check_1d([x](double t) { return t * x; }, [x](double) { return x; }, theta,
                                           tapegrad::course_epsilon, threshold);
    c.story = format("1. 1-D check: J(theta) = theta * x, x = %g, theta = %g, epsilon = %g\n", x, theta,
                     tapegrad::course_epsilon) +
              format("%s difference = %.10g\n", c.report.passed ? "The gradient is correct!" : "The gradient is wrong!",
                     c.report.difference);
    return c;
}

// ---- 2. The course's N-D test case -------------------------------------------------

struct course_case {
    matrix x, y;
    named_matrices parameters;  // W1, b1, W2, b2, W3, b3
};

// numpy seed 1, then x, then every parameter, in the course's order of draws.
course_case make_course_case() {
    tapegrad::random_state rng(1);
    course_case c;
    c.x = rng.randn(4, 3);
    c.y = matrix{{1.0, 1.0, 0.0}};
    const std::pair<const char*, tapegrad::shape2> layout[] = {{"W1", {5, 4}}, {"b1", {5, 1}}, {"W2", {3, 5}},
                                                               {"b2", {3, 1}}, {"W3", {1, 3}}, {"b3", {1, 1}}};
    for (const auto& [name, shape] : layout) c.parameters.emplace_back(name, rng.randn(shape.rows, shape.cols));
    return c;
}

double course_cost_of(const course_case& c, const named_matrices& parameters) {
    return tapegrad::course_cost(tapegrad::course_forward(c.x, parameters).A3, c.y);
}

// np.int64(A > 0): the course's ReLU derivative, taken from the activation.
matrix positive(const matrix& a) {
    matrix m = a;
    for (double& v : m) v = v > 0.0 ? 1.0 : 0.0;
    return m;
}

// The course's backward_propagation_n, its two bugs included, in the course's
// order of floating-point operations so the difference comes out as the course's.
named_matrices buggy_backward(const matrix& X, const matrix& Y, const tapegrad::course_cache& cache,
                              const named_matrices& p) {
    const double m = static_cast<double>(X.shape()[1]);
    const matrix& W2 = tapegrad::find_named(p, "W2");
    const matrix& W3 = tapegrad::find_named(p, "W3");

    const matrix dZ3 = tapegrad::sub(cache.A3, Y);
    const matrix dW3 = tapegrad::mul_scalar(tapegrad::matmul(dZ3, tapegrad::transpose(cache.A2)), 1.0 / m);
    const matrix db3 = tapegrad::mul_scalar(tapegrad::sum(dZ3, 1), 1.0 / m);

    const matrix dA2 = tapegrad::matmul(tapegrad::transpose(W3), dZ3);
    const matrix dZ2 = tapegrad::mul(dA2, positive(cache.A2));
    const matrix dW2 = tapegrad::mul_scalar(
        tapegrad::mul_scalar(tapegrad::matmul(dZ2, tapegrad::transpose(cache.A1)), 1.0 / m), 2.0);  // bug: * 2
    const matrix db2 = tapegrad::mul_scalar(tapegrad::sum(dZ2, 1), 1.0 / m);

    const matrix dA1 = tapegrad::matmul(tapegrad::transpose(W2), dZ2);
    const matrix dZ1 = tapegrad::mul(dA1, positive(cache.A1));
    const matrix dW1 = tapegrad::mul_scalar(tapegrad::matmul(dZ1, tapegrad::transpose(X)), 1.0 / m);
    const matrix db1 = tapegrad::mul_scalar(tapegrad::sum(dZ1, 1), 4.0 / m);  // bug: 4/m instead of 1/m

    return {{"dW1", dW1}, {"db1", db1}, {"dW2", dW2}, {"db2", db2}, {"dW3", dW3}, {"db3", db3}};
}

// The course's gradient_check_n (epsilon 1e-7, threshold 2e-7) of hand-written gradients.
gradient_report course_check(const course_case& c, const named_matrices& gradients) {
    return tapegrad::gradient_check_n(
        c.parameters, gradients, [&c](const named_matrices& p) { return course_cost_of(c, p); },
        tapegrad::course_epsilon, tapegrad::course_threshold);
}

check correct_backward_check(const course_case& c) {
    check k;
    k.name = "n_dimensional_correct";
    k.report = course_check(c, tapegrad::course_backward(c.x, c.y, tapegrad::course_forward(c.x, c.parameters),
                                                         c.parameters));
    k.story = "2a. The course's backward, bugs fixed (epsilon 1e-7, threshold 2e-7)\n" + course_verdict(k.report);
    return k;
}

check buggy_backward_check(const course_case& c) {
    check k;
    k.name = "n_dimensional_buggy";
    k.expected_to_pass = false;
    k.expected_culprits = {"db1", "dW2"};
    k.report = course_check(c, buggy_backward(c.x, c.y, tapegrad::course_forward(c.x, c.parameters), c.parameters));
    k.story = "2b. The course's backward with its planted bugs (dW2 * 2, db1 with 4/m)\n" +
              course_verdict(k.report);
    const std::vector<std::string> culprits = k.report.culprits();
    k.story += "  parameters at fault:";
    for (const std::string& name : culprits) k.story += " " + name;
    k.story += culprits.empty() ? " none\n" : "\n";
    return k;
}

// ---- 2c, 2d. The same network by autodiff ------------------------------------------

// The course's network as a tapegrad::mlp holding the test case's parameters.
tapegrad::mlp make_model(const course_case& c) {
    tapegrad::mlp model({4, 5, 3, 1});
    model.set_parameter_values(c.parameters);
    return model;
}

// The course's cost, recorded on the tape: what every autodiff check differentiates.
tapegrad::scalar_function autodiff_cost(tapegrad::mlp& model, const course_case& c) {
    return [&model, &c](tapegrad::tape& t) {
        return model.cost(t, t.reference(c.x), t.reference(c.y), tapegrad::cost_options{tapegrad::loss_kind::sigmoid_bce});
    };
}

check autodiff_full_check(tapegrad::mlp& model, const course_case& c) {
    check k;
    k.name = "autodiff_full";
    k.report = tapegrad::check_gradients(autodiff_cost(model, c), model.parameters());
    k.story = format("2c. Autodiff gradients of the same network, full check (epsilon %g, threshold %g)\n",
                     k.report.epsilon, k.report.threshold) +
              course_verdict(k.report) +
              "  (a step of 1e-6 instead of the course's 1e-7 leaves less rounding noise in J+ - J-)\n";
    return k;
}

// How far the autodiff gradients are from the course's hand-written ones: per
// parameter max|autodiff - course| / max|course|, the worst over parameters.
double deviation_from_course_backward(tapegrad::mlp& model, const course_case& c) {
    tapegrad::tape t;
    t.backward(autodiff_cost(model, c)(t));
    const named_matrices course =
        tapegrad::course_backward(c.x, c.y, tapegrad::course_forward(c.x, c.parameters), c.parameters);
    const std::vector<tapegrad::parameter*> params = model.parameters();
    double worst = 0.0;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const matrix& a = params[i]->grad;
        const matrix& b = course[i].second;
        double error = 0.0, scale = 0.0;
        for (std::size_t k = 0; k < b.size(); ++k) {
            const double e = std::fabs(a.data()[k] - b.data()[k]);
            if (!(e <= error)) error = e;  // a NaN must show, not vanish as in fmax
            scale = std::fmax(scale, std::fabs(b.data()[k]));
        }
        const double relative = scale == 0.0 ? error : error / scale;
        if (!(relative <= worst)) worst = relative;  // keeps a NaN
    }
    return worst;
}

check autodiff_fast_check(tapegrad::mlp& model, const course_case& c) {
    check k;
    k.name = "autodiff_fast";
    k.report = tapegrad::check_gradients_fast(autodiff_cost(model, c), model.parameters());
    k.story = "2d. The same, fast check (a random direction: 2 evaluations instead of 2 per parameter)\n" +
              course_verdict(k.report);
    return k;
}

// A stand-in for a hand-written op with a wrong derivative: the identity
// forward, a backward that doubles the gradient. The cost's values stay right,
// so only a gradient check can notice.
void identity_forward(tapegrad::forward_context& f) { f.output() = f.input(0); }

void doubled_gradient_backward(tapegrad::backward_context& c) {
    const double* g = c.grad().data();
    c.contribute(0, [g](std::size_t k) { return 2.0 * g[k]; });
}

const tapegrad::op_descriptor with_doubled_gradient_op{
    "with_doubled_gradient", 1, {tapegrad::input_domain::any}, identity_forward, doubled_gradient_backward, {}};

var with_doubled_gradient(const var& a) { return tapegrad::record_op(with_doubled_gradient_op, {a}); }

// The model's network written out layer by layer, W2 passing through the wrong op.
tapegrad::scalar_function cost_with_wrong_w2_gradient(tapegrad::mlp& model, const course_case& c) {
    return [&model, &c](tapegrad::tape& t) {
        const var A1 = tapegrad::relu(tapegrad::matmul(t.watch(model.weight(1)), t.reference(c.x)) +
                                      t.watch(model.bias(1)));
        const var A2 = tapegrad::relu(tapegrad::matmul(with_doubled_gradient(t.watch(model.weight(2))), A1) +
                                      t.watch(model.bias(2)));
        const var Z3 = tapegrad::matmul(t.watch(model.weight(3)), A2) + t.watch(model.bias(3));
        return tapegrad::sigmoid_binary_cross_entropy(Z3, t.reference(c.y));
    };
}

check fast_wrong_gradient_check(tapegrad::mlp& model, const course_case& c) {
    check k;
    k.name = "fast_wrong_gradient";
    k.expected_to_pass = false;
    k.expected_culprits = {"W2"};
    k.expected_faulty_ops = {"with_doubled_gradient"};
    k.report = tapegrad::check_gradients_fast(cost_with_wrong_w2_gradient(model, c), model.parameters());
    k.story = "2e. Fast check of a gradient made wrong on purpose (an op that doubles W2's gradient)\n" +
              course_verdict(k.report);
    return k;
}

// ---- Results -----------------------------------------------------------------------

struct results {
    double cost = 0.0;                 // the course's J at the test case
    double autodiff_deviation = 0.0;   // see deviation_from_course_backward
    std::vector<check> checks;
};

// Autodiff and the hand-written backward compute the same sums in a different
// order; they should agree to rounding.
constexpr double deviation_tolerance = 1e-12;

bool all_as_expected(const results& r) {
    for (const check& c : r.checks) {
        if (!c.as_expected()) return false;
    }
    return r.autodiff_deviation <= deviation_tolerance;
}

json to_json(const check& c) {
    json parameters = json::object();
    for (const tapegrad::parameter_difference& p : c.report.parameters) parameters[p.name] = p.difference;
    return {{"name", c.name},
            {"difference", c.report.difference},
            {"threshold", c.report.threshold},
            {"passed", c.report.passed},
            {"parameters", parameters},
            {"expected_to_pass", c.expected_to_pass},
            {"culprits", c.report.culprits()},
            {"faulty_ops", c.report.faulty_ops()},
            {"as_expected", c.as_expected()},
            {"method", c.report.method},
            {"epsilon", c.report.epsilon},
            {"evaluations", c.report.evaluations}};
}

json to_json(const results& r) {
    json checks = json::array();
    for (const check& c : r.checks) checks.push_back(to_json(c));
    return {{"course_cost", r.cost},
            {"autodiff_vs_course_backward",
             {{"max_relative_deviation", r.autodiff_deviation}, {"tolerance", deviation_tolerance}}},
            {"all_as_expected", all_as_expected(r)},
            {"checks", checks}};
}

// results.json under a temporary name, then renamed, so a reader never sees half a file.
void write_results(const fs::path& dir, const json& doc) {
    tapegrad::write_file_atomically((dir / "results.json").string(), doc.dump(2) + "\n");
}

void print_summary(const results& r, const fs::path& file) {
    std::printf("%-22s %-12s %-9s %-7s %-9s %s\n", "check", "difference", "threshold", "result", "expected",
                "culprits");
    for (const check& c : r.checks) {
        std::string culprits;
        for (const std::string& name : c.report.culprits()) culprits += (culprits.empty() ? "" : " ") + name;
        std::printf("%-22s %-12.4e %-9g %-7s %-9s %s%s\n", c.name.c_str(), c.report.difference, c.report.threshold,
                    c.report.passed ? "pass" : "FAIL", c.expected_to_pass ? "pass" : "fail", culprits.c_str(),
                    c.as_expected() ? "" : "  <-- NOT AS EXPECTED");
    }
    std::printf("autodiff vs the course's backward: max relative deviation %.3g (tolerance %g)\n",
                r.autodiff_deviation, deviation_tolerance);
    std::size_t good = 0;
    for (const check& c : r.checks) good += c.as_expected() ? 1 : 0;
    std::printf("%zu of %zu checks came out as expected; results in %s\n", good, r.checks.size(),
                file.string().c_str());
}

results run_checks() {
    results r;
    r.checks.push_back(one_dimensional_check());
    const course_case c = make_course_case();
    r.cost = course_cost_of(c, c.parameters);
    r.checks.push_back(correct_backward_check(c));
    r.checks.push_back(buggy_backward_check(c));
    tapegrad::mlp model = make_model(c);
    r.checks.push_back(autodiff_full_check(model, c));
    r.autodiff_deviation = deviation_from_course_backward(model, c);
    r.checks.push_back(autodiff_fast_check(model, c));
    r.checks.push_back(fast_wrong_gradient_check(model, c));
    return r;
}

void print_details(const results& r) {
    std::printf("Gradient checking: the course's exercise\n\n%s\n", r.checks[0].story.c_str());
    std::printf("2. N-D check: the course's 3-layer network, x = randn(4, 3), y = [[1, 1, 0]] (seed 1)\n");
    std::printf("cost = %.16g\n\n", r.cost);
    for (std::size_t i = 1; i < r.checks.size(); ++i) {
        std::printf("%s\n", r.checks[i].story.c_str());
        if (r.checks[i].name == "autodiff_full") {
            std::printf("Autodiff vs the course's backward: max relative deviation %.3g\n\n", r.autodiff_deviation);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    tapegrad::examples::start_program(argc, argv);
    // The course's numbers, bit for bit as numpy computes them: glibc's exp and
    // log, not the vectorized ones (ops/math_mode.hpp).
    tapegrad::set_math_mode(tapegrad::math_mode::glibc);
    options opts;
    if (const std::optional<int> status = parse_options(argc, argv, opts)) return *status;
    tapegrad::remove_staged_files_on_interrupt();
    int status = 0;
    try {
        // Created up front, so a bad --output-dir fails before any work.
        tapegrad::examples::prepare_output_dir(opts.output_dir, "results.json");
        const fs::path dir = opts.output_dir;
        const results r = run_checks();
        if (!opts.quiet) print_details(r);
        write_results(dir, to_json(r));
        print_summary(r, dir / "results.json");
        status = all_as_expected(r) ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gradient_checking: error: %s\n", e.what());
        status = 2;
    }
    return tapegrad::examples::finish_program("gradient_checking", status);
}
