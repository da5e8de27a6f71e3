// multiclass: a softmax network learns the classic 3-class spiral (make_spirals:
// 3 arms of 100 points, no line or single bend separates them). Before training,
// the full gradient check of the cost and the tape audit of every recorded op;
// then mini-batch Adam with the general train loop; train and test accuracy
// (the test set: the same recipe on another seed). Writes results.json, the
// cost curve, the decision regions (a colour per class) and report.html.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <tapegrad/data.hpp>
#include <tapegrad/tapegrad.hpp>

#include "../common/experiment.hpp"
#include "../common/output_files.hpp"
#include "../common/plots.hpp"
#include "../common/program.hpp"

using namespace tapegrad;
namespace ex = tapegrad::examples;

namespace {

struct options {
    std::string output_dir = "results/multiclass";
    std::size_t classes = 3;
    std::size_t points = 100;  // per class
    double noise = 0.2;
    std::vector<std::size_t> hidden = {64, 64};
    std::string activation = "relu";
    std::int64_t epochs = 300;
    std::size_t batch_size = 64;
    double learning_rate = 0.01;
    std::int64_t seed = 1;       // the weights' initialization
    std::int64_t data_seed = 0;  // the training set; the test set uses data_seed + 1
    bool quiet = false;
};

// The full check costs 2 forward passes per scalar, each about scalars x m
// multiply-adds: above this product (40 times the default network's) the fast
// check runs instead, and the report says so.
constexpr double full_check_budget = 5e7;

// The full check of the cost's gradient (every scalar of every parameter), and
// the tape audit of the recorded ops (each op's backward against its forward).
ex::json check_before_training(mlp& net, const dataset& train, const options& o) {
    auto cost = [&](tape& t) { return net.cost(t, t.reference(train.X), t.reference(train.Y)); };
    std::size_t parameters = 0;
    for (const parameter* p : net.parameters()) parameters += p->value().size();
    const bool full = static_cast<double>(parameters) * static_cast<double>(train.X.shape()[1]) <= full_check_budget;
    const gradient_report report =
        full ? check_gradients(cost, net.parameters()) : check_gradients_fast(cost, net.parameters());
    tape t;
    (void)cost(t);
    const tape_audit_report audit = audit_tape(t);
    if (!o.quiet) {
        std::printf("Gradient check before training (%zu scalars%s):\n%s%s\n", parameters,
                    full ? "" : "; the fast check: a full one would take 2 forward passes per scalar",
                    report.to_string().c_str(), audit.to_string().c_str());
    }
    ex::json checks = {{"gradient_check", {{"method", report.method},
                                           {"difference", report.difference},
                                           {"threshold", report.threshold},
                                           {"passed", report.passed},
                                           {"evaluations", report.evaluations}}},
                       {"tape_audit", {{"ops_checked", audit.ops_checked},
                                       {"ops_skipped", audit.ops_skipped},
                                       {"ops_not_differentiable", audit.ops_not_differentiable},
                                       {"faulty_ops", audit.faulty_ops()},
                                       {"passed", audit.passed()}}}};
    if (!report.passed || !audit.passed()) {
        throw std::runtime_error("the gradient check before training failed:\n" + report.to_string() + audit.to_string());
    }
    return checks;
}

}  // namespace

int main(int argc, char** argv) {
    ex::start_program(argc, argv);
    options o;
    CLI::App app{"A softmax network on the K-class spiral data set: gradient check, then mini-batch Adam.", "multiclass"};
    ex::add_output_dir_option(app, o.output_dir);
    app.add_option("--classes", o.classes, "Spiral arms (classes), K")
        ->check(CLI::Range(std::size_t{2}, std::size_t{6}))
        ->capture_default_str();
    app.add_option("--points", o.points, "Points per class, in the training set and in the test set")
        ->check(CLI::Range(std::size_t{2}, std::size_t{100000}))
        ->capture_default_str();
    app.add_option("--noise", o.noise, "Standard deviation of the noise on each point's angle")
        ->check(CLI::Range(0.0, 10.0))
        ->capture_default_str();
    app.add_option("--hidden", o.hidden, "Hidden layer sizes, comma-separated")
        ->delimiter(',')
        ->check(CLI::Range(std::size_t{1}, std::size_t{4096}))
        ->type_name("N,N")
        ->capture_default_str();
    app.add_option("--activation", o.activation, "The hidden layers' activation")
        ->check(CLI::IsMember({"relu", "tanh", "leaky_relu", "elu"}))
        ->capture_default_str();
    app.add_option("--epochs", o.epochs, "Epochs of mini-batch Adam")->check(ex::number_above(0, true, true))->capture_default_str();
    app.add_option("--batch-size", o.batch_size, "Examples per mini-batch")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}))
        ->capture_default_str();
    app.add_option("--learning-rate", o.learning_rate, "Adam's learning rate")
        ->check(ex::number_above(0, false))
        ->capture_default_str();
    ex::add_seed_option(app, o.seed);
    app.add_option("--data-seed", o.data_seed, "Seed of the training set; the test set uses the next one")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{4294967294}))
        ->capture_default_str();
    app.add_flag("--quiet", o.quiet, "Print only the conclusion table");
    if (auto status = ex::parse(app, argc, argv)) return *status;
    remove_staged_files_on_interrupt();

    int status = 0;
    try {
        ex::require_gnuplot();
        ex::prepare_output_dir(o.output_dir, "boundary_softmax.png");
        random_state train_rng(o.data_seed), test_rng(o.data_seed + 1);
        const split_dataset data{make_spirals(o.points, o.classes, train_rng, o.noise),
                                 make_spirals(o.points, o.classes, test_rng, o.noise)};

        std::vector<std::size_t> sizes{2};
        sizes.insert(sizes.end(), o.hidden.begin(), o.hidden.end());
        sizes.push_back(o.classes);
        mlp_options shape;
        shape.hidden = activation_from_string(o.activation);
        shape.output = output_kind::softmax;
        mlp net(sizes, shape, initialization::he, o.seed);

        ex::run_record r;
        r.name = "softmax";
        r.title = std::to_string(o.classes) + "-class spiral, softmax network";
        r.comment = "softmax cross-entropy, Adam";
        std::vector<std::size_t> layers = sizes;
        r.settings = {{"layers", layers}, {"hidden_activation", o.activation}, {"output", "softmax"},
                      {"initialization", "he"}, {"seed", o.seed}, {"optimizer", "adam"},
                      {"learning_rate", o.learning_rate}, {"mini_batch_size", o.batch_size}, {"epochs", o.epochs},
                      {"classes", o.classes}, {"points_per_class", o.points}, {"noise", o.noise},
                      {"data_seed", o.data_seed}};
        r.checks = check_before_training(net, data.train, o);

        adam_options a;
        a.learning_rate = o.learning_rate;
        adam opt(net.parameters(), a);
        train_options t;
        t.epochs = o.epochs;
        t.batch_size = o.batch_size;
        t.shuffle_seed = 1;
        t.record_every = 1;
        t.progress = !o.quiet;
        t.progress_label = "softmax";
        const std::int64_t print_every = std::max<std::int64_t>(1, o.epochs / 10);
        t.on_record = [&](std::int64_t epoch, double cost) {
            r.costs.emplace_back(epoch, cost);
            if (!o.quiet && epoch % print_every == 0) std::printf("Cost after epoch %lld: %f\n", static_cast<long long>(epoch), cost);
        };
        auto cost = [&](tape& tp, const batch& b) { return net.cost(tp, tp.reference(b.X), tp.reference(b.Y)); };
        try {
            train(cost, opt, data.train.X, data.train.Y, t);
            r.train_accuracy = net.accuracy(data.train.X, data.train.Y);
            r.test_accuracy = net.accuracy(data.test.X, data.test.Y);
            if (!o.quiet) {
                std::printf("Train accuracy: %s\nTest accuracy: %s\n", ex::python_float(r.train_accuracy).c_str(),
                            ex::python_float(r.test_accuracy).c_str());
            }
        } catch (const anomaly_error& e) {
            r.error = e.what();
            if (!o.quiet) std::printf("Training stopped: %s\n", e.what());
        }
        if (r.error.empty()) ex::draw_run_pictures(r, net, data.train, o.output_dir);

        ex::experiment_record e;
        e.name = "multiclass";
        e.title = "A softmax network on the " + std::to_string(o.classes) + "-class spiral";
        e.unit = "epoch";
        e.data_description = "make_spirals(" + std::to_string(o.points) + " points per class, " +
                             std::to_string(o.classes) + " classes, noise " + ex::python_float(o.noise) +
                             "): training set np.random.seed(" + std::to_string(o.data_seed) + "), test set seed " +
                             std::to_string(o.data_seed + 1);
        e.runs.push_back(r);
        status = ex::conclude(e, o.output_dir);
    } catch (const std::exception& err) {
        std::fprintf(stderr, "multiclass: %s\n", err.what());
        status = 1;
    }
    return ex::finish_program("multiclass", status);
}
