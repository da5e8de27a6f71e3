// initialization: the course's weight-initialization exercise. The 3-layer
// network [2, 10, 5, 1] learns the circles data set from zeros, large random
// (x10) and He initial weights; each run prints its costs and accuracies like
// the course, and the program writes results.json, a cost curve and a decision
// boundary per run and report.html into the output folder.
#include <cstdio>
#include <exception>

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

struct method {
    const char* name;
    initialization init;
    const char* title;
    const char* comment;
    double course_train, course_test;  // the course's published accuracies
};

const method methods[] = {
    {"zeros", initialization::zeros, "3-layer NN with zeros initialization", "fails to break symmetry", 0.5, 0.5},
    {"random", initialization::random, "3-layer NN with large random initialization", "too large weights", 0.83, 0.86},
    {"he", initialization::he, "3-layer NN with He initialization", "recommended method", 298.0 / 300.0, 0.96},
};

}  // namespace

int main(int argc, char** argv) {
    ex::start_program(argc, argv);
    // The course's numbers, bit for bit as numpy computes them: glibc's exp and
    // log, not the vectorized ones (ops/math_mode.hpp).
    tapegrad::set_math_mode(tapegrad::math_mode::glibc);
    ex::common_options o;
    o.output_dir = "results/initialization";
    o.iterations = 15000;
    o.learning_rate = 0.01;
    o.runs = {"zeros", "random", "he"};
    CLI::App app{"The course's initialization exercise: zeros, random x10 and He initialization of a 3-layer "
                 "network on the circles data set.",
                 "initialization"};
    ex::add_common_options(app, o, {"zeros", "random", "he"});
    if (auto status = ex::parse(app, argc, argv)) return *status;
    remove_staged_files_on_interrupt();

    int status = 0;
    try {
        ex::require_gnuplot();
        ex::prepare_output_dir(o.output_dir, "boundary_random.png");
        // The course's data: make_circles(300) after seed 1, make_circles(100) after seed 2.
        const split_dataset data = course_circles();
        const bool course_settings = o.iterations == 15000 && o.learning_rate == 0.01 && o.seed == 3;
        ex::experiment_record e{"initialization", "Initialization: zeros, random x10 and He",
                                "the course's circles: make_circles(300) after np.random.seed(1) for training, "
                                "make_circles(100) after seed 2 for testing",
                                {}, "", ""};
        for (const std::string& name : o.runs) {
            for (const method& m : methods) {
                if (name != m.name) continue;
                ex::run_spec spec{m.name, m.title, m.comment, mlp({2, 10, 5, 1}, m.init, o.seed, 10.0), {}, 1000, {},
                                  std::nullopt};
                spec.training.learning_rate = o.learning_rate;
                spec.training.iterations = o.iterations;
                spec.training.record_every = 1000;
                spec.training.cost = {loss_kind::sigmoid_bce, 0.0};  // the course's cost, inf included
                spec.settings = {{"layers", {2, 10, 5, 1}}, {"initialization", m.name},
                                 {"learning_rate", o.learning_rate}, {"iterations", o.iterations},
                                 {"seed", o.seed}, {"loss", "course"}};
                if (m.init == initialization::random) spec.settings["scale"] = 10.0;
                if (course_settings) spec.course_accuracy = {{m.course_train, m.course_test}};
                e.runs.push_back(ex::run_experiment(spec, data, o.quiet, o.output_dir));
            }
        }
        status = ex::conclude(e, o.output_dir);
    } catch (const std::exception& err) {
        std::fprintf(stderr, "initialization: %s\n", err.what());
        status = 1;
    }
    return ex::finish_program("initialization", status);
}
