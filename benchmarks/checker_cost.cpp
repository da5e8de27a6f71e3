// checker_cost: what the gradient checker costs on the benchmark's networks.
//   - the full check of S2 ([2, 20, 3, 1], 127 parameters, the course's loss + L2)
//     and of S3's output layer (W3, b3 of [784, 256, 256, 1]: 257 scalars) on one
//     worker and on every core, in interleaved rounds (one check on each per round,
//     the order alternating) so drift in the shared machine's speed hits both
//     alike: the medians, their ratio and the quartiles of the per-round ratios,
//     beside the ratio of plain arithmetic split the same way in the same rounds
//     (what the machine's cores gave at that moment);
//   - the fast check (random directions) of S3 in units of one training step;
//   - the tape audit of S2 and S3: op evaluations per op and its time in forward
//     passes of the model.
// Prints the numbers and, with --json FILE, writes them. No timing is asserted:
// the exit status is 0 when the checks pass (the gradients are right) and the
// reports of one worker and of every core are the same bits, 1 when not, 2 for
// bad options.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
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

template <class F>
double time_of(F fn) {
    const auto t0 = clock_type::now();
    fn();
    return seconds_since(t0);
}

// numpy's linear interpolation at q in [0, 1].
double quantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const std::size_t i = static_cast<std::size_t>(pos);
    if (i + 1 >= v.size()) return v.back();
    return v[i] + (pos - static_cast<double>(i)) * (v[i + 1] - v[i]);
}

double median(const std::vector<double>& v) { return quantile(v, 0.5); }

// The median of `repetitions` timings of fn(), in seconds.
template <class F>
double median_time(int repetitions, F fn) {
    std::vector<double> t;
    for (int r = 0; r < repetitions; ++r) t.push_back(time_of(fn));
    return median(t);
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

std::string hex(double x) {
    char b[40];
    std::snprintf(b, sizeof b, "%a", x);
    return b;
}

// Everything a report says, the numbers as exact bits: equal texts, equal reports.
std::string fingerprint(const gradient_report& r) {
    std::ostringstream o;
    o << r.to_string() << hex(r.difference) << hex(r.noise_floor) << hex(r.gradient_norm) << hex(r.worst.analytic)
      << hex(r.worst.numeric) << r.evaluations;
    for (const parameter_difference& d : r.parameters) o << d.name << hex(d.difference) << hex(d.error) << d.at_fault;
    return o.str();
}

// Arithmetic with nothing shared (a dependent chain: no memory traffic), split
// like the check: what `cores` threads can gain on this machine at this moment.
// The kernel shares the CPUs between sessions (sched_autogroup): while another
// session is busy, a second thread takes its time from the first and this
// ratio, like the check's, stays near 1.
double arithmetic(long n) {
    volatile double x = 1.0;  // volatile: the loop cannot be folded away
    for (long i = 0; i < n; ++i) x = x * 0.9999999 + 1e-7;
    return x;
}

double ceiling_ratio(unsigned cores, long n) {
    const double serial = time_of([&] {
        for (unsigned c = 0; c < cores; ++c) arithmetic(n);
    });
    const double parallel = time_of([&] {
        std::vector<std::thread> pool;
        for (unsigned c = 1; c < cores; ++c) pool.emplace_back([n] { arithmetic(n); });
        arithmetic(n);
        for (std::thread& t : pool) t.join();
    });
    return serial / parallel;
}

// The full check on one worker and on `cores`, one of each per round, the order
// alternating between rounds; and the arithmetic's ratio in the same rounds.
struct scaling {
    std::vector<double> one, many, ratios, ceiling;
    gradient_report report;
    bool same_reports = true;
};

scaling full_check_scaling(const scalar_function& f, const std::vector<parameter*>& params, unsigned cores,
                           int rounds) {
    scaling s;
    gradient_report a, b;
    auto check = [&](unsigned threads, gradient_report& r) {
        return time_of([&] { r = check_gradients(f, params, {default_epsilon, default_threshold, threads}); });
    };
    for (int round = 0; round < rounds; ++round) {
        double t1, tn;
        if (round % 2 == 0) {
            t1 = check(1, a);
            tn = check(cores, b);
        } else {
            tn = check(cores, b);
            t1 = check(1, a);
        }
        s.one.push_back(t1);
        s.many.push_back(tn);
        s.ratios.push_back(t1 / tn);
        // As long as the check on one worker, at most 40 ms: about 5 ns an iteration here.
        s.ceiling.push_back(ceiling_ratio(cores, static_cast<long>(std::min(t1, 0.04) / cores / 5e-9)));
        s.same_reports = s.same_reports && fingerprint(a) == fingerprint(b);
    }
    s.report = a;
    return s;
}

void print_scaling(const char* what, std::size_t scalars, const scaling& s, unsigned cores) {
    const double one = median(s.one), many = median(s.many);
    std::printf("%s: %zu scalars, %zu forward evaluations, difference %.3g (%s); reports of 1 and %u workers %s\n",
                what, scalars, s.report.evaluations, s.report.difference, s.report.passed ? "passed" : "FAILED",
                cores, s.same_reports ? "identical" : "DIFFER");
    std::printf("  medians of %zu interleaved rounds: 1 worker %.3f ms, %u workers %.3f ms: %.2fx faster "
                "(per-round ratios: quartiles %.2f-%.2f)\n",
                s.one.size(), 1e3 * one, cores, 1e3 * many, one / many, quantile(s.ratios, 0.25),
                quantile(s.ratios, 0.75));
    std::printf("  arithmetic with nothing shared, in the same rounds: %.2fx faster on %u threads (quartiles "
                "%.2f-%.2f): what the machine gave\n",
                median(s.ceiling), cores, quantile(s.ceiling, 0.25), quantile(s.ceiling, 0.75));
}

std::vector<double> in_ms(std::vector<double> v) {
    for (double& x : v) x *= 1e3;
    return v;
}

nlohmann::json scaling_json(std::size_t scalars, const scaling& s, unsigned cores) {
    const double one = median(s.one), many = median(s.many);
    return {{"parameters", scalars},
            {"evaluations", s.report.evaluations},
            {"difference", s.report.difference},
            {"passed", s.report.passed},
            {"same_reports", s.same_reports},
            {"workers", cores},
            {"rounds", s.one.size()},
            {"ms_one_worker", 1e3 * one},
            {"ms_all_workers", 1e3 * many},
            {"ratio", one / many},
            {"ratio_q1", quantile(s.ratios, 0.25)},
            {"ratio_q3", quantile(s.ratios, 0.75)},
            {"arithmetic_ratio", median(s.ceiling)},
            {"arithmetic_ratio_q1", quantile(s.ceiling, 0.25)},
            {"arithmetic_ratio_q3", quantile(s.ceiling, 0.75)},
            {"ms_one_worker_all", in_ms(s.one)},
            {"ms_all_workers_all", in_ms(s.many)}};
}

std::size_t scalars_of(const std::vector<parameter*>& params) {
    std::size_t n = 0;
    for (parameter* p : params) n += p->value().size();
    return n;
}

// The tape audit of one recorded forward pass: op evaluations per op (two when
// no op is wrong) and its time in recorded forward passes of the whole model.
nlohmann::json audit_cost(const char* name, network& n, int repetitions) {
    const scalar_function f = n.function();
    tape t;
    f(t);  // buffers allocated
    const double forward = median_time(repetitions, [&] {
        t.clear();
        f(t);
    });
    tape_audit_report a;
    const double audit = median_time(repetitions, [&] { a = audit_tape(t); });
    const double per_op = static_cast<double>(a.evaluations) / static_cast<double>(std::max<std::size_t>(a.ops_checked, 1));
    std::printf("%s tape audit: %zu ops, %zu op evaluations (%.2f per op), %zu wrong; %.3f ms = %.2f forward passes "
                "of the model (%.3f ms each), %.2f per op\n",
                name, a.ops_checked, a.evaluations, per_op, a.faults.size(), 1e3 * audit, audit / forward,
                1e3 * forward, audit / forward / static_cast<double>(std::max<std::size_t>(a.ops_checked, 1)));
    return {{"ops", a.ops_checked},          {"op_evaluations", a.evaluations},
            {"op_evaluations_per_op", per_op}, {"faults", a.faults.size()},
            {"ms", 1e3 * audit},              {"forward_ms", 1e3 * forward},
            {"forward_passes", audit / forward}};
}

}  // namespace

int main(int argc, char** argv) {
    int repetitions = 41;
    int s3_rounds = 3;
    bool smoke = false;
    std::string json_path;
    CLI::App app{"The gradient checker's cost on the benchmark networks: the full check of S2 and of S3's output "
                 "layer on one worker and on every core, the fast check of S3 in training steps, the tape audit in "
                 "forward passes.",
                 "checker_cost"};
    app.add_option("--repetitions", repetitions, "Rounds of the S2 check and timings per measurement (medians)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    app.add_option("--s3-rounds", s3_rounds, "Rounds of S3's output-layer check (about 3 s a round on one worker)")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    app.add_flag("--smoke", smoke,
                 "One round of each, without S3's output-layer check (for CI: the checks must pass and the reports "
                 "agree; no timing is judged)");
    app.add_option("--json", json_path, "Also write the numbers to FILE")->type_name("FILE");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    if (smoke) {  // S3's output-layer check (seconds a round) is left out
        repetitions = 1;
        s3_rounds = 0;
    }
    openblas_set_num_threads(1);  // the workers are the parallelism; BLAS stays on one thread each
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    std::printf("threads: OpenBLAS 1 per caller, checker workers 1 and %u (hardware_concurrency)\n\n", cores);

    bool all_passed = true;
    nlohmann::json out;

    // S2: the full check.
    network s2("S2");
    const std::size_t s2_scalars = scalars_of(s2.net.parameters());
    const scaling two = full_check_scaling(s2.function(), s2.net.parameters(), cores, repetitions);
    all_passed = all_passed && two.report.passed && two.same_reports;
    print_scaling("S2 full check", s2_scalars, two, cores);
    out["s2_full_check"] = scaling_json(s2_scalars, two, cores);

    // S3: the full check of the output layer (all of S3 would be 540,000 forward passes).
    network s3("S3");
    const std::vector<parameter*> params = s3.net.parameters();
    if (s3_rounds > 0) {
        const std::vector<parameter*> output_layer{params[4], params[5]};
        const std::size_t n = scalars_of(output_layer);
        const scaling three = full_check_scaling(s3.function(), output_layer, cores, s3_rounds);
        all_passed = all_passed && three.report.passed && three.same_reports;
        print_scaling("S3 full check of the output layer (W3, b3)", n, three, cores);
        out["s3_output_layer_full_check"] = scaling_json(n, three, cores);
    }
    std::printf("\n");

    // S3: the fast check, in training steps of the same network.
    tape t;
    gradient_descent descent(params, s3.p.spec.learning_rate);
    auto step = [&] {
        t.clear();
        var J = s3.net.cost(t, t.reference(s3.p.X), t.reference(s3.p.Y), s3.cost);
        t.backward(J);
        descent.step();
    };
    step();  // warm-up: buffers allocated
    const int s3_repetitions = std::min(repetitions, 5);  // S3's steps take 17 ms
    const double step_time = median_time(s3_repetitions, step);
    gradient_report fast;
    const double fast_time =
        median_time(s3_repetitions, [&] { fast = check_gradients_fast(s3.function(), params); });
    all_passed = all_passed && fast.passed;
    std::printf("S3 fast check: %zu forward evaluations, difference %.3g (%s)\n", fast.evaluations, fast.difference,
                fast.passed ? "passed" : "FAILED");
    std::printf("  %.2f ms, a training step %.2f ms: %.2f training steps\n\n", 1e3 * fast_time, 1e3 * step_time,
                fast_time / step_time);
    out["s3_fast_check"] = {{"evaluations", fast.evaluations}, {"difference", fast.difference},
                            {"passed", fast.passed}, {"ms", 1e3 * fast_time}, {"training_step_ms", 1e3 * step_time},
                            {"training_steps", fast_time / step_time}};

    // The tape audit (what a failed check adds to name the op).
    out["s2_tape_audit"] = audit_cost("S2", s2, repetitions);
    out["s3_tape_audit"] = audit_cost("S3", s3, s3_repetitions);

    if (!json_path.empty()) {
        const std::string tmp = json_path + ".tmp";
        std::ofstream(tmp) << out.dump(2) << "\n";
        std::rename(tmp.c_str(), json_path.c_str());
    }
    return all_passed ? 0 : 1;
}
