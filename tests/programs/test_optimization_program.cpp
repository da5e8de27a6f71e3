// The optimization program end to end: a short run writes every file it
// promises and prints the course's lines; the three editions at the course's
// settings give the published accuracies and epoch-0 costs
// (../shared/REFERENCE_OPTIMIZATION.md).
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "program_runs.hpp"

namespace program_tests {

namespace {

struct published {
    std::string run;
    double accuracy;
    double cost0;  // printed with %f; 0: not published
};

// Checks results.json and report.html of an optimization run of `epochs`
// epochs whose runs are exactly those of `expected`: costs every 100 epochs
// from 0, an accuracy on the training points and none on a test set, a cost
// curve and a decision boundary per run, the three-run summary picture.
json check_optimization_folder(const std::string& dir, const std::string& edition, long epochs,
                               const std::vector<std::string>& runs) {
    const json doc = read_json(dir + "/results.json");
    INFO(dir << "/results.json");
    CHECK(doc["experiment"] == "optimization");
    CHECK(doc["cost_picture"] == "costs.svg");
    CHECK(read_file(dir + "/costs.svg").find("<svg") != std::string::npos);
    const std::string report = read_file(dir + "/report.html");
    REQUIRE(doc["runs"].size() == runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const json& run = doc["runs"][i];
        INFO("run '" << runs[i] << "': " << run.dump().substr(0, 300));
        CHECK(run["name"] == runs[i]);
        CHECK(run["settings"]["edition"] == edition);
        CHECK(run["settings"]["epochs"] == epochs);
        CHECK(run["settings"]["mini_batch_size"] == 64);
        const json& costs = run["costs"];
        REQUIRE(costs.size() == static_cast<std::size_t>((epochs + 99) / 100));
        for (std::size_t k = 0; k < costs.size(); ++k) {
            CHECK(costs[k][0] == static_cast<long>(k) * 100);
            CHECK((costs[k][1].is_number() && costs[k][1].get<double>() > 0.0));
        }
        CHECK((run["train_accuracy"].is_number() && run["train_accuracy"] >= 0.0 && run["train_accuracy"] <= 1.0));
        CHECK(run["test_accuracy"].is_null());
        CHECK(read_file(dir + "/cost_" + runs[i] + ".svg").find("<svg") != std::string::npos);
        CHECK(read_file(dir + "/boundary_" + runs[i] + ".png").compare(0, 4, "\x89PNG") == 0);
        CHECK(report.find("boundary_" + runs[i] + ".png") != std::string::npos);
    }
    return doc;
}

std::string printed(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%f", value);
    return text;
}

// A whole edition at the course's settings: every accuracy to 1e-12 (a ratio of
// counts), every published epoch-0 cost to its 6 printed decimals, each also in
// the program's printed "Cost after epoch 0" line, and report.html saying so.
void check_edition(const std::string& edition, const std::string& adam_epsilon, long epochs,
                   const std::vector<published>& course) {
    const std::string dir = fresh_dir("optimization_course_" + edition + "_" + adam_epsilon);
    std::vector<std::string> runs;
    std::string list;
    for (const published& p : course) {
        runs.push_back(p.run);
        list += (list.empty() ? "" : ",") + p.run;
    }
    const process_result r = run_into(example("optimization"),
                                      {"--edition", edition, "--runs", list, "--adam-epsilon", adam_epsilon}, dir);
    const json doc = check_optimization_folder(dir, edition, epochs, runs);
    for (std::size_t i = 0; i < course.size(); ++i) {
        const published& p = course[i];
        const json& run = doc["runs"][i];
        INFO(edition << ", run '" << p.run << "'");
        CHECK(std::fabs(run["train_accuracy"].get<double>() - p.accuracy) <= 1e-12);
        CHECK(std::fabs(run["course_train_accuracy"].get<double>() - p.accuracy) <= 1e-12);
        if (p.cost0 > 0.0) {
            CHECK(printed(run["costs"][0][1].get<double>()) == printed(p.cost0));
            CHECK(run["course_first_cost"] == p.cost0);
        }
    }
    for (const published& p : course) {
        if (p.cost0 == 0.0) continue;
        INFO("stdout must print the course's line for " << p.run);
        CHECK(r.out.find("Cost after epoch 0: " + printed(p.cost0)) != std::string::npos);
    }
    const std::string report = read_file(dir + "/report.html");
    CHECK(report.find("differs") == std::string::npos);
}

}  // namespace

TEST_CASE("optimization: a short run writes its results and prints the course's lines", "[programs][optimization]") {
    const std::string dir = fresh_dir("optimization_short");
    const process_result r =
        run_into(example("optimization"), {"--epochs", "300", "--runs", "gd,adam,gd_update_lr"}, dir);
    const json doc = check_optimization_folder(dir, "2021", 300, {"gd", "adam", "gd_update_lr"});
    // Not the course's settings: no claim of the course's accuracies.
    for (const json& run : doc["runs"]) CHECK_FALSE(run.contains("course_train_accuracy"));
    // Epoch 0 does not depend on how many follow: the course's first line.
    CHECK(r.out.find("Model with Gradient Descent optimization\nCost after epoch 0: 0.702405\n") != std::string::npos);
    CHECK(r.out.find("Gradient Descent with update_lr\nCost after epoch 0: ") != std::string::npos);
    CHECK(r.out.find("learning rate after epoch 0: 0.100000\n") != std::string::npos);
    CHECK(r.out.find("Accuracy: ") != std::string::npos);
    // Adam at this rate learns the moons within 300 epochs; plain gradient descent barely moves.
    const json& adam = doc["runs"][1]["costs"];
    CHECK(adam[2][1].get<double>() < adam[0][1].get<double>() - 0.1);
    CHECK(doc["runs"][2]["settings"]["decay"] == "update_lr");
}

TEST_CASE("optimization with --edition 2017 reports the last batch's cost", "[programs][optimization]") {
    const std::string dir = fresh_dir("optimization_2017_short");
    const process_result r = run_into(example("optimization"), {"--edition", "2017", "--epochs", "1", "--runs", "gd"}, dir);
    check_optimization_folder(dir, "2017", 1, {"gd"});
    CHECK(r.out.find("Cost after epoch 0: 0.690736\n") != std::string::npos);
}

TEST_CASE("optimization in the 2017 edition: the course's accuracies and epoch-0 costs", "[programs][course]") {
    // The 2017 and v1b unit tests printed Adam with epsilon inside the root; the accuracies are the same.
    check_edition("2017", "inside", 10000,
                  {{"gd", 239.0 / 300.0, 0.690736}, {"momentum", 239.0 / 300.0, 0.690741}, {"adam", 0.94, 0.690552}});
}

TEST_CASE("optimization in the v1b edition: the course's accuracies and epoch-0 costs", "[programs][course]") {
    check_edition("v1b", "outside", 10000,
                  {{"gd", 239.0 / 300.0, 0.702405}, {"momentum", 239.0 / 300.0, 0.702413}, {"adam", 0.94, 0.702166}});
}

TEST_CASE("optimization in the 2021 edition with its decay runs: the course's accuracies and epoch-0 costs",
          "[programs][course]") {
    check_edition("2021", "outside", 5000,
                  {{"gd", 215.0 / 300.0, 0.702405},
                   {"momentum", 215.0 / 300.0, 0.702413},
                   {"adam", 283.0 / 300.0, 0.702166},
                   {"gd_update_lr", 196.0 / 300.0, 0.0},
                   {"gd_schedule", 283.0 / 300.0, 0.0},
                   {"momentum_schedule", 286.0 / 300.0, 0.0},
                   {"adam_schedule", 0.94, 0.0}});
}

}  // namespace program_tests
