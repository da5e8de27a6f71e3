// The initialization and regularization programs end to end: short runs write
// every file they promise, and at the course's settings they print the course's
// published numbers (../shared/REFERENCE.md).
#include <cmath>
#include <string>
#include <vector>

#include "program_runs.hpp"

namespace program_tests {

namespace {

// A run not at the course's settings must not claim the course's accuracies.
void check_no_course_claims(const json& doc) {
    for (const json& run : doc["runs"]) {
        INFO("run '" << run["name"].get<std::string>() << "' gives course_train_accuracy at other settings");
        CHECK_FALSE(run.contains("course_train_accuracy"));
    }
}

void check_data_mentions(const json& doc, const std::vector<std::string>& texts) {
    for (const std::string& text : texts) {
        INFO("results.json's data '" << doc["data"].get<std::string>() << "' must mention '" << text << "'");
        CHECK(doc["data"].get<std::string>().find(text) != std::string::npos);
    }
}

struct course_run {
    std::string name;
    double train, test;
    std::string cost0;  // a number, or "inf"
};

// Accuracies are ratios of counts: anything but the course's to 1e-12 is another
// model. Iteration-0 costs to 1e-12 relative. report.html marks all three reproduced.
void check_course_numbers(const std::string& dir, const json& doc, const std::vector<course_run>& course) {
    for (std::size_t i = 0; i < course.size(); ++i) {
        const course_run& c = course[i];
        const json& run = doc["runs"][i];
        INFO(dir << "/results.json, run '" << c.name << "': " << run.dump().substr(0, 400));
        CHECK(std::fabs(run["train_accuracy"].get<double>() - c.train) <= 1e-12);
        CHECK(std::fabs(run["test_accuracy"].get<double>() - c.test) <= 1e-12);
        const json& cost0 = run["costs"][0][1];
        if (c.cost0 == "inf") {
            CHECK(cost0 == "inf");
        } else {
            const double expected = std::stod(c.cost0);
            CHECK((cost0.is_number() && std::fabs(cost0.get<double>() - expected) <= 1e-12 * std::fabs(expected)));
        }
        // At the course's settings the program gives the course's numbers beside its own.
        REQUIRE(run.contains("course_train_accuracy"));
        CHECK(std::fabs(run["course_train_accuracy"].get<double>() - c.train) <= 1e-12);
        CHECK(std::fabs(run["course_test_accuracy"].get<double>() - c.test) <= 1e-12);
    }
    const std::string report = read_file(dir + "/report.html");
    std::size_t reproduced = 0;
    for (std::size_t at = report.find("(reproduced)"); at != std::string::npos; at = report.find("(reproduced)", at + 1)) {
        ++reproduced;
    }
    CHECK(reproduced == 3);
    CHECK(report.find("(differs)") == std::string::npos);
}

}  // namespace

TEST_CASE("initialization: a short run of every initialization writes its results, pictures and report",
          "[programs][initialization]") {
    const std::string dir = fresh_dir("initialization_short");
    run_into(example("initialization"), {"--iterations", "200", "--quiet"}, dir);
    check_no_course_claims(check_experiment_folder(dir, "initialization", {"zeros", "random", "he"}, 200, 0.01));
}

TEST_CASE("initialization: --runs he runs He alone", "[programs][initialization]") {
    const std::string dir = fresh_dir("initialization_he_only");
    run_into(example("initialization"), {"--iterations", "200", "--quiet", "--runs", "he"}, dir);
    check_no_course_claims(check_experiment_folder(dir, "initialization", {"he"}, 200, 0.01));
}

TEST_CASE("regularization: without --data it says so and uses the generated set", "[programs][regularization]") {
    const std::string dir = fresh_dir("regularization_short");
    run_into(example("regularization"), {"--iterations", "200", "--quiet"}, dir);
    const json doc = check_experiment_folder(dir, "regularization", {"none", "l2", "dropout"}, 200, 0.3);
    check_data_mentions(doc, {"make_noisy_field"});
    check_no_course_claims(doc);
}

TEST_CASE("regularization: the course's data as a CSV pair, the test file found from the training file's name",
          "[programs][regularization]") {
    const std::string data = course_data_or_skip("football_train.csv");
    if (data.empty()) return;
    const std::string dir = fresh_dir("regularization_csv");
    run_into(example("regularization"), {"--iterations", "100", "--quiet", "--data", data}, dir);
    const json doc = check_experiment_folder(dir, "regularization", {"none", "l2", "dropout"}, 100, 0.3);
    check_data_mentions(doc, {"football_train.csv", "211 training, 200 test examples"});
    check_no_course_claims(doc);
}

TEST_CASE("initialization at the course's settings gives the course's accuracies and costs", "[programs][course]") {
    const std::string dir = fresh_dir("initialization_course");
    run_into(example("initialization"), {"--quiet"}, dir);
    const json doc = check_experiment_folder(dir, "initialization", {"zeros", "random", "he"}, 15000, 0.01);
    check_course_numbers(dir, doc,
                         {{"zeros", 0.5, 0.5, "0.6931471805599453"},
                          {"random", 0.83, 0.86, "inf"},
                          {"he", 0.9933333333333333, 0.96, "0.8830537463419761"}});  // he: 298/300
}

TEST_CASE("regularization on the course's football.mat gives the course's accuracies and costs", "[programs][course]") {
    const std::string data = course_data_or_skip("football.mat");
    if (data.empty()) return;
    const std::string dir = fresh_dir("regularization_course");
    run_into(example("regularization"), {"--quiet", "--data", data}, dir);
    const json doc = check_experiment_folder(dir, "regularization", {"none", "l2", "dropout"}, 30000, 0.3);
    check_data_mentions(doc, {"football.mat"});
    check_course_numbers(dir, doc,
                         {{"none", 0.9478672985781991, 0.915, "0.6557412523481002"},     // 200/211, 183/200
                          {"l2", 0.9383886255924171, 0.93, "0.6974484493131264"},        // 198/211, 186/200
                          {"dropout", 0.9289099526066351, 0.95, "0.6543912405149825"}});  // 196/211, 190/200
}

}  // namespace program_tests
