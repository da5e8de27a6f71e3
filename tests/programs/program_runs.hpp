// What the program tests share: where the built programs are, a fresh output
// folder per test, the course's data files (skipped when absent, a failure on
// CI), and the checks of an experiment program's output folder.
#pragma once

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../../examples/common/subprocess.hpp"

namespace program_tests {

using json = nlohmann::ordered_json;
using tapegrad::examples::process_result;
using tapegrad::examples::run_options;
using tapegrad::examples::run_process;

// Runs argv in `working_dir` (this process's when empty).
process_result run(const std::vector<std::string>& argv, const std::string& working_dir = "", int timeout_seconds = 600);

// The path of a built example program (initialization, ...) or benchmark (training_step, ...).
std::string example(const std::string& name);
#ifdef TAPEGRAD_BENCHMARKS_DIR  // defined where the benchmarks are built
std::string benchmark(const std::string& name);
#endif

// An empty folder for one test's files, under the build tree.
std::string fresh_dir(const std::string& name);

// The course's data file `name` in ../shared/data beside the repository, or ""
// after printing "SKIPPED: ... not found" (the test's ctest properties turn that
// into a skip). A fresh clone has no ../shared; with the environment variable
// CI set, a missing file is a failure instead.
std::string course_data_or_skip(const std::string& name);

// Runs `program` with `arguments` and --output-dir `dir` (emptied first); it must exit 0.
process_result run_into(const std::string& program, const std::vector<std::string>& arguments, const std::string& dir);

json read_json(const std::string& path);
std::string read_file(const std::string& path);

// Checks the output folder of an initialization or regularization run of
// `iterations` iterations at `learning_rate` whose runs are exactly `runs`:
// results.json names the experiment and the runs; each run has its settings, a
// cost every 1000 iterations from 0 (numbers, or "inf"), accuracies in [0, 1],
// and its two pictures (an SVG and a PNG, non-empty); report.html shows every
// run's title and pictures; no temporary file is left. Returns results.json.
json check_experiment_folder(const std::string& dir, const std::string& experiment,
                             const std::vector<std::string>& runs, long iterations, double learning_rate);

}  // namespace program_tests
