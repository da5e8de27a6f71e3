// The optimizers against the course's unit-test check values
// (../shared/REFERENCE_OPTIMIZATION.md) and against steps computed with numpy
// from PyTorch's documented algorithms (tests/data/optimizer_steps.json, written
// by tests/data/make_optimizer_steps.py); skipping stale gradients; refusing
// settings that make no sense; saving and loading state for an exact resume.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <tapegrad/data.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;

namespace {

// The course's test case: np.random.seed(1), then W1, b1, W2, b2, dW1, db1, dW2, db2.
struct course_case {
    parameter W1, b1, W2, b2;
    course_case() {
        random_state rng(1);
        W1 = {"W1", rng.randn(2, 3)};
        b1 = {"b1", rng.randn(2, 1)};
        W2 = {"W2", rng.randn(3, 3)};
        b2 = {"b2", rng.randn(3, 1)};
        for (parameter* p : params()) {
            p->grad = rng.randn(p->value().shape()[0], p->value().shape()[1]);
            p->mark_grad_current();  // not made by a backward: say it is current
        }
    }
    std::vector<parameter*> params() { return {&W1, &b1, &W2, &b2}; }
};

// Every element within `tolerance` of the printed value.
void check_near(const matrix& actual, const matrix& printed, double tolerance) {
    REQUIRE(shape_of(actual) == shape_of(printed));
    for (std::size_t k = 0; k < actual.size(); ++k) {
        INFO("element " << k << ": " << actual.data()[k] << " vs " << printed.data()[k]);
        CHECK(std::fabs(actual.data()[k] - printed.data()[k]) <= tolerance);
    }
}

const double printed8 = 5e-9;  // the course prints 8 decimals

matrix from_json(const nlohmann::json& rows) {
    matrix m = make_matrix(rows.size(), rows[0].size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        for (std::size_t j = 0; j < rows[i].size(); ++j) m(i, j) = rows[i][j].get<double>();
    }
    return m;
}

}  // namespace

TEST_CASE("gradient descent gives the course's check values", "[optimizers]") {
    course_case c;
    gradient_descent opt(c.params(), 0.01);
    CHECK(opt.step() == 4);
    check_near(c.W1.value(), {{1.63535156, -0.62320365, -0.53718766}, {-1.07799357, 0.85639907, -2.29470142}}, printed8);
    check_near(c.b2.value(), {{-0.88020257}, {0.02561572}, {0.57539477}}, printed8);
}

TEST_CASE("momentum gives the course's check values", "[optimizers]") {
    course_case c;
    momentum opt(c.params(), 0.01, 0.9, momentum_form::average);
    opt.step();
    check_near(c.W1.value(), {{1.62544598, -0.61290114, -0.52907334}, {-1.07347112, 0.86450677, -2.30085497}}, printed8);
    const named_matrices s = opt.state();
    check_near(find_named(s, "W1.v"), {{-0.11006192, 0.11447237, 0.09015907}, {0.05024943, 0.09008559, -0.06837279}},
               printed8);
    check_near(find_named(s, "b2.v"), {{0.02344157}, {0.16598022}, {0.07420442}}, printed8);
}

TEST_CASE("Adam gives the course's check values, with epsilon outside or inside the root", "[optimizers]") {
    for (adam_epsilon placement : {adam_epsilon::outside, adam_epsilon::inside}) {
        course_case c;
        adam_options o;
        o.learning_rate = 0.01;
        o.placement = placement;
        adam opt(c.params(), o);
        // The course's test updates at t = 2: one update already counted.
        named_matrices s = opt.state();
        for (auto& [name, m] : s) {
            if (name.size() > 6 && name.compare(name.size() - 6, 6, ".steps") == 0) m(0, 0) = 1.0;
        }
        opt.set_state(s);
        opt.step();
        check_near(c.W1.value(), {{1.63178673, -0.61919778, -0.53561312}, {-1.08040999, 0.85796626, -2.29409733}},
                   printed8);
        check_near(find_named(opt.state(), "W1.s"),
                   {{0.00121136, 0.00131039, 0.00081287}, {0.0002525, 0.00081154, 0.00046748}}, printed8);
        const bool outside = placement == adam_epsilon::outside;
        CHECK(std::fabs(c.W2.value()(2, 1) - (outside ? -1.09244991 : -1.09245036)) <= printed8);
        CHECK(std::fabs(c.b2.value()(0, 0) - (outside ? -0.88529979 : -0.88529978)) <= printed8);
    }
}

TEST_CASE("Adam gives the course's 2021 check values", "[optimizers]") {
    course_case c;
    adam_options o;
    o.learning_rate = 0.02;
    o.beta1 = 0.8;
    o.beta2 = 0.888;
    o.epsilon = 1e-2;
    adam opt(c.params(), o);
    named_matrices s = opt.state();
    for (auto& [name, m] : s) {
        if (name.find(".steps") != std::string::npos) m(0, 0) = 1.0;
    }
    opt.set_state(s);
    opt.step();
    check_near(c.W1.value(), {{1.63942428, -0.6268425, -0.54320974}, {-1.08782943, 0.85036983, -2.2865723}}, printed8);
}

TEST_CASE("the optimizers follow PyTorch's algorithms, computed independently with numpy", "[optimizers]") {
    std::ifstream in(std::string(TAPEGRAD_SOURCE_DIR) + "/tests/data/optimizer_steps.json");
    REQUIRE(in.good());
    const nlohmann::json data = nlohmann::json::parse(in);
    struct config {
        const char* name;
        std::function<std::unique_ptr<optimizer>(std::vector<parameter*>)> make;
    };
    auto adam_with = [](double wd, bool decoupled) {
        return [=](std::vector<parameter*> p) {
            adam_options o;
            o.learning_rate = 0.01;
            o.weight_decay = wd;
            o.decoupled_weight_decay = decoupled;
            return std::unique_ptr<optimizer>(new adam(std::move(p), o));
        };
    };
    const std::vector<config> configs = {
        {"gd_weight_decay", [](auto p) { return std::unique_ptr<optimizer>(new gradient_descent(p, 0.1, 0.05)); }},
        {"momentum_classic",
         [](auto p) { return std::unique_ptr<optimizer>(new momentum(p, 0.1, 0.9, momentum_form::classic)); }},
        {"momentum_nesterov",
         [](auto p) { return std::unique_ptr<optimizer>(new momentum(p, 0.1, 0.9, momentum_form::nesterov)); }},
        {"momentum_classic_weight_decay",
         [](auto p) { return std::unique_ptr<optimizer>(new momentum(p, 0.1, 0.9, momentum_form::classic, 0.05)); }},
        {"adam_l2", adam_with(0.05, false)},
        {"adamw", adam_with(0.05, true)},
        {"rmsprop", [](auto p) { return std::unique_ptr<optimizer>(new rmsprop(p, 0.01)); }},
        {"rmsprop_weight_decay", [](auto p) { return std::unique_ptr<optimizer>(new rmsprop(p, 0.01, 0.9, 1e-8, 0.05)); }},
    };
    for (const config& c : configs) {
        parameter w("w", from_json(data["w0"]));
        const std::unique_ptr<optimizer> opt = c.make({&w});
        for (std::size_t t = 0; t < 3; ++t) {
            w.grad = from_json(data["grads"][t]);
            w.mark_grad_current();
            opt->step();
            const matrix expected = from_json(data["steps"][c.name][t]);
            for (std::size_t k = 0; k < expected.size(); ++k) {
                INFO(c.name << ", step " << t + 1 << ", element " << k);
                CHECK(w.value().data()[k] == Approx(expected.data()[k]).epsilon(1e-13).margin(1e-15));
            }
        }
    }
}

TEST_CASE("an optimizer skips a parameter whose gradient is not current", "[optimizers]") {
    parameter a("a", make_matrix(1, 2, 1.0)), b("b", make_matrix(1, 2, 1.0));
    adam opt({&a, &b});
    tape t;
    const var unused = t.watch(b);  // watched, not reached: its gradient is 0 and not current
    (void)unused;
    t.backward(sum(square(t.watch(a))));
    CHECK(opt.step() == 1);
    CHECK(a.value()(0, 0) != 1.0);
    CHECK(b.value()(0, 0) == 1.0);
    // The gradient was used: without a new backward, nothing moves.
    const matrix after = a.value();
    CHECK(opt.step() == 0);
    CHECK(test_support::bitwise_equal(a.value(), after));
    CHECK(find_named(opt.state(), "a.steps")(0, 0) == 1.0);
    CHECK(find_named(opt.state(), "b.steps")(0, 0) == 0.0);
}

TEST_CASE("optimizers refuse settings that make no sense", "[optimizers]") {
    parameter a("a", make_matrix(1, 1, 1.0)), a2("a", make_matrix(1, 1, 1.0));
    CHECK_THROWS_MATCHES(gradient_descent({}), value_error, message_contains({"gradient_descent", "empty"}));
    CHECK_THROWS_MATCHES(gradient_descent({&a, &a}), value_error, message_contains({"'a' is listed twice"}));
    CHECK_THROWS_MATCHES(gradient_descent({&a, &a2}), value_error, message_contains({"'a' is listed twice"}));
    CHECK_THROWS_MATCHES(gradient_descent({nullptr}), value_error, message_contains({"null pointer"}));
    CHECK_THROWS_MATCHES(gradient_descent({&a}, 0.0), value_error, message_contains({"learning rate", "> 0", "got 0"}));
    CHECK_THROWS_MATCHES(gradient_descent({&a}, -1.0), value_error, message_contains({"learning rate"}));
    CHECK_THROWS_MATCHES(momentum({&a}, 0.1, 1.0), value_error, message_contains({"beta", "[0, 1)", "got 1"}));
    CHECK_THROWS_MATCHES(momentum({&a}, 0.1, -0.1), value_error, message_contains({"beta"}));
    adam_options o;
    o.beta2 = 1.0;
    CHECK_THROWS_MATCHES(adam({&a}, o), value_error, message_contains({"adam", "beta2"}));
    o = {};
    o.epsilon = 0.0;
    CHECK_THROWS_MATCHES(adam({&a}, o), value_error, message_contains({"epsilon", "> 0"}));
    CHECK_THROWS_MATCHES(rmsprop({&a}, 0.01, 0.99, 1e-8, -1.0), value_error, message_contains({"weight_decay"}));
    gradient_descent ok({&a}, 0.1);
    CHECK_THROWS_AS(ok.set_learning_rate(std::nan("")), value_error);
}

TEST_CASE("saved parameters and optimizer state resume a run exactly", "[optimizers][files]") {
    const test_support::scratch_dir dir("optimizer_state");
    random_state rng(5);
    const matrix X = rng.randn(3, 40);
    matrix Y = rng.rand(1, 40);
    for (double& y : Y) y = y < 0.5 ? 0.0 : 1.0;
    auto run = [&](mlp& net, optimizer& opt, std::int64_t epochs, std::int64_t first_epoch) {
        train_options o;
        o.epochs = epochs;
        o.batch_size = 16;
        o.shuffle_seed = 7 + first_epoch;
        auto cost = [&](tape& t, const batch& b) { return net.cost(t, t.reference(b.X), t.reference(b.Y)); };
        train(cost, opt, X, Y, o);
    };
    // Ten epochs in one go ...
    mlp straight({3, 6, 1}, initialization::he, 1);
    adam a(straight.parameters(), {0.01});
    run(straight, a, 10, 0);
    // ... and five, saved, loaded into a new network and optimizer, five more.
    mlp first({3, 6, 1}, initialization::he, 1);
    adam b(first.parameters(), {0.01});
    run(first, b, 5, 0);
    save_parameters(first.parameters(), dir / "run");
    save_optimizer_state(b, dir / "run");
    mlp second({3, 6, 1}, initialization::zeros);
    adam c(second.parameters(), {0.01});
    load_parameters(second.parameters(), dir / "run");
    load_optimizer_state(c, dir / "run");
    run(second, c, 5, 5);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(test_support::bitwise_equal(straight.parameters()[i]->value(), second.parameters()[i]->value()));
    }
    // numpy reads the moments: plain .npy files.
    CHECK(std::filesystem::exists(dir / "run/W1.v.npy"));
    CHECK(load_npy(dir / "run/W1.steps.npy")(0, 0) == 5.0 * 3.0);  // 3 batches an epoch
}

TEST_CASE("optimizer state that does not fit is refused, naming the file", "[optimizers][files]") {
    const test_support::scratch_dir dir("optimizer_state_bad");
    parameter W("W", make_matrix(2, 2, 1.0)), b("b", make_matrix(2, 1, 0.0));
    adam saved({&W, &b});
    save_optimizer_state(saved, dir / "s");
    // Another rule.
    momentum other({&W, &b});
    CHECK_THROWS_MATCHES(load_optimizer_state(other, dir / "s"), file_error,
                         message_contains({"optimizer.txt", "holds the state of 'adam'", "not of this momentum"}));
    // Other parameters: fewer, or named otherwise.
    adam fewer({&W});
    CHECK_THROWS_MATCHES(load_optimizer_state(fewer, dir / "s"), file_error,
                         message_contains({"optimizer.txt", "other parameters"}));
    parameter V("V", make_matrix(2, 2, 1.0));
    adam renamed({&V, &b});
    CHECK_THROWS_MATCHES(load_optimizer_state(renamed, dir / "s"), file_error, message_contains({"optimizer.txt"}));
    // The same names with another shape.
    parameter W3("W", make_matrix(3, 2, 1.0));
    adam reshaped({&W3, &b});
    CHECK_THROWS_MATCHES(load_optimizer_state(reshaped, dir / "s"), file_error,
                         message_contains({"W.v.npy", "(2, 2)", "(3, 2)"}));
    // A missing folder.
    CHECK_THROWS_MATCHES(load_optimizer_state(saved, dir / "nothing"), file_error,
                         message_contains({"optimizer.txt", "no optimizer state"}));
    // The same rule in another form: classic momentum's v is not the course's.
    momentum average({&W, &b}, 0.1, 0.9, momentum_form::average);
    momentum classic({&W, &b}, 0.1, 0.9, momentum_form::classic);
    save_optimizer_state(classic, dir / "classic");
    CHECK_THROWS_MATCHES(load_optimizer_state(average, dir / "classic"), file_error,
                         message_contains({"'momentum (classic)'", "not of this momentum (average)"}));
    // Moments that cannot be: NaN, a negative mean of squares. Nothing changes.
    save_optimizer_state(saved, dir / "bad");
    save_npy(dir / "bad/W.s.npy", make_matrix(2, 2, -1.0));
    adam target({&W, &b});
    const named_matrices before = target.state();
    CHECK_THROWS_MATCHES(load_optimizer_state(target, dir / "bad"), file_error, message_contains({"W.s", "negative"}));
    save_npy(dir / "bad/W.s.npy", make_matrix(2, 2, 0.0));
    save_npy(dir / "bad/b.v.npy", make_matrix(2, 1, std::nan("")));
    CHECK_THROWS_MATCHES(load_optimizer_state(target, dir / "bad"), file_error, message_contains({"b.v", "NaN"}));
    for (std::size_t k = 0; k < before.size(); ++k) {
        CHECK(test_support::bitwise_equal(target.state()[k].second, before[k].second));
    }
}

TEST_CASE("parameter names that cannot name files are refused before anything is written", "[optimizers][files]") {
    const test_support::scratch_dir dir("parameter_names");
    parameter a("a/b", make_matrix(1, 1, 1.0)), dots("..", make_matrix(1, 1, 1.0));
    parameter w("w", make_matrix(1, 1, 1.0)), w2("w", make_matrix(1, 1, 2.0));
    CHECK_THROWS_MATCHES(save_parameters({&a}, dir / "p"), value_error, message_contains({"'a/b'", "'/'"}));
    CHECK_THROWS_MATCHES(save_parameters({&dots}, dir / "p"), value_error, message_contains({"'..'"}));
    CHECK_THROWS_MATCHES(save_parameters({&w, &w2}, dir / "p"), value_error, message_contains({"two parameters", "'w'"}));
    CHECK_FALSE(std::filesystem::exists(dir / "p"));
    gradient_descent opt({&a});
    CHECK_THROWS_MATCHES(save_optimizer_state(opt, dir / "o"), value_error, message_contains({"'a/b.steps'"}));
}

TEST_CASE("a gradient from outside a tape is used once marked current", "[optimizers]") {
    parameter w("w", make_matrix(1, 2, 1.0));
    gradient_descent opt({&w}, 0.5);
    w.grad = make_matrix(1, 2, 2.0);
    CHECK(opt.step() == 0);  // not marked: not trusted
    w.mark_grad_current();
    CHECK(opt.step() == 1);
    CHECK(w.value()(0, 1) == 0.0);
    CHECK_FALSE(w.grad_current());
    // A gradient of the wrong shape is refused, naming the parameter.
    w.grad = make_matrix(2, 2, 1.0);
    w.mark_grad_current();
    CHECK_THROWS_MATCHES(opt.step(), shape_error, message_contains({"'w'", "(1, 2)", "(2, 2)"}));
    // ... before any parameter moves: a step is all or nothing.
    parameter a("a", make_matrix(1, 1, 1.0)), b("b", make_matrix(1, 1, 1.0));
    adam both({&a, &b});
    a.grad = make_matrix(1, 1, 1.0);
    b.grad = make_matrix(3, 1, 1.0);
    a.mark_grad_current();
    b.mark_grad_current();
    CHECK_THROWS_AS(both.step(), shape_error);
    CHECK(a.value()(0, 0) == 1.0);
    CHECK(a.grad_current());
    CHECK(find_named(both.state(), "a.steps")(0, 0) == 0.0);
}
