// optimization: the course's optimization-methods exercise. The [2, 5, 2, 1]
// network learns the moons (300 points, no test set) by mini-batch gradient
// descent, momentum and Adam, and in the 2021 edition with learning-rate decay;
// each run prints its costs and accuracy like the course, and the program writes
// results.json, the cost curves in one picture, a decision boundary per run and
// report.html. Three editions of the notebook circulate
// (../shared/REFERENCE_OPTIMIZATION.md); --edition picks one.
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
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

struct edition {
    std::string name;
    std::int64_t epochs;
    epoch_cost recorded;  // the cost the notebook prints
    // The course's published accuracies and epoch-0 costs (gd, momentum, adam).
    double accuracy[3];
    double cost0[3];
};

const edition editions[] = {
    {"2017", 10000, epoch_cost::last_batch, {239.0 / 300.0, 239.0 / 300.0, 0.94}, {0.690736, 0.690741, 0.690552}},
    {"v1b", 10000, epoch_cost::mean_over_examples, {239.0 / 300.0, 239.0 / 300.0, 0.94}, {0.702405, 0.702413, 0.702166}},
    {"2021", 5000, epoch_cost::mean_over_examples, {215.0 / 300.0, 215.0 / 300.0, 283.0 / 300.0},
     {0.702405, 0.702413, 0.702166}},
};

enum class rule { gd, momentum, adam };

struct run_kind {
    const char* name;
    rule method;
    double learning_rate;
    std::int64_t decay_interval;  // 0: no decay; 1: update_lr; 1000: schedule_lr_decay
    const char* title;
    const char* comment;
    double course_2021_accuracy;  // the 2021 edition's published accuracy, for the decay runs
};

const run_kind run_kinds[] = {
    {"gd", rule::gd, 0.0007, 0, "Model with Gradient Descent optimization", "oscillations", 0.0},
    {"momentum", rule::momentum, 0.0007, 0, "Model with Momentum optimization", "oscillations", 0.0},
    {"adam", rule::adam, 0.0007, 0, "Model with Adam optimization", "smoother", 0.0},
    {"gd_update_lr", rule::gd, 0.1, 1, "Gradient Descent with update_lr", "decay every epoch", 196.0 / 300.0},
    {"gd_schedule", rule::gd, 0.1, 1000, "Gradient Descent with schedule_lr_decay", "decay every 1000 epochs",
     283.0 / 300.0},
    {"momentum_schedule", rule::momentum, 0.1, 1000, "Momentum with schedule_lr_decay", "decay every 1000 epochs",
     286.0 / 300.0},
    {"adam_schedule", rule::adam, 0.01, 1000, "Adam with schedule_lr_decay", "decay every 1000 epochs", 0.94},
};

struct options {
    std::string output_dir = "results/optimization";
    std::string edition = "2021";
    std::string adam_epsilon = "outside";
    std::vector<std::string> runs = {"gd", "momentum", "adam"};
    std::int64_t epochs = 0;  // 0: the edition's
    std::int64_t seed = 3;
    bool quiet = false;
};

std::unique_ptr<optimizer> make_optimizer(const run_kind& k, const options& o, std::vector<parameter*> params) {
    switch (k.method) {
        case rule::gd: return std::make_unique<gradient_descent>(std::move(params), k.learning_rate);
        case rule::momentum:
            return std::make_unique<momentum>(std::move(params), k.learning_rate, 0.9, momentum_form::average);
        case rule::adam: {
            adam_options a;
            a.learning_rate = k.learning_rate;
            a.placement = o.adam_epsilon == "inside" ? adam_epsilon::inside : adam_epsilon::outside;
            return std::make_unique<adam>(std::move(params), a);
        }
    }
    return nullptr;
}

// One run: train, print like the notebook, draw its pictures.
ex::run_record run(const run_kind& k, const edition& ed, const options& o, std::int64_t epochs, const dataset& data,
                   bool course_settings) {
    ex::run_record r;
    r.name = k.name;
    r.title = k.title;
    r.comment = k.comment;
    r.has_test_set = false;
    r.settings = {{"layers", {2, 5, 2, 1}},  {"initialization", "he"}, {"seed", o.seed},
                  {"optimizer", k.method == rule::gd ? "gd" : k.method == rule::momentum ? "momentum" : "adam"},
                  {"learning_rate", k.learning_rate}, {"mini_batch_size", 64}, {"epochs", epochs},
                  {"edition", ed.name}};
    if (k.method == rule::momentum) r.settings["beta"] = 0.9;
    if (k.method == rule::adam) {
        r.settings["beta1"] = 0.9;
        r.settings["beta2"] = 0.999;
        r.settings["epsilon"] = 1e-8;
        r.settings["epsilon_placement"] = o.adam_epsilon;
    }
    if (k.decay_interval > 0) {
        r.settings["decay"] = k.decay_interval == 1 ? "update_lr" : "schedule_lr_decay";
        r.settings["decay_rate"] = 1.0;
        r.settings["time_interval"] = k.decay_interval;
    }
    if (!o.quiet) std::printf("\n%s\n", k.title);

    mlp net({2, 5, 2, 1}, initialization::he, o.seed);
    const std::unique_ptr<optimizer> opt = make_optimizer(k, o, net.parameters());
    // The course decays after each epoch: epoch e >= 1 trains at decay(lr0, e - 1).
    const learning_rate_schedule decay =
        k.decay_interval > 0 ? inverse_time_decay(k.learning_rate, 1.0, k.decay_interval) : learning_rate_schedule();
    train_options t;
    t.epochs = epochs;
    t.batch_size = 64;
    t.shuffle_seed = 11;  // the notebook's seed 10, incremented before every epoch
    t.recorded = ed.recorded;
    t.record_every = 100;  // the notebook keeps every 100th cost and prints every 1000th
    if (decay) t.schedule = delayed(decay, 1);
    progress_line bar(!o.quiet, k.name, epochs);
    t.on_record = [&](std::int64_t epoch, double cost) {
        r.costs.emplace_back(epoch, cost);
        bar.update(epoch, cost);
        if (o.quiet || epoch % 1000 != 0) return;
        bar.finish();
        std::printf("Cost after epoch %lld: %f\n", static_cast<long long>(epoch), cost);
        if (decay) std::printf("learning rate after epoch %lld: %f\n", static_cast<long long>(epoch), decay(epoch));
    };
    auto cost = [&](tape& tp, const batch& b) {
        return net.cost(tp, tp.reference(b.X), tp.reference(b.Y), {loss_kind::sigmoid_bce, 0.0});
    };
    try {
        train(cost, *opt, data.X, data.Y, t);
    } catch (const anomaly_error& e) {
        bar.finish();
        r.error = e.what();
        if (!o.quiet) std::printf("Training stopped: %s\n", e.what());
        return r;
    }
    bar.finish();
    r.train_accuracy = net.accuracy(data.X, data.Y);
    if (!o.quiet) std::printf("Accuracy: %s\n", ex::python_float(r.train_accuracy).c_str());
    if (course_settings) {
        const int i = static_cast<int>(k.method);
        const double published = k.decay_interval > 0 ? k.course_2021_accuracy : ed.accuracy[i];
        if (k.decay_interval == 0 || ed.name == "2021") r.course_accuracy = {{published, 0.0}};
        if (k.decay_interval == 0) r.course_first_cost = ed.cost0[i];
    }
    ex::draw_run_pictures(r, net, data, o.output_dir);
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    ex::start_program(argc, argv);
    // The course's numbers, bit for bit as numpy computes them: glibc's exp and
    // log, not the vectorized ones (ops/math_mode.hpp).
    tapegrad::set_math_mode(tapegrad::math_mode::glibc);
    options o;
    CLI::App app{"The course's optimization exercise: mini-batch gradient descent, momentum and Adam (and in the 2021 "
                 "edition learning-rate decay) on the moons data set.",
                 "optimization"};
    ex::add_output_dir_option(app, o.output_dir);
    app.add_option("--edition", o.edition, "The notebook's edition: 2017, v1b or 2021 (epochs and the cost printed)")
        ->check(CLI::IsMember({"2017", "v1b", "2021"}))
        ->capture_default_str();
    std::vector<std::string> names;
    for (const run_kind& k : run_kinds) names.push_back(k.name);
    std::string all;
    for (const std::string& n : names) all += (all.empty() ? "" : ",") + n;
    app.add_option("--runs", o.runs, "The runs to do, comma-separated: " + all)
        ->delimiter(',')
        ->check(CLI::IsMember(names))
        ->type_name("NAME,NAME")
        ->capture_default_str();
    app.add_option("--adam-epsilon", o.adam_epsilon,
                   "Where Adam's epsilon goes: outside the square root (the formula) or inside (the 2017/v1b "
                   "unit-test output)")
        ->check(CLI::IsMember({"outside", "inside"}))
        ->capture_default_str();
    app.add_option("--epochs", o.epochs, "Epochs per run (default: the edition's, 10000 or 5000)")
        ->check(ex::number_above(1, true, true));
    ex::add_seed_option(app, o.seed);
    app.add_flag("--quiet", o.quiet, "Print only the conclusion table");
    if (auto status = ex::parse(app, argc, argv)) return *status;
    remove_staged_files_on_interrupt();

    int status = 0;
    try {
        ex::require_gnuplot();
        ex::prepare_output_dir(o.output_dir, "boundary_momentum_schedule.png");
        const edition* ed = &editions[0];
        for (const edition& e : editions) {
            if (e.name == o.edition) ed = &e;
        }
        const std::int64_t epochs = o.epochs > 0 ? o.epochs : ed->epochs;
        const bool course_settings = epochs == ed->epochs && o.seed == 3;
        const dataset data = course_moons();
        ex::experiment_record e;
        e.name = "optimization";
        e.title = "Optimization methods (" + ed->name + " edition)";
        e.unit = "epoch";
        e.data_description = "the course's moons: np.random.seed(3), then make_moons(300, noise=0.2); no test set, "
                             "so the accuracy is on these 300 points";
        for (const std::string& name : o.runs) {
            for (const run_kind& k : run_kinds) {
                if (name == k.name) e.runs.push_back(run(k, *ed, o, epochs, data, course_settings));
            }
        }
        ex::draw_summary_picture(e, "costs.svg", "The costs of every run (" + ed->name + " edition)", o.output_dir);
        status = ex::conclude(e, o.output_dir);
    } catch (const std::exception& err) {
        std::fprintf(stderr, "optimization: %s\n", err.what());
        status = 1;
    }
    return ex::finish_program("optimization", status);
}
