// gradient_checking: the run exits 0 (every check came out as the course says),
// and its results.json holds the course's numbers: the exit status alone would
// not catch a check that fails for the wrong reason or a difference that drifted.
#include <algorithm>
#include <string>
#include <vector>

#include "program_runs.hpp"

namespace program_tests {

namespace {

json find_check(const json& doc, const std::string& name) {
    for (const json& c : doc["checks"]) {
        if (c["name"] == name) return c;
    }
    FAIL("results.json has no check named '" << name << "'");
    return json();
}

std::vector<std::string> sorted_culprits(const json& check) {
    std::vector<std::string> names = check["culprits"].get<std::vector<std::string>>();
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST_CASE("gradient_checking reproduces the course's checks and names the planted bugs", "[programs][course]") {
    const std::string dir = fresh_dir("gradient_checking");
    run_into(example("gradient_checking"), {"--quiet"}, dir);
    const json doc = read_json(dir + "/results.json");

    const json one = find_check(doc, "one_dimensional");  // the course's 2.9e-10
    CHECK(one["difference"].get<double>() > 1e-10);
    CHECK(one["difference"].get<double>() < 1e-9);
    CHECK(one["passed"] == true);

    const json correct = find_check(doc, "n_dimensional_correct");  // passes the course's threshold 2e-7
    CHECK(correct["difference"].get<double>() < 2e-7);
    CHECK(correct["passed"] == true);

    const json buggy = find_check(doc, "n_dimensional_buggy");  // the course's 0.2850931568, naming dW2 and db1
    CHECK(buggy["difference"].get<double>() > 0.28509315675);
    CHECK(buggy["difference"].get<double>() < 0.28509315685);
    CHECK(buggy["passed"] == false);
    CHECK(sorted_culprits(buggy) == std::vector<std::string>{"dW2", "db1"});

    const json full = find_check(doc, "autodiff_full");  // far below what the course's epsilon shows
    CHECK(full["difference"].get<double>() < 1e-8);
    CHECK(full["passed"] == true);

    const json fast = find_check(doc, "autodiff_fast");  // a handful of evaluations
    CHECK(fast["passed"] == true);
    CHECK(fast["evaluations"].get<int>() < 10);

    // Fails; the full check it falls back to names W2, and its tape audit the op.
    const json wrong = find_check(doc, "fast_wrong_gradient");
    CHECK(wrong["passed"] == false);
    CHECK(sorted_culprits(wrong) == std::vector<std::string>{"W2"});
    CHECK(wrong["faulty_ops"] == json::array({"with_doubled_gradient"}));
    // The hand-written backward has no tape to audit.
    CHECK(buggy["faulty_ops"] == json::array());
}

}  // namespace program_tests
