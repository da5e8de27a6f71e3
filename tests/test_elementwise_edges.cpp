// The elementwise ops, activations and extrema at their edge values (0, -0.0,
// tiny and huge inputs, ties, NaN, infinities) against numpy's rendering of
// PyTorch's formulas and backward rules (tests/data/elementwise_edges.json,
// written by tests/data/make_elementwise_edges.py): the forward values, and
// the gradients a backward with a seed of ones leaves in the inputs.
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <tapegrad/tapegrad.hpp>
#include <xtensor/xio.hpp>

#include "test_support.hpp"

using namespace tapegrad;

namespace {

const nlohmann::json& edges() {
    static const nlohmann::json data = [] {
        std::ifstream in(std::string(TAPEGRAD_SOURCE_DIR) + "/tests/data/elementwise_edges.json");
        REQUIRE(in.good());
        return nlohmann::json::parse(in);
    }();
    return data;
}

// JSON has no NaN or infinity: the script writes them as strings.
double number(const nlohmann::json& v) {
    if (v.is_number()) return v.get<double>();
    const std::string s = v.get<std::string>();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return HUGE_VAL;
    if (s == "-inf") return -HUGE_VAL;
    FAIL("not a number in elementwise_edges.json: " << s);
    return 0.0;
}

matrix from_json(const nlohmann::json& rows) {
    matrix m = make_matrix(rows.size(), rows[0].size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        for (std::size_t j = 0; j < rows[i].size(); ++j) m(i, j) = number(rows[i][j]);
    }
    return m;
}

// NaN where NaN is expected, the same double where the formula is exact (the
// sign of a zero included), otherwise within 4 ulps: numpy's exp, log1p and
// expm1 are not bound to round like the C library's.
bool agrees(double got, double want, bool exact) {
    if (std::isnan(want)) return std::isnan(got);
    if (got == want) return !exact || want != 0.0 || std::signbit(got) == std::signbit(want);
    if (exact || !std::isfinite(want)) return false;
    return std::fabs(got - want) <= 4.0 * std::numeric_limits<double>::epsilon() * std::fabs(want);
}

void check_agrees(const matrix& got, const matrix& want, bool exact) {
    INFO("got\n" << got << "\nexpected\n" << want);
    REQUIRE(shape_of(got) == shape_of(want));
    for (std::size_t k = 0; k < want.size(); ++k) {
        CAPTURE(k);
        CHECK(agrees(got.data()[k], want.data()[k], exact));
    }
}

// The public var function of a one-input op in the JSON, with its scalars.
using unary_fn = std::function<var(const var&, const std::array<double, 2>&)>;
const std::map<std::string, unary_fn>& unary_ops() {
    static const std::map<std::string, unary_fn> ops = {
        {"abs", [](const var& x, const auto&) { return abs(x); }},
        {"pow", [](const var& x, const auto& s) { return pow(x, s[0]); }},
        {"clamp", [](const var& x, const auto& s) { return clamp(x, s[0], s[1]); }},
        {"log1p", [](const var& x, const auto&) { return log1p(x); }},
        {"expm1", [](const var& x, const auto&) { return expm1(x); }},
        {"leaky_relu", [](const var& x, const auto& s) { return leaky_relu(x, s[0]); }},
        {"elu", [](const var& x, const auto& s) { return elu(x, s[0]); }},
        {"softplus", [](const var& x, const auto&) { return softplus(x); }},
    };
    return ops;
}

}  // namespace

TEST_CASE("elementwise ops and activations match PyTorch's formulas at their edge values", "[ops][edges]") {
    REQUIRE(edges()["unary"].size() == 14);  // every case the generator wrote is replayed
    for (const nlohmann::json& c : edges()["unary"]) {
        const std::string op = c["op"];
        const std::array<double, 2> s = {c["scalars"][0].get<double>(), c["scalars"][1].get<double>()};
        const bool exact = c["exact"];
        CAPTURE(op, s[0], s[1]);
        REQUIRE(unary_ops().count(op) == 1);
        parameter x("x", from_json(c["x"]));
        tape t;
        const var y = unary_ops().at(op)(t.watch(x), s);
        CHECK(std::string(y.op()) == op);
        check_agrees(y.value(), from_json(c["y"]), exact);
        t.backward(y, make_matrix(shape_of(y.value()), 1.0));
        check_agrees(x.grad, from_json(c["dx"]), exact);
    }
}

TEST_CASE("maximum and minimum match PyTorch at ties, NaN and infinities, broadcast or not", "[ops][edges]") {
    REQUIRE(edges()["binary"].size() == 6);  // every case the generator wrote is replayed
    for (const nlohmann::json& c : edges()["binary"]) {
        const std::string op = c["op"];
        CAPTURE(op);
        parameter a("a", from_json(c["a"])), b("b", from_json(c["b"]));
        tape t;
        const var y = op == "maximum" ? maximum(t.watch(a), t.watch(b)) : minimum(t.watch(a), t.watch(b));
        // The values are operands, compared with == (which of 0 and -0 a tie gives
        // is left open); the gradients are sums of 0, 1/2 and 1, exact.
        check_agrees(y.value(), from_json(c["y"]), false);
        t.backward(y, make_matrix(shape_of(y.value()), 1.0));
        check_agrees(a.grad, from_json(c["da"]), true);
        check_agrees(b.grad, from_json(c["db"]), true);
    }
}

TEST_CASE("max and min, whole and along an axis, match PyTorch at ties, NaN and infinities", "[ops][edges]") {
    REQUIRE(edges()["extreme"].size() == 24);  // every case the generator wrote is replayed
    for (const nlohmann::json& c : edges()["extreme"]) {
        const std::string op = c["op"];
        const int axis = c["axis"];
        CAPTURE(op, axis);
        parameter x("x", from_json(c["x"]));
        tape t;
        const var v = t.watch(x);
        const var y = op == "max" ? (axis < 0 ? max(v) : max(v, axis)) : (axis < 0 ? min(v) : min(v, axis));
        check_agrees(y.value(), from_json(c["y"]), true);
        t.backward(y, make_matrix(shape_of(y.value()), 1.0));
        // 1 / count, as numpy computes it: the same double
        check_agrees(x.grad, from_json(c["dx"]), true);
    }
}
