// The MPI tests of tapegrad::distributed, run by ctest under mpirun with 1, 2
// and 3 processes (--oversubscribe on two cores). Every process runs every test
// case in the same order (they call collective operations) and compares what
// the distributed code gave with the single-process result it computes itself.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <tapegrad/course/course.hpp>
#include <tapegrad/distributed.hpp>
#include <tapegrad/tapegrad.hpp>

using namespace tapegrad;
namespace dist = tapegrad::distributed;

namespace {

dist::communicator* world = nullptr;

// What f threw as an E ("" when it threw nothing, or another exception). Each
// call runs f once: f is collective, so every process must run it the same times.
template <class E, class F>
std::string thrown(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("another exception: ") + e.what();
    }
    return "";
}

// max |a - b| / max |b| over every element of the parameters.
double relative_error(const std::vector<parameter*>& a, const std::vector<parameter*>& b) {
    double error = 0.0, scale = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        for (std::size_t k = 0; k < b[i]->value().size(); ++k) {
            const double x = a[i]->value().data()[k], y = b[i]->value().data()[k];
            if (!(std::fabs(x - y) <= error)) error = std::fabs(x - y);  // keeps a NaN
            scale = std::fmax(scale, std::fabs(y));
        }
    }
    return error / scale;
}

double relative(double a, double b) { return std::fabs(a - b) / std::fabs(b); }

// Whether every process holds the same bits in every parameter as process 0.
bool same_on_every_process(const std::vector<parameter*>& params) {
    std::vector<double> mine, first;
    for (const parameter* p : params) mine.insert(mine.end(), p->value().begin(), p->value().end());
    first = mine;
    world->broadcast(first.data(), first.size(), 0);
    int same = mine == first ? 1 : 0;
    same = static_cast<int>(world->min(static_cast<std::uint64_t>(same)));
    return same == 1;
}

struct training_case {
    double lambda = 0.0;
    bool sharded_data = true;
    shard_layout layout = shard_layout::contiguous;
    std::size_t batch_size = train_options::full_batch;
    bool use_adam = false;
    std::int64_t epochs = 100;
};

// The course's network [2, 20, 3, 1] (scaled initialization, seed 3) trained
// 100 iterations on the regularization program's generated set, in this
// process alone and data-parallel; costs and parameters must agree to 1e-12.
void check_training(const training_case& c) {
    const split_dataset data = generated_field();
    const matrix& X = data.train.X;
    const matrix& Y = data.train.Y;
    auto make_optimizer = [&](mlp& model) -> std::unique_ptr<optimizer> {
        if (c.use_adam) return std::make_unique<adam>(model.parameters());
        return std::make_unique<gradient_descent>(model.parameters(), 0.3);
    };
    auto options = [&] {
        train_options o;
        o.epochs = c.epochs;
        o.record_every = 1;
        o.batch_size = c.batch_size;
        o.shuffle_seed = 10;
        return o;
    };

    mlp alone({2, 20, 3, 1}, initialization::scaled, 3);
    auto alone_opt = make_optimizer(alone);
    const train_result single = train(
        [&](tape& t, const batch& b) {
            return alone.cost(t, t.reference(b.X), t.reference(b.Y), {loss_kind::sigmoid_bce, c.lambda});
        },
        *alone_opt, X, Y, options());

    // Every process starts from process 0's values, whatever it drew itself:
    // gradient_allreduce broadcasts them.
    mlp model({2, 20, 3, 1}, initialization::scaled, 3 + static_cast<std::int64_t>(world->rank()));
    auto opt = make_optimizer(model);
    dist::gradient_allreduce allreduce(*world, model.parameters());
    train_options o = options();
    o.combiner = &allreduce;
    o.sharded_data = c.sharded_data;
    o.batch_layout = c.layout;
    const shard part{static_cast<std::size_t>(world->rank()), static_cast<std::size_t>(world->size()), c.layout};
    const matrix Xs = c.sharded_data ? take_shard(X, part) : X;
    const matrix Ys = c.sharded_data ? take_shard(Y, part) : Y;
    const train_result parallel = train(
        [&](tape& t, const batch& b) {
            return model.cost(t, t.reference(b.X), t.reference(b.Y), {loss_kind::sigmoid_bce, c.lambda, b.whole_size});
        },
        *opt, Xs, Ys, o);

    REQUIRE(parallel.costs.size() == single.costs.size());
    double worst_cost = 0.0;
    for (std::size_t i = 0; i < single.costs.size(); ++i) {
        CHECK(parallel.costs[i].first == single.costs[i].first);
        worst_cost = std::fmax(worst_cost, relative(parallel.costs[i].second, single.costs[i].second));
    }
    CHECK(worst_cost <= 1e-12);
    CHECK(relative_error(model.parameters(), alone.parameters()) <= 1e-12);
    CHECK(same_on_every_process(model.parameters()));
    CHECK(parallel.steps == single.steps);
}

TEST_CASE("full-batch training on sharded data gives the single-process costs and parameters", "[distributed]") {
    SECTION("no regularization, contiguous shards") { check_training({0.0, true, shard_layout::contiguous}); }
    SECTION("L2 (lambda 0.7), strided shards") { check_training({0.7, true, shard_layout::strided}); }
}

TEST_CASE("mini-batch Adam with each batch split over the processes gives the single-process run", "[distributed]") {
    // 211 examples in batches of 64: the last batch (19) is split too.
    check_training({0.0, false, shard_layout::contiguous, 64, true});
    check_training({0.7, false, shard_layout::strided, 64, true});
    // Batches of 2 (the last of 1): with 3 processes a part is empty in every batch.
    check_training({0.0, false, shard_layout::contiguous, 2, false, 3});
}

TEST_CASE("gradient_allreduce sums or averages the gradients; one not current counts as zero", "[distributed]") {
    parameter A("A", make_matrix(2, 2)), B("B", make_matrix(1, 3));
    dist::gradient_allreduce allreduce(*world, {&A, &B});
    const double n = world->size(), r = world->rank();
    auto set = [&] {
        A.grad = make_matrix(2, 2, r + 1.0);
        A.mark_grad_current();
        B.grad = make_matrix(1, 3, 5.0);
        if (world->rank() == 0) B.mark_grad_current(); else B.mark_grad_used();
    };
    set();
    allreduce.sum();
    CHECK(A.grad(1, 1) == n * (n + 1) / 2);
    CHECK(B.grad(0, 2) == 5.0);  // process 0's alone
    CHECK(A.grad_current());
    CHECK(B.grad_current());
    set();
    allreduce.average();
    CHECK(A.grad(0, 1) == Approx((n + 1) / 2).epsilon(1e-15));
}

TEST_CASE("gradient_allreduce refuses an empty list, and a combine with another list", "[distributed]") {
    CHECK_THAT(thrown<value_error>([&] { dist::gradient_allreduce(*world, {}); }),
               Catch::Contains("gradient_allreduce: no parameters"));
    parameter A("A", make_matrix(1, 2)), B("B", make_matrix(1, 2));
    dist::gradient_allreduce allreduce(*world, {&A});
    CHECK_THAT(thrown<value_error>([&] { allreduce.combine({&B}, 0.0, 1.0); }),
               Catch::Contains("the optimizer's parameters are not the 1 this gradient_allreduce was made for"));
}

TEST_CASE("a data-parallel run whose processes disagree is refused on every process before any step",
          "[distributed]") {
    const bool last = world->rank() == world->size() - 1;
    mlp model({2, 3, 1});
    gradient_descent gd(model.parameters(), 0.1);
    dist::gradient_allreduce allreduce(*world, model.parameters());
    auto cost = [&](tape& t, const batch& b) { return model.cost(t, t.reference(b.X), t.reference(b.Y)); };
    random_state rng(4);
    const std::size_t n = static_cast<std::size_t>(world->size());
    const matrix X = rng.randn(2, 2 * n), Y = make_matrix(1, 2 * n, 1.0);
    auto refusal = [&](train_options o, const matrix& Xp, const matrix& Yp) {
        o.combiner = &allreduce;
        return thrown<value_error>([&] { train(cost, gd, Xp, Yp, o); });
    };
    if (world->size() == 1) {
        CHECK(refusal({}, X, Y).empty());
        return;
    }
    train_options epochs;
    epochs.epochs = last ? 3 : 2;
    CHECK_THAT(refusal(epochs, X, Y), Catch::Contains("differ in epochs (from 2 to 3)"));
    // Equal shards given without sharded_data: the same m, other data.
    const shard mine{static_cast<std::size_t>(world->rank()), n};
    CHECK_THAT(refusal({}, take_shard(X, mine), take_shard(Y, mine)), Catch::Contains("differ in the data X and Y"));
    // Fewer examples than processes: the last shard is empty.
    train_options sharded;
    sharded.sharded_data = true;
    const matrix few = rng.randn(2, n - 1), few_y = make_matrix(1, n - 1, 1.0);
    const shard part{static_cast<std::size_t>(world->rank()), n};
    CHECK_THAT(refusal(sharded, take_shard(few, part), take_shard(few_y, part)),
               Catch::Contains("1 of the " + std::to_string(n) + " processes hold no examples"));
}

TEST_CASE("the distributed check refuses processes that would check different functions", "[distributed]") {
    random_state rng(5);
    const matrix X = rng.randn(2, 6), Y = make_matrix(1, 6, 1.0);
    mlp model({2, 3, 1});
    const std::vector<parameter*> params = model.parameters();
    gradient_check_options one;
    one.threads = 1;
    auto whole = [&](tape& t) { return model.cost(t, t.reference(X), t.reference(Y)); };
    if (world->size() == 1) {
        CHECK(thrown<value_error>([&] { dist::check_gradients(*world, whole, params, one); }).empty());
        return;
    }
    const shard mine{static_cast<std::size_t>(world->rank()), static_cast<std::size_t>(world->size())};
    const matrix Xs = take_shard(X, mine), Ys = take_shard(Y, mine);
    auto own_shard = [&](tape& t) { return model.cost(t, t.reference(Xs), t.reference(Ys)); };
    CHECK_THAT(thrown<value_error>([&] { dist::check_gradients(*world, own_shard, params, one); }),
               Catch::Contains("the function's value differs between the processes"));
    if (world->rank() == 1) model.weight(1).mutable_value()(0, 0) += 1.0;
    CHECK_THAT(thrown<value_error>([&] { dist::check_gradients(*world, whole, params, one); }),
               Catch::Contains("the parameters' values differ between the processes"));
}

// The course's gradient-checking case: numpy seed 1, x (4, 3), y, then W1 .. b3.
struct course_case {
    matrix x, y;
    named_matrices parameters;
};

course_case make_course_case() {
    random_state rng(1);
    course_case c;
    c.x = rng.randn(4, 3);
    c.y = matrix{{1.0, 1.0, 0.0}};
    const std::pair<const char*, shape2> layout[] = {{"W1", {5, 4}}, {"b1", {5, 1}}, {"W2", {3, 5}},
                                                     {"b2", {3, 1}}, {"W3", {1, 3}}, {"b3", {1, 1}}};
    for (const auto& [name, shape] : layout) c.parameters.emplace_back(name, rng.randn(shape.rows, shape.cols));
    return c;
}

// The course's two planted bugs as ops with a wrong backward: the identity
// forward, a gradient times 2 (dW2 * 2) or times 4 (db1 with 4/m).
void identity_forward(forward_context& f) { f.output() = f.input(0); }
void doubled_backward(backward_context& c) {
    const double* g = c.grad().data();
    c.contribute(0, [g](std::size_t k) { return 2.0 * g[k]; });
}
void quadrupled_backward(backward_context& c) {
    const double* g = c.grad().data();
    c.contribute(0, [g](std::size_t k) { return 4.0 * g[k]; });
}
const op_descriptor dW2_times_2{"dW2_times_2", 1, {input_domain::any}, identity_forward, doubled_backward, {}};
const op_descriptor db1_with_4_over_m{"db1_with_4_over_m", 1, {input_domain::any}, identity_forward,
                                      quadrupled_backward, {}};

scalar_function course_cost(mlp& model, const course_case& c, bool bugs) {
    return [&model, &c, bugs](tape& t) {
        var W2 = t.watch(model.weight(2)), b1 = t.watch(model.bias(1));
        if (bugs) {
            W2 = record_op(dW2_times_2, {W2});
            b1 = record_op(db1_with_4_over_m, {b1});
        }
        const var A1 = relu(matmul(t.watch(model.weight(1)), t.reference(c.x)) + b1);
        const var A2 = relu(matmul(W2, A1) + t.watch(model.bias(2)));
        const var Z3 = matmul(t.watch(model.weight(3)), A2) + t.watch(model.bias(3));
        return sigmoid_binary_cross_entropy(Z3, t.reference(c.y));
    };
}

void check_same_report(const gradient_report& d, const gradient_report& s) {
    CHECK(d.passed == s.passed);
    CHECK(relative(d.difference, s.difference) <= 1e-12);
    REQUIRE(d.parameters.size() == s.parameters.size());
    for (std::size_t i = 0; i < s.parameters.size(); ++i) {
        CHECK(d.parameters[i].name == s.parameters[i].name);
        CHECK(relative(d.parameters[i].difference, s.parameters[i].difference) <= 1e-12);
        CHECK(d.parameters[i].at_fault == s.parameters[i].at_fault);
    }
    CHECK(d.culprits() == s.culprits());
    CHECK(d.audited == s.audited);
    CHECK(d.faulty_ops() == s.faulty_ops());
    CHECK(d.evaluations == s.evaluations);
    CHECK(d.worst.parameter == s.worst.parameter);
    CHECK(d.to_string() == s.to_string());
}

TEST_CASE("the distributed full check gives the single-process report", "[distributed]") {
    const course_case c = make_course_case();
    mlp model({4, 5, 3, 1});
    model.set_parameter_values(c.parameters);
    gradient_check_options one_thread;
    one_thread.threads = 1;

    SECTION("the right gradients pass") {
        const gradient_report d =
            dist::check_gradients(*world, course_cost(model, c, false), model.parameters(), one_thread);
        const gradient_report s = check_gradients(course_cost(model, c, false), model.parameters(), one_thread);
        CHECK(d.passed);
        check_same_report(d, s);
    }
    SECTION("the course's planted bugs are found, with the same culprits and tape audit") {
        const gradient_report d =
            dist::check_gradients(*world, course_cost(model, c, true), model.parameters(), one_thread);
        const gradient_report s = check_gradients(course_cost(model, c, true), model.parameters(), one_thread);
        CHECK_FALSE(d.passed);
        CHECK(d.culprits() == std::vector<std::string>{"b1", "W2"});
        CHECK(d.faulty_ops() == std::vector<std::string>{"dW2_times_2", "db1_with_4_over_m"});
        check_same_report(d, s);
    }
}

TEST_CASE("parameters that differ between processes are refused up front, on every process", "[distributed]") {
    parameter W("W1", make_matrix(3, world->rank() == world->size() - 1 && world->size() > 1 ? 3 : 2));
    const std::vector<parameter*> params{&W};
    if (world->size() == 1) {
        CHECK_NOTHROW(dist::check_same_parameters(*world, params, "test"));
        return;
    }
    const std::string expected = "gradient_allreduce: the processes' parameters differ: parameter 0 is W1 (3, 2) on "
                                 "process 0 but W1 (3, 3) on process " + std::to_string(world->size() - 1);
    CHECK_THAT(thrown<value_error>([&] { dist::gradient_allreduce(*world, params); }), Catch::Contains(expected));
    auto f = [&](tape& t) { return sum(t.watch(W)); };
    CHECK_THAT(thrown<value_error>([&] { dist::check_gradients(*world, f, params); }),
               Catch::Contains("distributed::check_gradients: the processes' parameters differ"));
}

TEST_CASE("an evaluation that throws in the distributed check: its process rethrows, the others get remote_error",
          "[distributed]") {
    parameter W("W", make_matrix(1, 6, 1.0));
    const int last = world->size() - 1;
    // Scalar 5 is the last process's: its perturbed evaluations (scalar 5 moved
    // alone, not with the others as in the checkability test) throw there.
    const scalar_function f = [&](tape& t) {
        const var w = t.watch(W);
        const bool only_5_moved = w.value()(0, 5) != 1.0 && w.value()(0, 0) == 1.0;
        if (only_5_moved && world->rank() == last) throw value_error("planted failure");
        return sum(w * w);
    };
    gradient_check_options one_thread;
    one_thread.threads = 1;
    if (world->rank() == last) {
        CHECK_THAT(thrown<value_error>([&] { dist::check_gradients(*world, f, {&W}, one_thread); }),
                   Catch::Contains("planted failure"));
    } else {
        CHECK_THAT(thrown<dist::remote_error>([&] { dist::check_gradients(*world, f, {&W}, one_thread); }),
                   Catch::Contains("scalar 5 failed on process " + std::to_string(last)));
    }
}

// `distributed_tests --fail MODE`: a job that fails on purpose, for
// tests/distributed/run_mpi.cmake (it must end with a non-zero status and the
// message printed once; in the same program as the tests to build one
// translation unit fewer in each tree):
//   one      the last process throws in the middle of data-parallel training
//            while the others wait for it in the gradient allreduce;
//   all      every process throws the same error (a bad input every process checks);
//   mismatch the last process builds a different model;
//   status   the last process returns 3 at once while the others start training.
int fail_on_purpose(dist::communicator& comm, const std::string& mode) {
    if (mode == "all") throw value_error("every process refuses this input");
    const bool last = comm.rank() == comm.size() - 1;
    if (mode == "status" && last) return 3;
    mlp model({2, mode == "mismatch" && last ? 4u : 3u, 1});
    gradient_descent gd(model.parameters(), 0.1);
    dist::gradient_allreduce allreduce(comm, model.parameters());
    random_state rng(1);
    const matrix X = rng.randn(2, 40), Y = make_matrix(1, 40, 1.0);
    train_options o;
    o.epochs = 1000000;  // long enough that the others are waiting when one fails
    o.combiner = &allreduce;
    std::int64_t calls = 0;
    train(
        [&](tape& t, const batch& b) {
            if (mode == "one" && last && ++calls == 50) {
                throw value_error("process " + std::to_string(comm.rank()) + " failed on purpose at step 50");
            }
            return model.cost(t, t.reference(b.X), t.reference(b.Y));
        },
        gd, X, Y, o);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--fail") {
        const std::string mode = argv[2];
        return dist::run(argc, argv, [&](dist::communicator& comm) { return fail_on_purpose(comm, mode); },
                         {"failure", std::chrono::milliseconds(2000)});
    }
    return dist::run(argc, argv, [&](dist::communicator& comm) {
        world = &comm;
        Catch::Session session;
        if (const int status = session.applyCommandLine(argc, argv)) return status;
        return session.run();
    });
}
