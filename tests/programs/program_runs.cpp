#include "program_runs.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>

namespace fs = std::filesystem;

namespace program_tests {

std::string example(const std::string& name) { return std::string(TAPEGRAD_EXAMPLES_DIR) + "/" + name; }
#ifdef TAPEGRAD_BENCHMARKS_DIR
std::string benchmark(const std::string& name) { return std::string(TAPEGRAD_BENCHMARKS_DIR) + "/" + name; }
#endif

std::string fresh_dir(const std::string& name) {
    const fs::path dir = fs::path(TAPEGRAD_PROGRAM_RUNS_DIR) / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir.string();
}

std::string course_data_or_skip(const std::string& name) {
    const fs::path path = (fs::path(TAPEGRAD_SOURCE_DIR) / ".." / "shared" / "data" / name).lexically_normal();
    if (fs::is_regular_file(path)) return path.string();
    const char* ci = std::getenv("CI");
    if (ci != nullptr && *ci != '\0') {
        FAIL("the course's data file " << path.string() << " is missing and CI is set: the course checks must run "
                                                           "on CI, so this is a failure");
    }
    std::cout << "SKIPPED: the course's data file " << path.string()
              << " not found (a fresh clone has no ../shared; with CI set this is a failure)" << std::endl;
    return "";
}

process_result run(const std::vector<std::string>& argv, const std::string& working_dir, int timeout_seconds) {
    run_options o;
    o.working_dir = working_dir;
    o.timeout_seconds = timeout_seconds;
    return run_process(argv, o);
}

process_result run_into(const std::string& program, const std::vector<std::string>& arguments, const std::string& dir) {
    fs::remove_all(dir);
    std::vector<std::string> argv{program};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    argv.insert(argv.end(), {"--output-dir", dir});
    const process_result r = run(argv);
    INFO(program << ": " << r.how() << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
    REQUIRE(r.exited_with(0));
    return r;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    INFO(path);
    REQUIRE(in.good());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

json read_json(const std::string& path) {
    const std::string text = read_file(path);
    json doc = json::parse(text, nullptr, false);
    INFO(path << " is not valid JSON");
    REQUIRE_FALSE(doc.is_discarded());
    return doc;
}

namespace {

// The runs' titles as the programs print them: report.html must show each.
const std::map<std::string, std::string> titles = {
    {"zeros", "3-layer NN with zeros initialization"},  {"random", "3-layer NN with large random initialization"},
    {"he", "3-layer NN with He initialization"},        {"none", "3-layer NN without regularization"},
    {"l2", "3-layer NN with L2-regularization"},        {"dropout", "3-layer NN with dropout"}};

void check_run(const std::string& dir, const json& run, const std::string& name, long iterations,
               double learning_rate, const std::string& report) {
    INFO(dir << "/results.json, run '" << name << "'");
    REQUIRE(run["settings"].is_object());
    CHECK(run["settings"]["iterations"] == iterations);
    CHECK(std::fabs(run["settings"]["learning_rate"].get<double>() - learning_rate) <= 1e-15);

    // Costs at iterations 0, 1000, 2000, ... below `iterations`.
    const json& costs = run["costs"];
    REQUIRE(costs.is_array());
    REQUIRE(costs.size() == static_cast<std::size_t>((iterations + 999) / 1000));
    for (std::size_t k = 0; k < costs.size(); ++k) {
        INFO("cost entry " << k << ": " << costs[k].dump());
        REQUIRE((costs[k].is_array() && costs[k].size() == 2));
        CHECK(costs[k][0] == static_cast<long>(k) * 1000);
        const json& cost = costs[k][1];
        CHECK((cost.is_number() || cost == "inf"));
        // The zeros run never breaks symmetry: its cost is ln 2 throughout.
        if (name == "zeros") CHECK((cost.is_number() && std::fabs(cost.get<double>() - 0.6931471805599453) <= 1e-12));
    }
    // Large random weights saturate the sigmoid: log(0) at iteration 0, printed as the course prints it.
    if (name == "random" && !costs.empty()) CHECK(costs[0][1] == "inf");

    for (const char* key : {"train_accuracy", "test_accuracy"}) {
        INFO(key << " = " << run[key].dump());
        CHECK((run[key].is_number() && run[key].get<double>() >= 0.0 && run[key].get<double>() <= 1.0));
    }

    REQUIRE(run["cost_picture"] == "cost_" + name + ".svg");
    REQUIRE(run["boundary_picture"] == "boundary_" + name + ".png");
    const std::string svg = read_file(dir + "/cost_" + name + ".svg");
    const std::string png = read_file(dir + "/boundary_" + name + ".png");
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(png.compare(0, 4, "\x89PNG") == 0);
    for (const std::string& text : {titles.at(name), "cost_" + name + ".svg", "boundary_" + name + ".png"}) {
        INFO("report.html must show '" << text << "'");
        CHECK(report.find(text) != std::string::npos);
    }
}

}  // namespace

json check_experiment_folder(const std::string& dir, const std::string& experiment,
                             const std::vector<std::string>& runs, long iterations, double learning_rate) {
    const json doc = read_json(dir + "/results.json");
    INFO(dir << "/results.json");
    REQUIRE(doc.is_object());
    CHECK(doc["experiment"] == experiment);
    CHECK(doc["data"].is_string());
    std::vector<std::string> names;
    for (const json& run : doc["runs"]) names.push_back(run["name"].get<std::string>());
    REQUIRE(names == runs);
    const std::string report = read_file(dir + "/report.html");
    for (std::size_t i = 0; i < runs.size(); ++i) check_run(dir, doc["runs"][i], runs[i], iterations, learning_rate, report);
    // Every file is written under a temporary name and renamed: none may be left.
    for (const auto& entry : fs::directory_iterator(dir)) {
        INFO("temporary file left: " << entry.path().string());
        CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
    }
    return doc;
}

}  // namespace program_tests
