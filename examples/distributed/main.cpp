// distributed: the course's regularization exercise trained data-parallel over
// MPI, then the distributed full gradient check of each trained network.
//
//   mpirun -np N build/examples/distributed [--data FILE] [--output-dir DIR] ...
//
// Every process loads the data and keeps its shard of the training set
// (--layout contiguous or strided); each iteration it runs forward and backward
// on its shard, one MPI_Allreduce sums the shards' gradients and costs weighted
// by their sizes, and every process takes the same gradient-descent step. The
// numbers are a single process's (regularization's runs "none" and "l2") up to
// rounding: process 0 prints them as the regularization program does and writes
// DIR/results.json. The full check of each trained network splits its 2
// evaluations per scalar over the processes and prints the single-process report.
// Dropout is left out: its masks are drawn over the whole batch, which no
// process holds.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <tapegrad/course/course.hpp>
#include <tapegrad/data.hpp>
#include <tapegrad/data/staged_file.hpp>
#include <tapegrad/distributed.hpp>
#include <tapegrad/tapegrad.hpp>

#include "../common/experiment.hpp"
#include "../common/output_files.hpp"
#include "../common/program.hpp"

using namespace tapegrad;
namespace ex = tapegrad::examples;
namespace dist = tapegrad::distributed;
using json = nlohmann::ordered_json;

namespace {

struct options {
    ex::common_options common;
    std::string data;
    std::string test_data;
    double lambda = 0.7;
    std::string layout = "contiguous";
    unsigned check_threads = 1;
};

struct run_outcome {
    std::string name;
    std::vector<std::pair<std::int64_t, double>> costs;
    double train_accuracy = 0.0, test_accuracy = 0.0;
    gradient_report check;
    double train_seconds = 0.0, check_seconds = 0.0;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

run_outcome run_one(dist::communicator& world, const std::string& name, const options& o, const split_dataset& data,
                    const matrix& X_shard, const matrix& Y_shard) {
    const bool speak = world.rank() == 0 && !o.common.quiet;
    run_outcome r;
    r.name = name;
    const std::size_t n_x = data.train.X.shape()[0];
    // The exercise's initialization (seed 3, W = randn / sqrt(n_prev)); every
    // process makes it, and gradient_allreduce gives every process process 0's
    // values, so that a process that drew differently could not go its own way.
    mlp model({n_x, 20, 3, 1}, initialization::scaled, o.common.seed);
    const double lambda = name == "l2" ? o.lambda : 0.0;
    if (speak) {
        std::printf("\n%s\n", name == "l2" ? "3-layer NN with L2-regularization" : "3-layer NN without regularization");
    }

    gradient_descent gd(model.parameters(), o.common.learning_rate);
    dist::gradient_allreduce allreduce(world, model.parameters());
    train_options loop;
    loop.epochs = o.common.iterations;
    loop.record_every = 1000;
    loop.combiner = &allreduce;
    loop.sharded_data = true;
    loop.on_record = [&](std::int64_t i, double cost) {
        if (speak && i % 10000 == 0) {
            std::printf("Cost after iteration %lld: %s\n", static_cast<long long>(i), ex::python_float(cost).c_str());
        }
    };
    // The course's cost; its L2 term divides by the whole set's m (b.whole_size).
    auto cost = [&](tape& t, const batch& b) {
        return model.cost(t, t.reference(b.X), t.reference(b.Y), {loss_kind::sigmoid_bce, lambda, b.whole_size});
    };
    const auto t0 = std::chrono::steady_clock::now();
    r.costs = train(cost, gd, X_shard, Y_shard, loop).costs;
    r.train_seconds = seconds_since(t0);
    r.train_accuracy = model.accuracy(data.train.X, data.train.Y);
    r.test_accuracy = model.accuracy(data.test.X, data.test.Y);
    if (speak) {
        std::printf("On the train set:\nAccuracy: %s\n", ex::python_float(r.train_accuracy).c_str());
        std::printf("On the test set:\nAccuracy: %s\n", ex::python_float(r.test_accuracy).c_str());
    }

    // The full check of the trained network's cost on the whole training set.
    const scalar_function whole_cost = [&](tape& t) {
        return model.cost(t, t.reference(data.train.X), t.reference(data.train.Y), {loss_kind::sigmoid_bce, lambda});
    };
    gradient_check_options check_options;
    check_options.threads = o.check_threads;
    const auto t1 = std::chrono::steady_clock::now();
    r.check = dist::check_gradients(world, whole_cost, model.parameters(), check_options);
    r.check_seconds = seconds_since(t1);
    if (speak) std::printf("Full gradient check of the trained network:\n%s", r.check.to_string().c_str());
    return r;
}

json to_json(const run_outcome& r) {
    json costs = json::array();
    for (const auto& [i, c] : r.costs) costs.push_back({i, c});
    return {{"name", r.name},
            {"costs", costs},
            {"train_accuracy", r.train_accuracy},
            {"test_accuracy", r.test_accuracy},
            {"train_seconds", r.train_seconds},
            {"check",
             {{"difference", r.check.difference},
              {"passed", r.check.passed},
              {"culprits", r.check.culprits()},
              {"evaluations", r.check.evaluations},
              {"seconds", r.check_seconds}}}};
}

int body(dist::communicator& world, int argc, char** argv) {
    options o;
    o.common.output_dir = "results/distributed";
    o.common.iterations = 30000;
    o.common.learning_rate = 0.3;
    o.common.runs = {"none", "l2"};
    CLI::App app{"The course's regularization exercise (runs none and l2) trained data-parallel over MPI, and the "
                 "distributed full gradient check of each trained network. Run it with mpirun -np N.",
                 "distributed"};
    ex::add_common_options(app, o.common, {"none", "l2"});
    app.add_option("--data", o.data,
                   "Training data: the course's football.mat (X, y, Xval, yval), or a .csv / .npy file; without it "
                   "the regularization program's generated noisy data set")
        ->type_name("FILE")
        ->check(CLI::ExistingFile);
    app.add_option("--test-data", o.test_data, "Test data for a .csv or .npy --data")
        ->type_name("FILE")
        ->check(CLI::ExistingFile);
    app.add_option("--lambd", o.lambda, "L2 regularization strength of the l2 run")
        ->check(ex::number_above(0, true))
        ->capture_default_str();
    app.add_option("--layout", o.layout, "How the training set is split over the processes")
        ->check(CLI::IsMember({"contiguous", "strided"}))
        ->capture_default_str();
    app.add_option("--check-threads", o.check_threads, "Worker threads of each process in the gradient check")
        ->check(CLI::Range(1u, 256u))
        ->capture_default_str();
    // Every process parses the same command line; only process 0 prints what CLI11 says.
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // As ex::parse: --help 0, a bad command line 2 (after CLI11's message, from process 0 only).
        const int status = world.rank() == 0 ? app.exit(e) : e.get_exit_code();
        return status == 0 ? 0 : 2;
    }

    const split_dataset data = o.data.empty() ? generated_field() : load_split_dataset(o.data, o.test_data);
    if (world.rank() == 0) ex::prepare_output_dir(o.common.output_dir, "results.json");
    const shard part{static_cast<std::size_t>(world.rank()), static_cast<std::size_t>(world.size()),
                     o.layout == "strided" ? shard_layout::strided : shard_layout::contiguous};
    const matrix X_shard = take_shard(data.train.X, part);
    const matrix Y_shard = take_shard(data.train.Y, part);
    std::vector<std::size_t> sizes;
    for (const std::string& s : world.all_gather(std::to_string(X_shard.shape()[1]))) sizes.push_back(std::stoul(s));
    if (world.rank() == 0 && !o.common.quiet) {
        std::printf("%d processes, %s shards of the %zu training examples:", world.size(), o.layout.c_str(),
                    static_cast<std::size_t>(data.train.X.shape()[1]));
        for (std::size_t s : sizes) std::printf(" %zu", s);
        std::printf("\n");
    }

    json runs = json::array();
    for (const std::string& name : o.common.runs) {
        runs.push_back(to_json(run_one(world, name, o, data, X_shard, Y_shard)));
    }

    if (world.rank() == 0) {
        const blas_kernel blas = current_blas_kernel();
        if (!o.common.quiet) {
            std::printf("\nMatrix products: OpenBLAS's %s kernels\nElementwise math: %s\n", blas.core.c_str(),
                        math_mode_name(current_math_mode()));
        }
        json results = {{"program", "distributed"},
                        {"processes", world.size()},
                        {"layout", o.layout},
                        {"shard_sizes", sizes},
                        {"data", o.data.empty() ? "generated (make_noisy_field)" : o.data},
                        {"iterations", o.common.iterations},
                        {"learning_rate", o.common.learning_rate},
                        {"lambd", o.lambda},
                        {"seed", o.common.seed},
                        {"check_threads", o.check_threads},
                        {"blas", blas.core},
                        {"math", math_mode_name(current_math_mode())},
                        {"runs", runs}};
        write_file_atomically((std::filesystem::path(o.common.output_dir) / "results.json").string(),
                              results.dump(2) + "\n");
        if (!o.common.quiet) std::printf("Results: %s/results.json\n", o.common.output_dir.c_str());
    }
    return ex::finish_program("distributed", 0);
}

}  // namespace

int main(int argc, char** argv) {
    ex::start_program(argc, argv);
    // The course's numbers as numpy computes them (glibc's exp and log), as in
    // the regularization program.
    set_math_mode(math_mode::glibc);
    return dist::run(argc, argv, [&](dist::communicator& world) { return body(world, argc, argv); },
                     {"distributed", std::chrono::milliseconds(2000)});
}
