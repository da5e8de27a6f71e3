// The MLP: structure, prediction without a tape, save/load, and its errors.
#include <catch2/catch.hpp>

#include <filesystem>

#include <tapegrad/data.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
namespace fs = std::filesystem;

TEST_CASE("an mlp has W_l (n_l, n_{l-1}) and b_l (n_l, 1) in the course's order", "[mlp]") {
    mlp net({2, 10, 5, 1});
    CHECK(net.depth() == 3);
    const std::vector<parameter*> p = net.parameters();
    REQUIRE(p.size() == 6);
    const char* names[] = {"W1", "b1", "W2", "b2", "W3", "b3"};
    const shape2 shapes[] = {{10, 2}, {10, 1}, {5, 10}, {5, 1}, {1, 5}, {1, 1}};
    for (std::size_t i = 0; i < 6; ++i) {
        CHECK(p[i]->name == names[i]);
        CHECK(shape_of(p[i]->value()) == shapes[i]);
    }
    CHECK(net.weights().size() == 3);
    CHECK(&net.weight(2) == p[2]);
    CHECK_THROWS_AS(net.weight(0), value_error);
    CHECK_THROWS_AS(net.bias(4), value_error);
    // The same as initialize_parameters with the same settings.
    const named_matrices expected = initialize_parameters({2, 10, 5, 1}, initialization::he, 3);
    for (std::size_t i = 0; i < 6; ++i) CHECK(test_support::exactly_equal(p[i]->value(), expected[i].second));
}

TEST_CASE("prediction runs without a tape and agrees with the recorded forward pass", "[mlp]") {
    mlp net({3, 4, 1}, initialization::xavier, 7);
    random_state rng(2);
    const matrix X = rng.randn(3, 9);
    const matrix A = net.predict_proba(X);
    tape t;
    var Z = net.logits(t, t.reference(X));
    const matrix recorded = tapegrad::sigmoid(Z.value());
    CHECK(test_support::exactly_equal(A, recorded));
    // 1 where A > 0.5, strictly.
    const matrix p = net.predict(X);
    for (std::size_t k = 0; k < A.size(); ++k) CHECK(p.data()[k] == (A.data()[k] > 0.5 ? 1.0 : 0.0));
    // Accuracy is the fraction of predictions equal to the labels.
    matrix Y = p;
    Y(0, 0) = 1.0 - Y(0, 0);
    CHECK(net.accuracy(X, Y) == Approx(8.0 / 9.0));
}

TEST_CASE("parameters save to .npy files and load back exactly", "[mlp][npy]") {
    const fs::path dir = fs::temp_directory_path() / "tapegrad_test_mlp_save";
    fs::remove_all(dir);
    mlp a({2, 3, 1}, initialization::he, 1);
    save_parameters(a.parameters(), (dir / "params").string());  // creates the folder
    for (const char* name : {"W1", "b1", "W2", "b2"}) CHECK(fs::exists(dir / "params" / (std::string(name) + ".npy")));
    mlp b({2, 3, 1}, initialization::zeros);
    load_parameters(b.parameters(), (dir / "params").string());
    for (std::size_t i = 0; i < 4; ++i) CHECK(test_support::bitwise_equal(a.parameters()[i]->value(), b.parameters()[i]->value()));
    // A network of another shape refuses them, naming the file.
    mlp c({2, 4, 1});
    CHECK_THROWS_MATCHES(load_parameters(c.parameters(), (dir / "params").string()), file_error,
                         test_support::message_contains({"W1.npy", "(3, 2)", "(4, 2)"}));
    CHECK_THROWS_MATCHES(load_parameters(c.parameters(), (dir / "nothing").string()), file_error, test_support::message_contains({"W1.npy"}));
}

TEST_CASE("an mlp rejects inputs and sizes that do not fit", "[mlp]") {
    CHECK_THROWS_MATCHES(mlp({2}), value_error, test_support::message_contains({"at least 2 layer sizes"}));
    CHECK_THROWS_MATCHES(mlp({2, 0, 1}), value_error, test_support::message_contains({"layer 1 has size 0"}));
    mlp net({2, 3, 1});
    tape t;
    CHECK_THROWS_MATCHES(net.logits(t, t.constant(make_matrix(3, 5))), shape_error,
                         test_support::message_contains({"X has shape (3, 5)", "takes 2 features"}));
    CHECK_THROWS_MATCHES(net.cost(t, t.constant(make_matrix(2, 5)), t.constant(make_matrix(1, 4))), shape_error,
                         test_support::message_contains({"Y has shape (1, 4)", "X has 5 examples"}));
    CHECK_THROWS_MATCHES(net.predict(make_matrix(2, 0)), shape_error, test_support::message_contains({"no examples"}));
    CHECK_THROWS_MATCHES(net.logits(t, t.constant(make_matrix(2, 5)), dropout_options{0.5, nullptr}), value_error,
                         test_support::message_contains({"needs a random_state"}));
    named_matrices wrong = net.parameter_values();
    wrong[0].second = make_matrix(4, 2);
    CHECK_THROWS_MATCHES(net.set_parameter_values(wrong), shape_error,
                         test_support::message_contains({"W1 has shape (4, 2)", "(3, 2)"}));
    wrong.erase(wrong.begin());
    CHECK_THROWS_MATCHES(net.set_parameter_values(wrong), value_error, test_support::message_contains({"'W1'"}));
}
