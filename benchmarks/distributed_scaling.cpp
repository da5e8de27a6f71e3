// distributed_scaling: what data parallelism over MPI buys on the benchmark's
// networks (docs/distributed.md). Run under mpirun, once per process count:
//
//   mpirun -np N build/benchmarks/distributed_scaling [--rounds R]
//
// benchmarks/distributed_scaling.sh runs it for 1, 2 and 4 processes in
// interleaved rounds and prints the table. Process 0 prints a line per size,
// "size processes step_ms allreduce_ms check_ms", or with --json one JSON
// object with the rounds too; per size (S2: [2, 20, 3, 1] on 211 examples; S3: [784, 256, 256, 1] on 512)
//   step_ms        a data-parallel full-batch training step on sharded data:
//                  forward and backward on the process's shard, the gradient
//                  allreduce, the update (median over rounds, each of many steps)
//   allreduce_ms   the gradient allreduce alone (P doubles)
//   check_ms       the distributed full check (S2: all 127 scalars; S3: the
//                  output layer's 257, as in checker_cost), one worker per process
// Every round starts with a barrier, and a round's time is the slowest process's.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <cblas.h>
#include <nlohmann/json.hpp>
#include <tapegrad/distributed.hpp>
#include <tapegrad/tapegrad.hpp>

#include "problems.hpp"

using namespace tapegrad;
namespace dist = tapegrad::distributed;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The slowest process's time of fn, in ms, after a barrier.
template <class F>
double timed(const dist::communicator& world, F fn) {
    world.barrier();
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return world.max(ms);
}

nlohmann::json measure(const dist::communicator& world, const std::string& size, int rounds) {
    const bench::problem p = bench::make_problem(bench::find_size(size));
    mlp net(p.spec.layer_sizes, p.spec.init, p.spec.seed);
    net.set_parameter_values(p.params);
    const shard part{static_cast<std::size_t>(world.rank()), static_cast<std::size_t>(world.size())};
    const matrix X = take_shard(p.X, part), Y = take_shard(p.Y, part);
    const double lambda = p.spec.lambda;

    gradient_descent gd(net.parameters(), p.spec.learning_rate);
    dist::gradient_allreduce allreduce(world, net.parameters());
    train_options o;
    o.combiner = &allreduce;
    o.sharded_data = true;
    o.record_every = 1000000;
    trainer run(
        [&](tape& t, const batch& b) {
            return net.cost(t, t.reference(b.X), t.reference(b.Y), {loss_kind::sigmoid_bce, lambda, b.whole_size});
        },
        gd, X, Y, o);
    run.run_epoch();  // warm: buffers sized, pages touched
    const int steps = size == "S2" ? 1000 : 20;
    std::vector<double> step, reduce, check;
    for (int r = 0; r < rounds; ++r) {
        step.push_back(timed(world, [&] {
                           for (int s = 0; s < steps; ++s) run.run_epoch();
                       }) /
                       steps);
        reduce.push_back(timed(world, [&] {
                             for (int s = 0; s < steps; ++s) allreduce.sum();
                         }) /
                         steps);
    }
    // The check: S2 whole, S3's output layer (all of S3 would be 534,000 forward passes).
    std::vector<parameter*> checked = net.parameters();
    if (size == "S3") checked = {&net.weight(3), &net.bias(3)};
    const scalar_function f = [&](tape& t) {
        return net.cost(t, t.reference(p.X), t.reference(p.Y), {loss_kind::sigmoid_bce, lambda});
    };
    gradient_check_options one;
    one.threads = 1;
    bool passed = true;
    for (int r = 0; r < rounds; ++r) {
        check.push_back(timed(world, [&] { passed = dist::check_gradients(world, f, checked, one).passed && passed; }));
    }
    std::size_t scalars = 0;
    for (const parameter* q : net.parameters()) scalars += q->value().size();
    return {{"size", size},
            {"parameters", scalars},
            {"shard_examples", X.shape()[1]},
            {"step_ms", median(step)},
            {"allreduce_ms", median(reduce)},
            {"check_ms", median(check)},
            {"check_passed", passed},
            {"step_ms_rounds", step},
            {"check_ms_rounds", check}};
}

}  // namespace

int main(int argc, char** argv) {
    openblas_set_num_threads(1);  // the processes are the parallelism
    return dist::run(argc, argv, [&](dist::communicator& world) {
        int rounds = 5;
        bool json = false;
        std::vector<std::string> sizes{"S2", "S3"};
        CLI::App app{"Data-parallel training steps, the gradient allreduce and the distributed full check on the "
                     "benchmark's S2 and S3, on the processes mpirun started", "distributed_scaling"};
        app.add_option("--rounds", rounds, "Rounds per measurement (medians)")->check(CLI::Range(1, 1000));
        app.add_option("--sizes", sizes, "Sizes to measure")->check(CLI::IsMember({"S2", "S3"}));
        app.add_flag("--json", json, "One JSON object with every round, instead of a line per size");
        try {
            app.parse(argc, argv);
        } catch (const CLI::ParseError& e) {
            const int status = world.rank() == 0 ? app.exit(e) : e.get_exit_code();
            return status == 0 ? 0 : 2;
        }
        nlohmann::json out = {{"processes", world.size()}, {"blas", current_blas_kernel().core}};
        for (const std::string& s : sizes) out["sizes"].push_back(measure(world, s, rounds));
        if (world.rank() != 0) return 0;
        if (json) {
            std::printf("%s\n", out.dump().c_str());
        } else {
            for (const auto& m : out["sizes"]) {
                std::printf("%s %d %.6g %.6g %.6g\n", m["size"].get<std::string>().c_str(), world.size(),
                            m["step_ms"].get<double>(), m["allreduce_ms"].get<double>(), m["check_ms"].get<double>());
            }
        }
        return 0;
    }, {"distributed_scaling", std::chrono::milliseconds(2000)});
}
