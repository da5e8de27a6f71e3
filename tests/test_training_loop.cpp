// The general training loop and what it is built from: mini-batches drawn like
// the course's random_mini_batches, learning-rate schedules with the course's
// check values, the recorded cost conventions, and refusals. The course's
// values are in ../shared/REFERENCE_OPTIMIZATION.md.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/course/course.hpp>
#include <tapegrad/data.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;

TEST_CASE("mini-batches are the course's: numpy's permutation, full batches, then the rest", "[mini_batches]") {
    // The course's test: np.random.seed(1); X = randn(12288, 148); Y = randn(1, 148) < 0.5; size 64, seed 0.
    random_state rng(1);
    const matrix X = rng.randn(12288, 148);
    matrix Y = rng.randn(1, 148);
    for (double& y : Y) y = y < 0.5 ? 1.0 : 0.0;
    mini_batches batches(X, Y, 64);
    batches.shuffle(0);
    REQUIRE(batches.count() == 3);
    CHECK(shape_of(batches[0].X) == shape2{12288, 64});
    CHECK(shape_of(batches[1].X) == shape2{12288, 64});
    CHECK(shape_of(batches[2].X) == shape2{12288, 20});
    CHECK(shape_of(batches[2].Y) == shape2{1, 20});
    const double first[] = {0.90085595, -0.7612069, 0.2344157};
    for (std::size_t c = 0; c < 3; ++c) CHECK(std::fabs(batches[0].X(0, c) - first[c]) < 5e-9);
    // Each example once, with its own label.
    double total = 0.0, labels = 0.0;
    for (std::size_t k = 0; k < batches.count(); ++k) {
        for (std::size_t c = 0; c < batches[k].size(); ++c) {
            total += batches[k].X(5, c);
            labels += batches[k].Y(0, c);
        }
    }
    double expected_total = 0.0;
    for (std::size_t c = 0; c < 148; ++c) expected_total += X(5, c);
    CHECK(total == Approx(expected_total));
    CHECK(labels == tapegrad::sum(Y)(0, 0));
}

TEST_CASE("the optimization exercise's first epoch uses permutation 174 113 86 239 ... (seed 11)", "[mini_batches]") {
    matrix index = make_matrix(1, 300);
    for (std::size_t j = 0; j < 300; ++j) index(0, j) = static_cast<double>(j);
    mini_batches batches(index, index, 64);
    batches.shuffle(11);
    const double expected[] = {174, 113, 86, 239, 12, 252, 261, 39, 200, 61};
    for (std::size_t c = 0; c < 10; ++c) CHECK(batches[0].X(0, c) == expected[c]);
    CHECK(batches.count() == 5);
    CHECK(batches[4].size() == 44);
    // In order, one batch is the data itself: nothing copied.
    mini_batches whole(index, index, 300);
    CHECK(&whole[0].X == &index);
    CHECK_THROWS_AS(whole[1], value_error);
    CHECK_THROWS_MATCHES(mini_batches(index, index, 0), value_error, message_contains({"batch size", "at least 1"}));
    const matrix fewer = make_matrix(1, 299);
    CHECK_THROWS_AS(mini_batches(index, fewer, 64), shape_error);
}

TEST_CASE("learning-rate schedules: the course's check values and the usual forms", "[schedules]") {
    CHECK(inverse_time_decay(0.5, 1.0)(2) == 0.16666666666666666);             // update_lr(0.5, 2, 1)
    CHECK(inverse_time_decay(0.5, 0.3, 100)(10) == 0.5);                       // schedule_lr_decay(0.5, 10, 0.3, 100)
    CHECK(inverse_time_decay(0.5, 0.3, 100)(100) == 0.3846153846153846);       // schedule_lr_decay(0.5, 100, 0.3, 100)
    CHECK(constant_rate(0.1)(12345) == 0.1);
    CHECK(step_decay(1.0, 0.5, 10)(9) == 1.0);
    CHECK(step_decay(1.0, 0.5, 10)(25) == 0.25);
    CHECK(exponential_decay(2.0, 0.5)(3) == 0.25);
    CHECK(cosine_decay(1.0, 100)(0) == 1.0);
    CHECK(cosine_decay(1.0, 100)(50) == Approx(0.5));
    CHECK(cosine_decay(1.0, 100, 0.1)(100) == 0.1);
    // The course decays after each epoch: epoch 0 and 1 at lr0, then decay(e - 1).
    const learning_rate_schedule course = delayed(inverse_time_decay(0.1, 1.0), 1);
    CHECK(course(0) == 0.1);
    CHECK(course(1) == 0.1);
    CHECK(course(2) == 0.05);
    CHECK_THROWS_MATCHES(inverse_time_decay(0.0, 1.0), value_error, message_contains({"initial learning rate"}));
    CHECK_THROWS_MATCHES(inverse_time_decay(0.1, 1.0, 0), value_error, message_contains({"interval", "at least 1"}));
    CHECK_THROWS_MATCHES(step_decay(0.1, 1.5, 10), value_error, message_contains({"gamma"}));
    CHECK_THROWS_AS(cosine_decay(0.1, 0), value_error);
    CHECK_THROWS_AS(delayed(learning_rate_schedule(), 1), value_error);
}

TEST_CASE("make_moons reproduces scikit-learn's moons of the optimization exercise", "[datasets][moons]") {
    const dataset d = course_moons();
    REQUIRE(shape_of(d.X) == shape2{2, 300});
    CHECK(d.X(0, 0) == -0.21687013460912397);
    CHECK(d.X(1, 0) == 1.0154493742029873);
    CHECK(d.X(0, 1) == 0.8050501531955674);
    CHECK(d.X(1, 1) == -0.5579733951321297);
    const double labels[] = {0, 1, 1, 1, 0, 0, 1, 1, 0, 1};
    for (std::size_t j = 0; j < 10; ++j) CHECK(d.Y(0, j) == labels[j]);
    CHECK(tapegrad::sum(d.Y)(0, 0) == 150.0);
}

namespace {

struct problem {
    matrix X, Y;
    problem() {
        random_state rng(2);
        X = rng.randn(2, 50);
        Y = make_matrix(1, 50);
        for (std::size_t j = 0; j < 50; ++j) Y(0, j) = X(0, j) * X(1, j) > 0.0 ? 1.0 : 0.0;
    }
};

}  // namespace

TEST_CASE("train records the epoch's cost in either convention, and the rates of a schedule", "[training_loop]") {
    problem p;
    mlp net({2, 4, 1}, initialization::he, 1);
    gradient_descent opt(net.parameters(), 0.1);
    std::vector<double> batch_costs;
    auto cost = [&](tape& t, const batch& b) {
        const var J = net.cost(t, t.reference(b.X), t.reference(b.Y));
        batch_costs.push_back(J.item() * static_cast<double>(b.size()));
        return J;
    };
    train_options o;
    o.epochs = 4;
    o.batch_size = 20;  // 20, 20, 10
    o.schedule = exponential_decay(0.1, 0.5);
    std::vector<std::int64_t> called;
    o.on_record = [&](std::int64_t epoch, double) { called.push_back(epoch); };
    o.record_every = 2;
    const train_result r = train(cost, opt, p.X, p.Y, o);
    CHECK(r.steps == 12);
    REQUIRE(r.costs.size() == 2);
    CHECK(called == std::vector<std::int64_t>{0, 2});
    CHECK(r.costs[0].second == (batch_costs[0] + batch_costs[1] + batch_costs[2]) / 50.0);
    CHECK(r.learning_rates == std::vector<double>{0.1, 0.025});
    // The last batch's cost instead (the course's 2017 edition).
    mlp net2({2, 4, 1}, initialization::he, 1);
    gradient_descent opt2(net2.parameters(), 0.1);
    batch_costs.clear();
    auto cost2 = [&](tape& t, const batch& b) {
        const var J = net2.cost(t, t.reference(b.X), t.reference(b.Y));
        batch_costs.push_back(J.item());
        return J;
    };
    o.recorded = epoch_cost::last_batch;
    o.on_record = nullptr;
    const train_result r2 = train(cost2, opt2, p.X, p.Y, o);
    CHECK(r2.costs[0].second == batch_costs[2]);
}

TEST_CASE("train refuses settings that make no sense before any work", "[training_loop]") {
    problem p;
    mlp net({2, 4, 1});
    gradient_descent opt(net.parameters(), 0.1);
    int calls = 0;
    auto cost = [&](tape& t, const batch& b) {
        ++calls;
        return net.cost(t, t.reference(b.X), t.reference(b.Y));
    };
    train_options o;
    o.batch_size = 0;
    CHECK_THROWS_MATCHES(train(cost, opt, p.X, p.Y, o), value_error, message_contains({"batch size", "got 0"}));
    o = {};
    o.epochs = -1;
    CHECK_THROWS_MATCHES(train(cost, opt, p.X, p.Y, o), value_error, message_contains({"epochs"}));
    o = {};
    o.record_every = 0;
    CHECK_THROWS_AS(train(cost, opt, p.X, p.Y, o), value_error);
    o = {};
    o.schedule = [](std::int64_t) { return -1.0; };
    CHECK_THROWS_MATCHES(train(cost, opt, p.X, p.Y, o), value_error, message_contains({"schedule", "> 0"}));
    // A schedule that reaches 0 within the run is refused before it starts, naming the epoch.
    o = {};
    o.epochs = 5;
    o.schedule = cosine_decay(0.1, 3);
    CHECK_THROWS_MATCHES(train(cost, opt, p.X, p.Y, o), value_error, message_contains({"epoch 3", "is 0"}));
    o = {};
    o.first_epoch = -2;
    CHECK_THROWS_MATCHES(train(cost, opt, p.X, p.Y, o), value_error, message_contains({"first_epoch", "-2"}));
    // Shuffle seeds numpy does not take, for any epoch of the run.
    o = {};
    o.batch_size = 10;
    o.shuffle_seed = -1;
    CHECK_THROWS_MATCHES(train(cost, opt, p.X, p.Y, o), value_error, message_contains({"shuffle_seed", "2^32"}));
    o.shuffle_seed = 4294967295;
    o.epochs = 2;
    CHECK_THROWS_MATCHES(train(cost, opt, p.X, p.Y, o), value_error, message_contains({"shuffle_seed", "2^32"}));
    CHECK_THROWS_AS(train(cost, opt, p.X, make_matrix(1, 49), {}), shape_error);
    CHECK_THROWS_MATCHES(train(cost, opt, make_matrix(2, 0), make_matrix(1, 0), {}), shape_error,
                         message_contains({"no examples"}));
    CHECK(calls == 0);
}

TEST_CASE("a run resumed from a checkpoint continues its schedule, shuffles and records", "[training_loop]") {
    problem p;
    auto run = [&](mlp& net, optimizer& opt, std::int64_t first, std::int64_t epochs) {
        train_options o;
        o.first_epoch = first;
        o.epochs = epochs;
        o.batch_size = 16;
        o.shuffle_seed = 11;
        o.schedule = inverse_time_decay(0.05, 1.0, 2);
        o.record_every = 2;
        return train([&](tape& t, const batch& b) { return net.cost(t, t.reference(b.X), t.reference(b.Y)); }, opt,
                     p.X, p.Y, o);
    };
    mlp straight({2, 4, 1}, initialization::he, 1);
    momentum a(straight.parameters(), 0.05);
    const train_result all = run(straight, a, 0, 8);
    mlp resumed({2, 4, 1}, initialization::he, 1);
    momentum b(resumed.parameters(), 0.05);
    const train_result first = run(resumed, b, 0, 3);
    momentum c(resumed.parameters(), 0.05);  // a new optimizer with the saved state
    c.set_state(b.state());
    const train_result rest = run(resumed, c, 3, 5);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(test_support::bitwise_equal(straight.parameters()[i]->value(), resumed.parameters()[i]->value()));
    }
    // Epochs 0 and 2, then 4 and 6, with their rates.
    REQUIRE(rest.costs.size() == 2);
    CHECK(rest.costs[0] == all.costs[2]);
    CHECK(rest.costs[1] == all.costs[3]);
    CHECK(first.costs[1] == all.costs[1]);
    CHECK(rest.learning_rates == std::vector<double>{all.learning_rates[2], all.learning_rates[3]});
}

TEST_CASE("a mini-batch run that breaks says at which epoch and step", "[training_loop]") {
    problem p;
    matrix X = p.X;
    X(0, 37) = std::nan("");
    mlp net({2, 4, 1}, initialization::he, 1);
    gradient_descent opt(net.parameters(), 0.1);
    train_options o;
    o.epochs = 3;
    o.batch_size = 16;
    o.shuffle_seed = 1;
    auto cost = [&](tape& t, const batch& b) { return net.cost(t, t.reference(b.X), t.reference(b.Y)); };
    CHECK_THROWS_MATCHES(train(cost, opt, X, p.Y, o), anomaly_error, message_contains({"at epoch 0 (step "}));
    // A rate far too large for large inputs: the parameters overflow in the first update.
    const matrix large = p.X * 1e6;
    mlp net2({2, 4, 1}, initialization::he, 1);
    gradient_descent huge(net2.parameters(), 1e308);
    auto cost2 = [&](tape& t, const batch& b) { return net2.cost(t, t.reference(b.X), t.reference(b.Y)); };
    CHECK_THROWS_MATCHES(train(cost2, huge, large, p.Y, o), anomaly_error,
                         message_contains({"became NaN or infinite in the update at epoch 0 (step 0)"}));
}

TEST_CASE("train over mini-batches reuses the batches' buffers from epoch to epoch", "[training_loop]") {
    // The loop owns the batch buffers and refills them: their memory does not move.
    // (benchmarks/training_step counts the allocations of a steady-state epoch.)
    problem p;
    mlp net({2, 4, 1});
    adam opt(net.parameters(), {0.01});
    std::vector<const double*> seen;  // each batch's buffer, as epoch 0 had them
    bool moved = false;
    std::size_t batches = 0;
    auto cost = [&](tape& t, const batch& b) {
        if (seen.size() <= b.index) {
            seen.push_back(b.X.data());
        } else if (seen[b.index] != b.X.data()) {
            moved = true;
        }
        ++batches;
        return net.cost(t, t.reference(b.X), t.reference(b.Y));
    };
    train_options o;
    o.epochs = 5;
    o.batch_size = 16;  // 16, 16, 16, 2
    train(cost, opt, p.X, p.Y, o);
    CHECK(seen.size() == 4);
    CHECK(batches == 20);
    CHECK_FALSE(moved);
}

TEST_CASE("a trainer runs train's epochs one at a time, with work between them", "[training_loop]") {
    problem p;
    train_options o;
    o.epochs = 4;
    o.batch_size = 16;  // 16, 16, 16, 2: the last batch on a tape of its own
    o.shuffle_seed = 3;
    mlp a({2, 4, 1}, initialization::he, 1), b({2, 4, 1}, initialization::he, 1);
    adam opt_a(a.parameters(), {0.01}), opt_b(b.parameters(), {0.01});
    auto cost_of = [](mlp& net) {
        return [&net](tape& t, const batch& bt) { return net.cost(t, t.reference(bt.X), t.reference(bt.Y)); };
    };
    const train_result all = train(cost_of(a), opt_a, p.X, p.Y, o);
    trainer stepwise(cost_of(b), opt_b, p.X, p.Y, o);
    const double first = stepwise.run_epoch();
    (void)b.accuracy(p.X, p.Y);  // work between epochs must not disturb the run
    stepwise.run_epoch();
    CHECK(stepwise.epochs_done() == 2);
    const train_result& rest = stepwise.run();
    CHECK(stepwise.epochs_done() == 4);
    CHECK(first == all.costs[0].second);
    CHECK(rest.costs == all.costs);
    CHECK(rest.steps == 16);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(test_support::bitwise_equal(a.parameters()[i]->value(), b.parameters()[i]->value()));
    }
    // Past options.epochs on request.
    stepwise.run_epoch();
    CHECK(stepwise.epochs_done() == 5);
}
