// The course's initializations, checked against its published check values.
#include <catch2/catch.hpp>

#include <cmath>

#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;

namespace {

void check_values(const matrix& m, std::initializer_list<double> expected) {
    REQUIRE(m.size() == expected.size());
    std::size_t k = 0;
    for (double e : expected) {
        CAPTURE(k);
        CHECK(m.data()[k++] == Approx(e).margin(5e-9));  // printed to 8 decimals
    }
}

}  // namespace

TEST_CASE("random initialization x10 of [3, 2, 1] reproduces the course's check values", "[init]") {
    const named_matrices p = initialize_parameters({3, 2, 1}, initialization::random, 3, 10.0);
    REQUIRE(p.size() == 4);
    check_values(find_named(p, "W1"), {17.88628473, 4.36509851, 0.96497468, -18.63492703, -2.77388203, -3.54758979});
    check_values(find_named(p, "W2"), {-0.82741481, -6.27000677});
    CHECK((find_named(p, "b1") == make_matrix(2, 1, 0.0)));
    CHECK((find_named(p, "b2") == make_matrix(1, 1, 0.0)));
}

TEST_CASE("He initialization of [2, 4, 1] reproduces the course's check values", "[init]") {
    const named_matrices p = initialize_parameters({2, 4, 1}, initialization::he);
    check_values(find_named(p, "W1"), {1.78862847, 0.43650985, 0.09649747, -1.8634927, -0.2773882, -0.35475898,
                                       -0.08274148, -0.62700068});
    check_values(find_named(p, "W2"), {-0.03098412, -0.33744411, -0.92904268, 0.62552248});
}

TEST_CASE("every initialization draws the same normals and scales them its own way", "[init]") {
    const std::vector<std::size_t> layers = {5, 4, 3, 1};
    random_state rng(3);
    std::vector<matrix> normals;
    for (std::size_t l = 1; l < layers.size(); ++l) normals.push_back(rng.randn(layers[l], layers[l - 1]));
    const auto he = initialize_parameters(layers, initialization::he);
    const auto xavier = initialize_parameters(layers, initialization::xavier);
    const auto scaled = initialize_parameters(layers, initialization::scaled);
    const auto zeros = initialize_parameters(layers, initialization::zeros);
    for (std::size_t l = 1; l < layers.size(); ++l) {
        const std::string W = "W" + std::to_string(l);
        const double n = static_cast<double>(layers[l - 1]);
        for (std::size_t k = 0; k < normals[l - 1].size(); ++k) {
            const double z = normals[l - 1].data()[k];
            CHECK(find_named(he, W).data()[k] == z * std::sqrt(2.0 / n));
            CHECK(find_named(xavier, W).data()[k] == z * std::sqrt(1.0 / n));
            CHECK(find_named(scaled, W).data()[k] == z / std::sqrt(n));  // a division, as the course writes it
            CHECK(find_named(zeros, W).data()[k] == 0.0);
        }
        CHECK(shape_of(find_named(he, "b" + std::to_string(l))) == shape2{layers[l], 1});
    }
}

TEST_CASE("initializations have names and reject bad layer sizes", "[init]") {
    for (auto m : {initialization::zeros, initialization::random, initialization::he, initialization::xavier,
                   initialization::scaled}) {
        CHECK(initialization_from_string(to_string(m)) == m);
    }
    CHECK_THROWS_MATCHES(initialization_from_string("glorot"), value_error,
                         test_support::message_contains({"unknown initialization 'glorot'", "he"}));
    CHECK_THROWS_MATCHES(initialize_parameters({3}, initialization::he), value_error,
                         test_support::message_contains({"at least 2 layer sizes", "got 1"}));
    CHECK_THROWS_MATCHES(initialize_parameters({3, 0, 1}, initialization::he), value_error,
                         test_support::message_contains({"layer 1 has size 0"}));
}
