// linspace and make_spirals against numpy (tests/data/spirals.json, written by
// tests/data/make_spirals.py): linspace bit for bit; the spirals' random draws
// bit for bit, so the points agree to the last bit or two of sin and cos.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tapegrad/data.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;

namespace {

nlohmann::json spirals_json() {
    std::ifstream in(std::string(TAPEGRAD_SOURCE_DIR) + "/tests/data/spirals.json");
    REQUIRE(in);
    return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("linspace gives numpy's values bit for bit", "[datasets][spirals]") {
    const nlohmann::json data = spirals_json();  // kept: a range-for over a temporary's member dangles
    REQUIRE(data["linspace"].size() == 7);
    for (const auto& c : data["linspace"]) {
        const std::vector<double> expected = c["values"].get<std::vector<double>>();
        CAPTURE(c["start"].get<double>(), c["stop"].get<double>(), c["n"].get<int>(), c["endpoint"].get<bool>());
        const std::vector<double> v =
            linspace(c["start"].get<double>(), c["stop"].get<double>(), c["n"].get<std::size_t>(), c["endpoint"].get<bool>());
        REQUIRE(v.size() == expected.size());
        for (std::size_t i = 0; i < v.size(); ++i) CHECK(v[i] == expected[i]);
    }
    CHECK(linspace(0.0, 1.0, 0).empty());
}

TEST_CASE("make_spirals follows numpy's recipe: the same labels, the same points", "[datasets][spirals]") {
    const nlohmann::json data = spirals_json();
    REQUIRE(data["spirals"].size() == 2);
    for (const auto& c : data["spirals"]) {
        const std::size_t n = c["points_per_class"].get<std::size_t>(), k = c["classes"].get<std::size_t>();
        CAPTURE(c["seed"].get<int>(), n, k);
        random_state rng(c["seed"].get<std::int64_t>());
        const dataset d = make_spirals(n, k, rng, c["noise"].get<double>());
        REQUIRE(shape_of(d.X) == shape2{2, n * k});
        REQUIRE(shape_of(d.Y) == shape2{1, n * k});
        const std::vector<double> y = c["y"].get<std::vector<double>>();
        double worst = 0.0;
        for (std::size_t j = 0; j < n * k; ++j) {
            CHECK(d.Y(0, j) == y[j]);
            for (std::size_t row = 0; row < 2; ++row) {
                worst = std::max(worst, std::abs(d.X(row, j) - c["X"][row][j].get<double>()));
            }
        }
        // The points lie in the unit disc: a few ulps of sin and cos at most.
        CHECK(worst <= 1e-15);
        CHECK(class_count(d.Y) == k);
    }
}

TEST_CASE("make_spirals refuses what makes no spiral", "[datasets][spirals]") {
    random_state rng(0);
    CHECK_THROWS_MATCHES(make_spirals(1, 3, rng), value_error, message_contains({"make_spirals", "2 points per class", "got 1"}));
    CHECK_THROWS_MATCHES(make_spirals(10, 1, rng), value_error, message_contains({"make_spirals", "2 classes", "got 1"}));
    CHECK_THROWS_MATCHES(make_spirals(10, 3, rng, -0.1), value_error, message_contains({"noise", "-0.1"}));
    CHECK_THROWS_AS(make_spirals(10, 3, rng, std::nan("")), value_error);
}
