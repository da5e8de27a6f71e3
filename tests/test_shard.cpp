// Shards of a data set and of mini-batches (models/shard.hpp), the pieces of a
// data-parallel run that need no MPI: every example in exactly one part, each
// part's batch being its columns of the single-process batch, the penalty's m
// from the whole batch, and the loop's refusals. The MPI side is
// tests/distributed (run under mpirun).
#include <set>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/tapegrad.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;

TEST_CASE("shards split the columns: each in exactly one part, sizes differing by at most one", "[shard]") {
    for (shard_layout layout : {shard_layout::contiguous, shard_layout::strided}) {
        for (std::size_t m : {0u, 1u, 2u, 7u, 211u}) {
            for (std::size_t parts : {1u, 2u, 3u, 4u, 9u}) {
                std::multiset<std::size_t> seen;
                std::size_t smallest = m, largest = 0;
                for (std::size_t r = 0; r < parts; ++r) {
                    const std::vector<std::size_t> c = shard_columns(m, {r, parts, layout});
                    CHECK(c.size() == shard_size(m, {r, parts, layout}));
                    for (std::size_t k = 1; k < c.size(); ++k) CHECK(c[k - 1] < c[k]);
                    seen.insert(c.begin(), c.end());
                    smallest = std::min(smallest, c.size());
                    largest = std::max(largest, c.size());
                }
                CHECK(seen.size() == m);
                for (std::size_t j = 0; j < m; ++j) CHECK(seen.count(j) == 1);
                CHECK(largest - smallest <= 1);
            }
        }
    }
    CHECK(shard_columns(7, {1, 3, shard_layout::contiguous}) == std::vector<std::size_t>{2, 3});
    CHECK(shard_columns(7, {1, 3, shard_layout::strided}) == std::vector<std::size_t>{1, 4});
}

TEST_CASE("take_shard keeps a part's columns, and bad parts are refused", "[shard]") {
    const matrix X{{0, 1, 2, 3, 4}, {10, 11, 12, 13, 14}};
    const bool strided = take_shard(X, {1, 2, shard_layout::strided}) == matrix{{1, 3}, {11, 13}};
    const bool contiguous = take_shard(X, {1, 2, shard_layout::contiguous}) == matrix{{2, 3, 4}, {12, 13, 14}};
    CHECK(strided);
    CHECK(contiguous);
    CHECK_THROWS_MATCHES(take_shard(X, {2, 2}), value_error, message_contains({"shard 2 of 2", "0 .. 1"}));
    CHECK_THROWS_MATCHES(shard_columns(5, {0, 0}), value_error, message_contains({"shard count of 0"}));
}

TEST_CASE("a part of every mini-batch is its columns of the single-process batch", "[shard][mini_batches]") {
    random_state rng(2);
    const matrix X = rng.randn(3, 23);
    const matrix Y = rng.randn(1, 23);
    mini_batches whole(X, Y, 8);
    whole.shuffle(5);
    for (shard_layout layout : {shard_layout::contiguous, shard_layout::strided}) {
        for (std::size_t parts : {2u, 3u, 9u}) {
            for (std::size_t r = 0; r < parts; ++r) {
                mini_batches mine(X, Y, 8, {r, parts, layout});
                mine.shuffle(5);
                REQUIRE(mine.count() == whole.count());
                for (std::size_t k = 0; k < whole.count(); ++k) {
                    const batch b = mine[k];
                    CHECK(b.whole_size == whole[k].size());
                    const std::vector<std::size_t> columns = shard_columns(whole[k].size(), {r, parts, layout});
                    REQUIRE(b.size() == columns.size());
                    for (std::size_t j = 0; j < columns.size(); ++j) {
                        for (std::size_t i = 0; i < 3; ++i) {
                            const double mine_x = b.X(i, j), whole_x = whole[k].X(i, columns[j]);
                            CHECK(mine_x == whole_x);
                        }
                        const double mine_y = b.Y(0, j), whole_y = whole[k].Y(0, columns[j]);
                        CHECK(mine_y == whole_y);
                    }
                }
            }
        }
    }
}

TEST_CASE("the L2 penalty divides by penalty_examples when given", "[shard]") {
    mlp model({2, 3, 1}, initialization::he, 1);
    random_state rng(3);
    const matrix X = rng.randn(2, 10);
    const matrix Y = make_matrix(1, 10, 1.0);
    tape t;
    const double own = model.cost(t, t.reference(X), t.reference(Y), {loss_kind::bce_with_logits, 0.5}).item();
    const double loss = model.cost(t, t.reference(X), t.reference(Y), {loss_kind::bce_with_logits, 0.0}).item();
    const double whole = model.cost(t, t.reference(X), t.reference(Y), {loss_kind::bce_with_logits, 0.5, 40}).item();
    const double expected = (own - loss) * 10.0 / 40.0;
    CHECK((whole - loss) == Approx(expected).epsilon(1e-12));
}

TEST_CASE("train refuses sharded data without a combiner, or with mini-batches", "[shard][train]") {
    mlp model({2, 3, 1});
    gradient_descent gd(model.parameters(), 0.1);
    const matrix X = make_matrix(2, 4), Y = make_matrix(1, 4);
    auto cost = [&](tape& t, const batch& b) { return model.cost(t, t.reference(b.X), t.reference(b.Y)); };
    train_options o;
    o.sharded_data = true;
    CHECK_THROWS_MATCHES(train(cost, gd, X, Y, o), value_error, message_contains({"sharded_data needs a combiner"}));

    // A combiner of one process, never reached: the settings are refused first.
    struct one_process : step_combiner {
        std::size_t index() const override { return 0; }
        std::size_t count() const override { return 1; }
        std::size_t total(std::size_t n) override { return n; }
        std::uint64_t min(std::uint64_t v) override { return v; }
        std::uint64_t max(std::uint64_t v) override { return v; }
        double combine(const std::vector<parameter*>&, double cost, double) override { return cost; }
    } alone;
    o.combiner = &alone;
    o.batch_size = 2;
    CHECK_THROWS_MATCHES(train(cost, gd, X, Y, o), value_error,
                         message_contains({"sharded_data trains on full batches only", "batch size of 2"}));
}
