// What the initialization and regularization programs share: their common
// options, training one run the course's way (printing its costs, drawing its
// pictures), and writing results.json, the conclusion table and report.html.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <tapegrad/data/dataset.hpp>
#include <tapegrad/models/mlp.hpp>
#include <tapegrad/models/mlp_training.hpp>

namespace tapegrad::examples {

using json = nlohmann::ordered_json;

// Options every experiment program takes, under the same names.
struct common_options {
    std::string output_dir;
    std::int64_t iterations = 0;
    double learning_rate = 0.0;
    std::vector<std::string> runs;
    std::int64_t seed = 3;  // the initialization's seed
    bool quiet = false;
};

// Adds --output-dir, --iterations, --learning-rate, --runs (a comma-separated
// subset of `run_names`), --seed and --quiet with validation, so a bad value is
// rejected with a message before any work starts.
void add_common_options(CLI::App& app, common_options& o, const std::vector<std::string>& run_names);

// The options every experiment program shares, under one name and help text:
// --output-dir DIR and --seed (the weight initialization's, a seed numpy takes).
void add_output_dir_option(CLI::App& app, std::string& output_dir);
void add_seed_option(CLI::App& app, std::int64_t& seed);

// Validators that say what was expected and what was given: a number (or a
// whole number) above `low` (or at least `low`, when inclusive), and a number in (0, 1].
CLI::Validator number_above(double low, bool inclusive, bool whole = false);
CLI::Validator keep_prob_range();

// Parses the command line; returns the exit status when there is nothing more
// to do (--help: 0; a bad command line: 2, after CLI11's message).
std::optional<int> parse(CLI::App& app, int argc, char** argv);

// One run: a model, how to train it, and what to say about it.
struct run_spec {
    std::string name;     // e.g. "he"
    std::string title;    // e.g. "He initialization"
    std::string comment;  // for the conclusion table
    mlp model;
    training_options training;
    std::int64_t print_every = 1000;  // "Cost after iteration i" lines
    json settings;
    // The course's published (train, test) accuracies, when these are its settings and data.
    std::optional<std::pair<double, double>> course_accuracy;
};

struct run_record {
    std::string name, title, comment;
    json settings;
    std::vector<std::pair<std::int64_t, double>> costs;  // as far as training went
    double train_accuracy = 0.0;
    double test_accuracy = 0.0;
    bool has_test_set = true;  // false: test_accuracy (and the course's test figure) mean nothing
    std::optional<std::pair<double, double>> course_accuracy;
    std::optional<double> course_first_cost;  // the course's printed first cost (6 decimals), when published
    std::string cost_picture;      // file names inside the output folder; "" when not drawn
    std::string boundary_picture;
    std::string error;                        // why training stopped, when it did
    std::vector<std::string> picture_errors;  // pictures that could not be drawn (the numbers are kept)
    std::string note;                         // e.g. why there is no decision boundary
    json checks;  // gradient checks done before training, when the program does any (results.json "checks")
};

struct experiment_record {
    std::string name;   // "initialization"
    std::string title;  // a sentence for the report's heading
    std::string data_description;
    std::vector<run_record> runs;
    std::string summary_picture;        // every run's cost curve in one picture, when drawn
    std::string summary_picture_error;  // why it could not be
    std::string unit = "iteration";     // what a cost is recorded after: "iteration" or "epoch"

    // Whether a run stopped or a picture is missing: the program then exits 1
    // after writing everything it has.
    bool failed() const;
    // Prints what failed on stderr, prefixed by the program's name.
    void report_failures(const char* program) const;
};

// Trains the run as the course does, printing its costs and accuracies like the
// course (unless quiet; progress on a terminal), and draws its cost curve and,
// for 2-D data, its decision boundary into output_dir. A run whose training
// stops (anomaly_error: NaN, divergence) is recorded with its error and the costs
// so far; a picture that cannot be drawn is recorded as missing. Neither throws:
// the other runs and the numbers go on.
run_record run_experiment(run_spec& spec, const split_dataset& data, bool quiet, const std::string& output_dir);

// Draws a trained run's cost curve (cost_NAME.svg) and, for 2-D points, its
// decision boundary over them (boundary_NAME.png) into output_dir, recording
// the file names, or what could not be drawn, in r.
void draw_run_pictures(run_record& r, const mlp& model, const dataset& points, const std::string& output_dir);

// The course's conclusion table: model, train accuracy, test accuracy, comment.
void print_conclusion(const experiment_record& e);

// Draws every run's cost curve in one picture, NAME in output_dir, and records it in e.
void draw_summary_picture(experiment_record& e, const std::string& name, const std::string& title,
                          const std::string& output_dir);

// results.json: {"experiment", "runs": [{"name", "settings", "costs": [[i, cost]...],
// "train_accuracy", "test_accuracy", "cost_picture", "boundary_picture",
// "course_train_accuracy", ... and "course_first_cost" where published}]} (an
// infinite cost is the string "inf"; a missing picture null, with
// "picture_errors"; a stopped run has "error" and null accuracies), and
// report.html with the table, the numbers and the pictures.
void write_results(const experiment_record& e, const std::string& output_dir);

// What every experiment program does last: the conclusion table, results.json
// and report.html in output_dir, the report's path; then, when a run stopped or
// a picture is missing, what failed on stderr (prefixed by e.name, the
// program's name). Returns the exit status: 0, or 1 after a failure.
int conclude(const experiment_record& e, const std::string& output_dir);

// The JSON value of a cost: a number, or "inf" / "-inf" / "nan".
json cost_value(double c);

}  // namespace tapegrad::examples
