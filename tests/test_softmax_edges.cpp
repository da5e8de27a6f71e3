// softmax, log_softmax, the multi-class and regression losses and the shape ops
// at edge inputs, against values and gradients computed with numpy from
// PyTorch's formulas (tests/data/softmax_edges.json, written by
// tests/data/make_softmax_edges.py): extreme logits (+-1e300, [1000, 0, -1000]),
// all-equal columns, a single class, +inf / NaN / -inf logits, p == t elements.
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <tapegrad/tapegrad.hpp>

using namespace tapegrad;

namespace {

double from_json(const nlohmann::json& x) {
    if (x.is_string()) {
        const std::string s = x.get<std::string>();
        if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
        return s == "inf" ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
    }
    return x.get<double>();
}

matrix matrix_from_json(const nlohmann::json& rows) {
    matrix m = make_matrix(rows.size(), rows[0].size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        for (std::size_t j = 0; j < rows[i].size(); ++j) m(i, j) = from_json(rows[i][j]);
    }
    return m;
}

enum class tolerance { exact, element, column };

// NaN where expected, the same infinity, and otherwise equal (exact), or within
// 4 ulps of |expected| (element: values, each computed on its own), or of the
// larger of |expected| and its column's largest finite magnitude (column:
// gradients, whose elements come from sums over their column).
void check_matrix(const matrix& actual, const matrix& expected, tolerance tol, const std::string& what) {
    REQUIRE(shape_of(actual) == shape_of(expected));
    const std::size_t rows = expected.shape()[0], cols = expected.shape()[1];
    for (std::size_t j = 0; j < cols; ++j) {
        double scale = 0.0;
        for (std::size_t i = 0; i < rows && tol == tolerance::column; ++i) {
            if (std::isfinite(expected(i, j))) scale = std::fmax(scale, std::fabs(expected(i, j)));
        }
        for (std::size_t i = 0; i < rows; ++i) {
            const double a = actual(i, j), e = expected(i, j);
            INFO(what << " element (" << i << ", " << j << "): " << a << " vs " << e << " (difference " << a - e << ")");
            if (std::isnan(e)) {
                CHECK(std::isnan(a));
            } else if (tol == tolerance::exact || std::isinf(e)) {
                CHECK(a == e);
            } else {
                CHECK(std::fabs(a - e) <= 4.0 * std::numeric_limits<double>::epsilon() * std::fmax(std::fabs(e), scale));
            }
        }
    }
}

// The op of a case through its public function: on vars (recorded) or on
// matrices (evaluated), the same overloaded names.
template <class T>
T apply(const std::string& op, const std::vector<T>& x, const nlohmann::json& s) {
    auto at = [&](std::size_t k) { return s[k].get<std::size_t>(); };
    if (op == "softmax") return softmax(x[0]);
    if (op == "log_softmax") return log_softmax(x[0]);
    if (op == "softmax_cross_entropy") return softmax_cross_entropy(x[0], x[1]);
    if (op == "mse_loss") return mse_loss(x[0], x[1]);
    if (op == "mae_loss") return mae_loss(x[0], x[1]);
    if (op == "slice_rows") return slice_rows(x[0], at(0), at(1));
    if (op == "slice_cols") return slice_cols(x[0], at(0), at(1));
    if (op == "concat_rows") return concat_rows(x[0], x[1]);
    if (op == "concat_cols") return concat_cols(x[0], x[1]);
    if (op == "reshape") return reshape(x[0], at(0), at(1));
    FAIL("unknown op " << op);
    return x[0];
}

}  // namespace

TEST_CASE("softmax, the losses and the shape ops match PyTorch's formulas at edge values", "[ops][edges]") {
    std::ifstream in(std::string(TAPEGRAD_SOURCE_DIR) + "/tests/data/softmax_edges.json");
    REQUIRE(in);
    const nlohmann::json data = nlohmann::json::parse(in);
    REQUIRE(data["cases"].size() == 21);
    std::size_t index = 0;
    for (const nlohmann::json& c : data["cases"]) {
        const std::string op = c["op"].get<std::string>();
        CAPTURE(index++, op);
        // The shape ops only move values: they must match exactly.
        const bool exact = op.rfind("slice", 0) == 0 || op.rfind("concat", 0) == 0 || op == "reshape";
        std::vector<matrix> values;
        for (const nlohmann::json& x : c["inputs"]) values.push_back(matrix_from_json(x));
        std::vector<parameter> params;
        for (const matrix& v : values) params.emplace_back("x", v);
        tape t;
        std::vector<var> x;
        for (std::size_t i = 0; i < params.size(); ++i) {
            // The labels of a cross-entropy are constants.
            const bool label = op == "softmax_cross_entropy" && i == 1;
            x.push_back(label ? t.reference(params[i].value()) : t.watch(params[i]));
        }
        const var y = apply(op, x, c["scalars"]);
        check_matrix(y.value(), matrix_from_json(c["value"]), exact ? tolerance::exact : tolerance::element, "value");
        const matrix evaluated = apply(op, values, c["scalars"]);
        CHECK(std::memcmp(evaluated.data(), y.value().data(), evaluated.size() * sizeof(double)) == 0);
        y.backward(matrix_from_json(c["seed"]));
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (c["grads"][i].is_null()) continue;
            const std::string what = "gradient of input " + std::to_string(i);
            check_matrix(params[i].grad, matrix_from_json(c["grads"][i]), exact ? tolerance::exact : tolerance::column, what);
        }
    }
}

TEST_CASE("softmax_cross_entropy with one-hot probabilities equals it with the class indices", "[ops][edges]") {
    const matrix z = {{1000.0, 0.3, -2.0}, {0.0, 0.3, 4.0}, {-1000.0, 0.3, 1e300}};
    const matrix indices = {{1.0, 2.0, 0.0}};
    const matrix onehot = {{0.0, 0.0, 1.0}, {1.0, 0.0, 0.0}, {0.0, 1.0, 0.0}};
    parameter a("a", z), b("b", z);
    tape t;
    const var by_index = softmax_cross_entropy(t.watch(a), t.constant(indices));
    const var by_probability = softmax_cross_entropy(t.watch(b), t.constant(onehot));
    CHECK(std::string(by_index.op()) == "softmax_cross_entropy");
    CHECK(std::string(by_probability.op()) == "softmax_cross_entropy_probabilities");
    CHECK(by_index.item() == by_probability.item());
    t.backward(sum(by_index) + sum(by_probability));
    check_matrix(a.grad, b.grad, tolerance::column, "gradient");
}
