// The op table: every op at every listed shape passes a numerical gradient
// check, its recorded forward value equals its non-recording overload, and the
// table covers the ops and broadcast forms it must.
#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <tapegrad/ops/op_table.hpp>
#include <tapegrad/tapegrad.hpp>
#include <xtensor/xio.hpp>

#include "test_support.hpp"

using namespace tapegrad;

namespace {

std::string shapes_text(const std::vector<shape2>& shapes) {
    std::string s;
    for (const shape2& x : shapes) s += (s.empty() ? "" : " x ") + to_string(x);
    return s;
}

const op_row* find_row(const std::string& name) {
    for (const op_row& row : op_table()) {
        if (row.name == name) return &row;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("the op table has well-formed rows", "[op_table]") {
    REQUIRE_FALSE(op_table().empty());
    std::vector<std::string> names;
    for (const op_row& row : op_table()) {
        CAPTURE(row.name);
        CHECK(row.arity >= 1);
        CHECK(row.domains.size() == row.arity);
        CHECK(row.apply);
        CHECK(row.evaluate);
        CHECK_FALSE(row.shapes.empty());
        for (const auto& shapes : row.shapes) CHECK(shapes.size() == row.arity);
        names.push_back(row.name);
    }
    // One row per op: a duplicated name would hide one of them in reports.
    std::sort(names.begin(), names.end());
    CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
}

TEST_CASE("the op table contains every core op", "[op_table]") {
    const char* required[] = {"matmul",     "add",         "sub",         "mul",       "div",       "neg",
                              "add_scalar", "mul_scalar",  "div_scalar",  "rsub_scalar", "rdiv_scalar",
                              "transpose",  "sum",         "sum_axis0",   "sum_axis1", "mean",      "relu",
                              "sigmoid",    "tanh",        "exp",         "log",       "square",    "sqrt"};
    for (const char* name : required) {
        CAPTURE(name);
        CHECK(find_row(name) != nullptr);
    }
}

TEST_CASE("every broadcasting binary op is tested with a column, a row and a scalar operand", "[op_table]") {
    for (const char* name : {"add", "sub", "mul", "div"}) {
        CAPTURE(name);
        const op_row* row = find_row(name);
        REQUIRE(row != nullptr);
        REQUIRE(row->arity == 2);
        bool column = false, row_vector = false, scalar = false;
        for (const auto& s : row->shapes) {
            for (std::size_t i = 0; i < 2; ++i) {
                const shape2 mine = s[i], other = s[1 - i];
                // The operand really is broadcast: the other one is larger along that dimension.
                if (mine.rows > 1 && mine.cols == 1 && other.cols > 1) column = true;
                if (mine.rows == 1 && mine.cols > 1 && other.rows > 1) row_vector = true;
                if (mine == shape2{1, 1} && other.rows * other.cols > 1) scalar = true;
            }
        }
        CHECK(column);
        CHECK(row_vector);
        CHECK(scalar);
    }
}

TEST_CASE("every op passes a gradient check at every shape case", "[op_table][gradient]") {
    std::uint64_t seed = 1000;
    for (const op_row& row : op_table()) {
        // A check of an all-zero gradient passes vacuously: each op must show a
        // non-zero gradient in at least one case (a forward that ignores its
        // input would otherwise pass).
        bool informative = false;
        for (const auto& shapes : row.shapes) {
            const gradient_report report = check_op(row, shapes, seed++);
            informative = informative || report.gradient_norm > 0.0;
            INFO("op " << row.name << " at " << shapes_text(shapes) << "\n" << report.to_string());
            CHECK(report.passed);
            CHECK(report.method == "full");
            // A full check of the differentiated inputs (named a, b, ... by position;
            // constant inputs such as labels are left out): 1 analytic + 2 to check the
            // function can be checked + 2 evaluations per scalar.
            REQUIRE_FALSE(report.parameters.empty());
            CHECK(report.parameters.size() <= row.arity);
            std::size_t scalars = 0;
            for (const parameter_difference& p : report.parameters) {
                REQUIRE(p.name.size() == 1);
                const std::size_t input = static_cast<std::size_t>(p.name[0] - 'a');
                REQUIRE(input < row.arity);
                scalars += shapes[input].rows * shapes[input].cols;
            }
            CHECK(report.evaluations == 3 + 2 * scalars);
        }
        CAPTURE(row.name);
        CHECK(informative);
    }
}

TEST_CASE("every op's recorded value equals its matrix overload exactly", "[op_table]") {
    std::mt19937_64 rng(7);
    for (const op_row& row : op_table()) {
        for (const auto& shapes : row.shapes) {
            std::vector<matrix> inputs;
            for (std::size_t i = 0; i < row.arity; ++i) inputs.push_back(random_input(row.domains[i], shapes[i], rng));

            const matrix evaluated = row.evaluate(inputs);
            tape t;
            std::vector<var> vars;
            for (const matrix& m : inputs) vars.push_back(t.constant(m));
            const var recorded = row.apply(vars);

            INFO("op " << row.name << " at " << shapes_text(shapes) << "\nrecorded " << recorded.value()
                       << "\nevaluated " << evaluated);
            CHECK(test_support::exactly_equal(recorded.value(), evaluated));
            CHECK(all_finite(evaluated));  // the inputs lie in the op's domain
        }
    }
}
