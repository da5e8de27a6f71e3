// checker_cost: what the gradient checker costs on the benchmark's networks.
//   - a full check of S2 ([2, 20, 3, 1], 127 parameters, the course's loss + L2):
//     wall time with one worker and with every core (its perturbed forward
//     passes run on tapes that record nothing, in parallel);
//   - the fast check (random directions) of S3 ([784, 256, 256, 1]) in units of
//     one training step measured in the same run.
// Prints the numbers and, with --json FILE, writes them. No timing is asserted:
// the exit status is 0 when the checks pass (the gradients are right), 1 when
// not, 2 for bad options.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

#include <cblas.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <tapegrad/tapegrad.hpp>

#include "problems.hpp"

namespace {

using namespace tapegrad;
using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// The median of `repetitions` timings of fn(), in seconds.
template <class F>
double median_time(int repetitions, F fn) {
    std::vector<double> t;
    for (int r = 0; r < repetitions; ++r) {
        const auto t0 = clock_type::now();
        fn();
        t.push_back(seconds_since(t0));
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

struct network {
    bench::problem p;
    mlp net;
    cost_options cost;
    explicit network(const std::string& size)
        : p(bench::make_problem(bench::find_size(size))),
          net(p.spec.layer_sizes, p.spec.init, p.spec.seed),
          cost{loss_kind::sigmoid_bce, p.spec.lambda} {
        net.set_parameter_values(p.params);
    }
    scalar_function function() {
        return [this](tape& t) { return net.cost(t, t.reference(p.X), t.reference(p.Y), cost); };
    }
};

}  // namespace

int main(int argc, char** argv) {
    int repetitions = 5;
    bool smoke = false;
    std::string json_path;
    CLI::App app{"The gradient checker's cost on the benchmark networks: a full check of S2 on one worker and on "
                 "every core, and the fast check of S3 in training steps.",
                 "checker_cost"};
    app.add_option("--repetitions", repetitions, "Timings per measurement (the median is reported)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    app.add_flag("--smoke", smoke, "One repetition of each (for CI: the checks must pass; no timing is judged)");
    app.add_option("--json", json_path, "Also write the numbers to FILE")->type_name("FILE");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    if (smoke) repetitions = 1;
    openblas_set_num_threads(1);  // the workers are the parallelism; BLAS stays on one thread each
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    std::printf("threads: OpenBLAS 1 per caller, checker workers 1 and %u (hardware_concurrency)\n\n", cores);

    bool all_passed = true;
    nlohmann::json out;

    // S2: the full check.
    network s2("S2");
    gradient_report report;
    auto full = [&](unsigned threads) {
        return median_time(repetitions, [&] {
            report = check_gradients(s2.function(), s2.net.parameters(), {default_epsilon, default_threshold, threads});
        });
    };
    const double one = full(1);
    const double many = full(cores);
    all_passed = all_passed && report.passed;
    std::size_t scalars = 0;
    for (parameter* p : s2.net.parameters()) scalars += p->value().size();
    std::printf("S2 full check: %zu parameters, %zu forward evaluations, difference %.3g (%s)\n", scalars,
                report.evaluations, report.difference, report.passed ? "passed" : "FAILED");
    std::printf("  1 worker: %.2f ms; %u workers: %.2f ms (%.2fx faster)\n\n", 1e3 * one, cores, 1e3 * many,
                one / many);
    out["s2_full_check"] = {{"parameters", scalars}, {"evaluations", report.evaluations},
                            {"difference", report.difference}, {"passed", report.passed},
                            {"ms_one_worker", 1e3 * one}, {"ms_all_workers", 1e3 * many}, {"workers", cores}};

    // S3: the fast check, in training steps of the same network.
    network s3("S3");
    tape t;
    const std::vector<parameter*> params = s3.net.parameters();
    gradient_descent descent(params, s3.p.spec.learning_rate);
    auto step = [&] {
        t.clear();
        var J = s3.net.cost(t, t.reference(s3.p.X), t.reference(s3.p.Y), s3.cost);
        t.backward(J);
        descent.step();
    };
    step();  // warm-up: buffers allocated
    const double step_time = median_time(repetitions, step);
    gradient_report fast;
    const double fast_time = median_time(repetitions, [&] { fast = check_gradients_fast(s3.function(), params); });
    all_passed = all_passed && fast.passed;
    std::printf("S3 fast check: %zu forward evaluations, difference %.3g (%s)\n", fast.evaluations, fast.difference,
                fast.passed ? "passed" : "FAILED");
    std::printf("  %.2f ms, a training step %.2f ms: %.2f training steps\n", 1e3 * fast_time, 1e3 * step_time,
                fast_time / step_time);
    out["s3_fast_check"] = {{"evaluations", fast.evaluations}, {"difference", fast.difference},
                            {"passed", fast.passed}, {"ms", 1e3 * fast_time}, {"training_step_ms", 1e3 * step_time},
                            {"training_steps", fast_time / step_time}};

    if (!json_path.empty()) {
        const std::string tmp = json_path + ".tmp";
        std::ofstream(tmp) << out.dump(2) << "\n";
        std::rename(tmp.c_str(), json_path.c_str());
    }
    return all_passed ? 0 : 1;
}
