// regularization: the course's regularization exercise. The 3-layer network
// [2, 20, 3, 1] is trained without regularization, with L2 (lambda 0.7) and with
// dropout (keep_prob 0.86) on the course's football data (--data FILE: .mat,
// .csv or .npy) or, without --data, on a noisy data set generated here. Output
// like the initialization program: console lines in the course's format,
// results.json, cost curves, decision boundaries and report.html.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <stdexcept>

#include <tapegrad/course/course.hpp>
#include <tapegrad/data.hpp>
#include <tapegrad/tapegrad.hpp>

#include "../common/experiment.hpp"
#include "../common/output_files.hpp"
#include "../common/plots.hpp"
#include "../common/program.hpp"

using namespace tapegrad;
namespace ex = tapegrad::examples;

namespace {

struct regularization_options {
    ex::common_options common;
    std::string data;
    std::string test_data;
    double lambda = 0.7;
    double keep_prob = 0.86;
};

// The course's published accuracies on its football data with its settings.
struct course_result {
    const char* name;
    double train, test;
};
const course_result course_results[] = {{"none", 200.0 / 211.0, 0.915},
                                        {"l2", 198.0 / 211.0, 0.93},
                                        {"dropout", 196.0 / 211.0, 0.95}};

}  // namespace

int main(int argc, char** argv) {
    ex::start_program(argc, argv);
    // The course's numbers, bit for bit as numpy computes them: glibc's exp and
    // log, not the vectorized ones (ops/math_mode.hpp).
    tapegrad::set_math_mode(tapegrad::math_mode::glibc);
    regularization_options o;
    o.common.output_dir = "results/regularization";
    o.common.iterations = 30000;
    o.common.learning_rate = 0.3;
    o.common.runs = {"none", "l2", "dropout"};
    CLI::App app{"The course's regularization exercise: a 3-layer network without regularization, with L2 and with "
                 "dropout, on the course's football data or a generated noisy data set.",
                 "regularization"};
    ex::add_common_options(app, o.common, {"none", "l2", "dropout"});
    app.add_option("--data", o.data,
                   "Training data: the course's football.mat (X, y, Xval, yval), or a .csv (header x1,x2,y) / .npy "
                   "file; without it a noisy data set is generated")
        ->type_name("FILE")
        ->check(CLI::ExistingFile);
    app.add_option("--test-data", o.test_data, "Test data for a .csv or .npy --data (default: its name with 'train' "
                                               "replaced by 'test')")
        ->type_name("FILE")
        ->check(CLI::ExistingFile);
    app.add_option("--lambd", o.lambda, "L2 regularization strength of the l2 run")
        ->check(ex::number_above(0, true))
        ->capture_default_str();
    app.add_option("--keep-prob", o.keep_prob, "Probability of keeping a hidden unit in the dropout run")
        ->check(ex::keep_prob_range())
        ->capture_default_str();
    if (auto status = ex::parse(app, argc, argv)) return *status;
    if (!o.test_data.empty() && o.data.empty()) {
        std::fprintf(stderr, "regularization: --test-data needs --data\n");
        return 2;
    }

    remove_staged_files_on_interrupt();
    int status = 0;
    try {
        ex::require_gnuplot();
        // Load (and so validate) the data before creating anything.
        split_dataset data;
        try {
            data = o.data.empty() ? generated_field() : load_split_dataset(o.data, o.test_data);
        } catch (const file_error& err) {
            throw std::runtime_error(std::string("cannot use --data: ") + err.what());
        }
        ex::prepare_output_dir(o.common.output_dir, "boundary_dropout.png");
        if (data.train.X.shape()[0] != 2 && !o.common.quiet) {
            std::printf("The data has %zu features: the runs are trained and reported, but no decision boundary "
                        "is drawn (it shows a plane).\n",
                        static_cast<std::size_t>(data.train.X.shape()[0]));
        }
        std::string description;
        if (o.data.empty()) {
            description = "no --data given, so a generated data set: make_noisy_field, 211 training points (seed 1) "
                          "whose labels are flipped with probability 0.3 near a wavy boundary, and 200 test points "
                          "(seed 2) with clean labels";
            if (!o.common.quiet) std::printf("No --data given: using a generated noisy data set (211 + 200 points).\n");
        } else {
            description = o.data + (o.test_data.empty() ? "" : " with test set " + o.test_data) + " (" +
                          std::to_string(data.train.X.shape()[1]) + " training, " +
                          std::to_string(data.test.X.shape()[1]) + " test examples)";
        }
        const bool course_data = !o.data.empty() && std::filesystem::path(o.data).filename().string().rfind("football", 0) == 0;
        const bool course_settings = o.common.iterations == 30000 && o.common.learning_rate == 0.3 &&
                                     o.common.seed == 3 && o.lambda == 0.7 && o.keep_prob == 0.86;
        ex::experiment_record e{"regularization", "Regularization: none, L2 and dropout", description, {}, "", ""};
        for (const std::string& name : o.common.runs) {
            const std::size_t n_x = data.train.X.shape()[0];
            // The exercise's initialization: seed 3, W = randn / sqrt(n_prev), for all three runs.
            ex::run_spec spec{name, "", "", mlp({n_x, 20, 3, 1}, initialization::scaled, o.common.seed), {}, 10000,
                              {}, std::nullopt};
            spec.training.learning_rate = o.common.learning_rate;
            spec.training.iterations = o.common.iterations;
            spec.training.record_every = 1000;
            spec.training.cost = {loss_kind::sigmoid_bce, 0.0};
            spec.settings = {{"layers", {n_x, 20, 3, 1}}, {"initialization", "scaled"},
                             {"learning_rate", o.common.learning_rate}, {"iterations", o.common.iterations},
                             {"seed", o.common.seed}, {"loss", "course"}};
            if (name == "none") {
                spec.title = "3-layer NN without regularization";
                spec.comment = "fits the training set closely, noise included";
            } else if (name == "l2") {
                spec.title = "3-layer NN with L2-regularization";
                spec.comment = "smaller weights, a smoother boundary";
                spec.training.cost.lambda = o.lambda;
                spec.settings["lambd"] = o.lambda;
            } else {
                spec.title = "3-layer NN with dropout";
                spec.comment = "no unit can rely on another";
                spec.training.keep_prob = o.keep_prob;
                // The course reseeds numpy (seed 1) at the top of every forward pass,
                // so every iteration drops the same units.
                spec.training.masks = mask_policy::reseed_each_iteration;
                spec.training.dropout_seed = 1;
                spec.settings["keep_prob"] = o.keep_prob;
                spec.settings["dropout_masks"] = "reseeded with seed 1 before every forward pass (the course's)";
            }
            if (course_data && course_settings) {
                for (const course_result& c : course_results) {
                    if (name == c.name) spec.course_accuracy = {{c.train, c.test}};
                }
            }
            e.runs.push_back(ex::run_experiment(spec, data, o.common.quiet, o.common.output_dir));
        }
        status = ex::conclude(e, o.common.output_dir);
    } catch (const std::exception& err) {
        std::fprintf(stderr, "regularization: %s\n", err.what());
        status = 1;
    }
    return ex::finish_program("regularization", status);
}
