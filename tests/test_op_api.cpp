// The op-author API refuses misuse with an exception (never memory
// corruption), accumulates gradients itself, and leaves the tape as it was
// when an op throws. Compile-time refusals are in tests/compile_fail.
#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>
#include <tapegrad/tapegrad.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xbuilder.hpp>

#include "test_support.hpp"

using namespace tapegrad;
using test_support::message_contains;

namespace {

void copy_forward(forward_context& f) { f.output() = f.input(0); }
void pass_backward(backward_context& c) {
    const double* g = c.grad().data();
    c.contribute(0, [g](std::size_t k) { return g[k]; });
}

// Ops that misuse their contexts, each in one way.
void forward_reads_input_1(forward_context& f) { f.output() = f.input(1); }
void forward_reads_scalar_2(forward_context& f) {
    copy_forward(f);
    f.output()(0, 0) = f.scalar(2);
}
void forward_writes_saved_2(forward_context& f) {
    copy_forward(f);
    f.saved(2) = f.input(0);
}
void backward_reads_saved_5(backward_context& c) { c.contribute(0, c.saved(5)); }
void backward_contributes_to_input_1(backward_context& c) { c.contribute(1, c.grad()); }
void backward_contributes_wrong_shape(backward_context& c) { c.contribute(0, make_matrix(7, 7, 1.0)); }
void backward_product_wrong_shape(backward_context& c) { c.contribute_product(0, c.grad(), true, c.grad(), false); }

const op_descriptor reads_input_1{"reads_input_1", 1, {input_domain::any}, forward_reads_input_1, pass_backward, {}};
const op_descriptor reads_scalar_2{"reads_scalar_2", 1, {input_domain::any}, forward_reads_scalar_2, pass_backward, {}};
const op_descriptor writes_saved_2{"writes_saved_2", 1, {input_domain::any}, forward_writes_saved_2, pass_backward, {}};
const op_descriptor reads_saved_5{"reads_saved_5", 1, {input_domain::any}, copy_forward, backward_reads_saved_5, {}};
const op_descriptor contributes_to_input_1{"contributes_to_input_1", 1, {input_domain::any}, copy_forward,
                                           backward_contributes_to_input_1, {}};
const op_descriptor contributes_wrong_shape{"contributes_wrong_shape", 1, {input_domain::any}, copy_forward,
                                            backward_contributes_wrong_shape, {}};
const op_descriptor product_wrong_shape{"product_wrong_shape", 1, {input_domain::any}, copy_forward,
                                        backward_product_wrong_shape, {}};
const op_descriptor identity{"identity", 1, {input_domain::any}, copy_forward, pass_backward, {}};

}  // namespace

TEST_CASE("an op's forward that reads past its inputs, scalars or saved matrices throws tape_error", "[op_api]") {
    parameter p("p", make_matrix(2, 3, 0.5));
    tape t;
    const var x = t.watch(p);
    const std::size_t before = t.size();
    CHECK_THROWS_MATCHES(record_op(reads_input_1, {x}), tape_error,
                         message_contains({"reads_input_1", "input 1 does not exist", "it has 1"}));
    CHECK_THROWS_MATCHES(record_op(reads_scalar_2, {x}), tape_error,
                         message_contains({"reads_scalar_2", "scalar 2 does not exist", "it has 2"}));
    CHECK_THROWS_MATCHES(record_op(writes_saved_2, {x}), tape_error,
                         message_contains({"writes_saved_2", "saved matrix 2 does not exist"}));
    // Each failed op was taken back: the tape is as it was.
    CHECK(t.size() == before);
    // The same refusals on plain matrices.
    CHECK_THROWS_AS(evaluate_op(reads_input_1, {p.value()}), tape_error);
}

TEST_CASE("an op's backward that misuses its context throws, naming the op", "[op_api]") {
    parameter p("p", make_matrix(2, 3, 0.5));
    auto backward_of = [&](const op_descriptor& d) {
        tape t;
        t.backward(sum(record_op(d, {t.watch(p)})));
    };
    CHECK_THROWS_MATCHES(backward_of(reads_saved_5), tape_error,
                         message_contains({"reads_saved_5", "saved matrix 5 does not exist"}));
    CHECK_THROWS_MATCHES(backward_of(contributes_to_input_1), tape_error,
                         message_contains({"contributes_to_input_1", "input 1 does not exist"}));
    CHECK_THROWS_MATCHES(backward_of(contributes_wrong_shape), shape_error,
                         message_contains({"contributes_wrong_shape", "(7, 7)", "(2, 3)"}));
    CHECK_THROWS_MATCHES(backward_of(product_wrong_shape), shape_error,
                         message_contains({"product_wrong_shape", "do not multiply"}));
}

TEST_CASE("record_op refuses a wrong number of inputs", "[op_api]") {
    tape t;
    const var a = t.constant(1.0), b = t.constant(2.0);
    CHECK_THROWS_MATCHES(record_op(identity, {a, b}), value_error, message_contains({"identity", "takes 1 input, got 2"}));
    CHECK_THROWS_MATCHES(record_op(add_op, {a}), value_error, message_contains({"add", "takes 2 inputs, got 1"}));
}

TEST_CASE("the engine adds every consumer's contribution: a rule cannot overwrite another's", "[op_api]") {
    // x feeds the same user op twice and a library op once, recorded in either
    // order: dJ/dx is the sum of all three contributions either way.
    const matrix x0 = {{0.5, -1.0, 2.0}};
    for (bool user_first : {true, false}) {
        parameter x("x", x0);
        tape t;
        const var xv = t.watch(x);
        var J;
        if (user_first) {
            J = sum(record_op(identity, {xv})) + sum(record_op(identity, {xv})) + sum(square(xv));
        } else {
            J = sum(square(xv)) + sum(record_op(identity, {xv})) + sum(record_op(identity, {xv}));
        }
        t.backward(J);
        for (std::size_t j = 0; j < 3; ++j) CHECK(x.grad(0, j) == 2.0 + 2.0 * x0(0, j));
    }
}

TEST_CASE("constant(shape, fill) fills a leaf in place and refuses a fill that records on the tape", "[op_api]") {
    tape t;
    const var c = t.constant({2, 2}, [](matrix& m) { m.fill(3.0); });
    CHECK(test_support::exactly_equal(c.value(), make_matrix(2, 2, 3.0)));
    CHECK(std::string(c.op()) == "constant");
    const std::size_t before = t.size();
    CHECK_THROWS_MATCHES(t.constant({1, 1}, [&](matrix& m) { m = t.constant(1.0).value(); }), tape_error,
                         message_contains({"fill function must not use that tape"}));
    CHECK_THROWS_AS(t.constant({1, 1}, [](matrix&) { throw std::runtime_error("fill failed"); }), std::runtime_error);
    CHECK(t.size() == before);
    // The tape still records after the refusals.
    CHECK(sum(c).item() == 12.0);
}

TEST_CASE("constant copies xtensor expressions and refuses other ranks at run time too", "[op_api]") {
    tape t;
    const matrix m = {{1.0, 2.0}, {3.0, 4.0}};
    const var c = t.constant(m + m);  // a lazy expression, evaluated into the copy
    CHECK(c.value()(1, 1) == 8.0);
    const xt::xarray<double> cube = xt::zeros<double>({2, 2, 2});  // a rank known only at run time
    CHECK_THROWS_MATCHES(t.constant(cube), shape_error, message_contains({"tape::constant", "3 dimensions"}));
}

TEST_CASE("a parameter knows whether its gradient is current", "[op_api][parameter]") {
    parameter a("a", make_matrix(1, 2, 1.0)), b("b", make_matrix(1, 2, 2.0));
    CHECK_FALSE(a.grad_current());
    tape t;
    t.backward(sum(t.watch(a) * t.watch(b)));
    CHECK(a.grad_current());
    CHECK(b.grad_current());
    // An optimizer marks the gradients used after a step.
    a.mark_grad_used();
    CHECK_FALSE(a.grad_current());
    // b is watched but the root does not depend on it: its gradient is 0, not current.
    t.clear();
    const var unused = t.watch(b);
    (void)unused;
    t.backward(sum(square(t.watch(a))));
    CHECK(a.grad_current());
    CHECK_FALSE(b.grad_current());
    CHECK(b.grad(0, 0) == 0.0);
}
