#include <tapegrad/ops/shaping.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/number_text.hpp>
#include <tapegrad/ops/kernels.hpp>

namespace tapegrad {

namespace {

// Scalar attribute k as a count or an index: a whole number >= 0 (and below
// 2^53, where doubles stop being exact), else value_error naming the op.
std::size_t whole_number(const char* op, const char* what, double v) {
    if (!(v >= 0.0 && v < 0x1.0p53 && std::floor(v) == v)) {
        throw value_error(std::string(op) + ": " + what + " must be a whole number >= 0, got " + number_text(v));
    }
    return static_cast<std::size_t>(v);
}

// The range [begin, end) of a slice along a dimension of `extent`, checked.
struct range {
    std::size_t begin, end;
};
range slice_range(const char* op, double b, double e, const matrix& a, std::size_t extent) {
    const range r{whole_number(op, "begin", b), whole_number(op, "end", e)};
    if (!(r.begin < r.end && r.end <= extent)) {
        throw value_error(std::string(op) + ": the range [" + std::to_string(r.begin) + ", " + std::to_string(r.end) +
                          ") is empty or outside " + shape_string(a) + "; expected begin < end <= " +
                          std::to_string(extent));
    }
    return r;
}

// Rows: dimension 0, columns: dimension 1. out(i, j) = a at (i + begin, j) or (i, j + begin).
template <std::size_t Dim>
void slice_forward(forward_context& f) {
    const matrix& a = f.input(0);
    const range r = slice_range(f.op(), f.scalar(0), f.scalar(1), a, a.shape()[Dim]);
    const std::size_t rows = Dim == 0 ? r.end - r.begin : a.shape()[0];
    const std::size_t cols = Dim == 1 ? r.end - r.begin : a.shape()[1];
    matrix& out = f.output();
    kernels::resize(out, rows, cols);
    for (std::size_t i = 0; i < rows; ++i) {
        const double* from = a.data() + (Dim == 0 ? (i + r.begin) * cols : i * a.shape()[1] + r.begin);
        std::copy(from, from + cols, out.data() + i * cols);
    }
}

// da = G where the slice came from, 0 elsewhere.
template <std::size_t Dim>
void slice_backward(backward_context& c) {
    const matrix& g = c.grad();
    const std::size_t begin = static_cast<std::size_t>(c.scalar(0)), end = static_cast<std::size_t>(c.scalar(1));
    c.contribute(0, [&](std::size_t i, std::size_t j) {
        const std::size_t at = Dim == 0 ? i : j;
        if (at < begin || at >= end) return 0.0;
        return Dim == 0 ? g(i - begin, j) : g(i, j - begin);
    });
}

// a then b along dimension Dim; the other dimension must match.
template <std::size_t Dim>
void concat_forward(forward_context& f) {
    const matrix& a = f.input(0);
    const matrix& b = f.input(1);
    constexpr std::size_t other = 1 - Dim;
    if (a.shape()[other] != b.shape()[other]) {
        throw shape_error(std::string(f.op()) + ": cannot join " + shape_string(a) + " and " + shape_string(b) +
                          "; their " + (Dim == 0 ? "columns" : "rows") + " must match");
    }
    const std::size_t rows = Dim == 0 ? a.shape()[0] + b.shape()[0] : a.shape()[0];
    const std::size_t cols = Dim == 1 ? a.shape()[1] + b.shape()[1] : a.shape()[1];
    matrix& out = f.output();
    kernels::resize(out, rows, cols);
    if (Dim == 0) {  // row-major: a's block, then b's
        std::copy(b.data(), b.data() + b.size(), std::copy(a.data(), a.data() + a.size(), out.data()));
        return;
    }
    const std::size_t ca = a.shape()[1], cb = b.shape()[1];
    for (std::size_t i = 0; i < rows; ++i) {
        double* row = std::copy(a.data() + i * ca, a.data() + (i + 1) * ca, out.data() + i * cols);
        std::copy(b.data() + i * cb, b.data() + (i + 1) * cb, row);
    }
}

// da = G's first part, db = the rest.
template <std::size_t Dim>
void concat_backward(backward_context& c) {
    const matrix& g = c.grad();
    const std::size_t offset = c.input(0).shape()[Dim];
    c.contribute(0, [&](std::size_t i, std::size_t j) { return g(i, j); });
    c.contribute(1, [&](std::size_t i, std::size_t j) { return Dim == 0 ? g(i + offset, j) : g(i, j + offset); });
}

void reshape_forward(forward_context& f) {
    const matrix& a = f.input(0);
    const std::size_t rows = whole_number(f.op(), "rows", f.scalar(0));
    const std::size_t cols = whole_number(f.op(), "cols", f.scalar(1));
    // rows and cols are each below 2^53: their product could wrap around size_t.
    if ((cols != 0 && rows > a.size() / cols) || rows * cols != a.size()) {
        throw shape_error(std::string(f.op()) + ": cannot reshape " + shape_string(a) + " (" +
                          std::to_string(a.size()) + " elements) to (" + std::to_string(rows) + ", " +
                          std::to_string(cols) + ")");
    }
    kernels::resize(f.output(), rows, cols);
    std::copy(a.data(), a.data() + a.size(), f.output().data());
}

// Row-major order is kept: element k of G is element k of da.
void reshape_backward(backward_context& c) {
    const double* g = c.grad().data();
    c.contribute(0, [&](std::size_t k) { return g[k]; });
}

// Every (begin, end) case fits every test shape (at least 3 rows and 4 columns).
constexpr shape_case slice_shapes[] = {{{{3, 4}}}, {{{4, 5}}}};
constexpr scalar_case slice_ranges[] = {{0.0, 1.0}, {1.0, 3.0}, {0.0, 3.0}};
constexpr shape_case concat_rows_shapes[] = {{{{2, 3}, {4, 3}}}, {{{1, 1}, {1, 1}}}, {{{3, 1}, {1, 1}}}};
constexpr shape_case concat_cols_shapes[] = {{{{3, 2}, {3, 4}}}, {{{1, 1}, {1, 1}}}, {{{1, 3}, {1, 1}}}};
// Every (rows, cols) case has the 12 elements of every test shape.
constexpr shape_case reshape_shapes[] = {{{{3, 4}}}, {{{1, 12}}}, {{{12, 1}}}};
constexpr scalar_case reshape_sizes[] = {{4.0, 3.0}, {2.0, 6.0}, {12.0, 1.0}};

template <class Parts, class Join>
auto join_all(const char* op, Parts parts, Join join) {
    if (parts.size() == 0) throw value_error(std::string(op) + ": got an empty list; expected at least one part");
    auto it = parts.begin();
    auto result = join(*it, *it, true);
    for (++it; it != parts.end(); ++it) result = join(result, *it, false);
    return result;
}

}  // namespace

using d = input_domain;
const op_descriptor slice_rows_op{"slice_rows", 1, {d::any}, slice_forward<0>, slice_backward<0>, slice_shapes,
                                  slice_ranges};
const op_descriptor slice_cols_op{"slice_cols", 1, {d::any}, slice_forward<1>, slice_backward<1>, slice_shapes,
                                  slice_ranges};
const op_descriptor concat_rows_op{"concat_rows", 2, {d::any, d::any}, concat_forward<0>, concat_backward<0>,
                                   concat_rows_shapes};
const op_descriptor concat_cols_op{"concat_cols", 2, {d::any, d::any}, concat_forward<1>, concat_backward<1>,
                                   concat_cols_shapes};
const op_descriptor reshape_op{"reshape", 1, {d::any}, reshape_forward, reshape_backward, reshape_shapes,
                               reshape_sizes};

namespace {
scalar_case attributes(std::size_t x, std::size_t y) { return {static_cast<double>(x), static_cast<double>(y)}; }
}  // namespace

var slice_rows(const var& a, std::size_t begin, std::size_t end) {
    return record_op(slice_rows_op, {a}, attributes(begin, end));
}
matrix slice_rows(const matrix& a, std::size_t begin, std::size_t end) {
    return evaluate_op(slice_rows_op, {a}, attributes(begin, end));
}
var slice_cols(const var& a, std::size_t begin, std::size_t end) {
    return record_op(slice_cols_op, {a}, attributes(begin, end));
}
matrix slice_cols(const matrix& a, std::size_t begin, std::size_t end) {
    return evaluate_op(slice_cols_op, {a}, attributes(begin, end));
}
var reshape(const var& a, std::size_t rows, std::size_t cols) {
    return record_op(reshape_op, {a}, attributes(rows, cols));
}
matrix reshape(const matrix& a, std::size_t rows, std::size_t cols) {
    return evaluate_op(reshape_op, {a}, attributes(rows, cols));
}

var concat_rows(std::initializer_list<var> parts) {
    return join_all("concat_rows", parts,
                    [](const var& a, const var& b, bool first) { return first ? a : concat_rows(a, b); });
}
var concat_cols(std::initializer_list<var> parts) {
    return join_all("concat_cols", parts,
                    [](const var& a, const var& b, bool first) { return first ? a : concat_cols(a, b); });
}
matrix concat_rows(std::initializer_list<std::reference_wrapper<const matrix>> parts) {
    return join_all("concat_rows", parts, [](const matrix& a, const matrix& b, bool first) {
        return first ? matrix(a) : concat_rows(a, b);
    });
}
matrix concat_cols(std::initializer_list<std::reference_wrapper<const matrix>> parts) {
    return join_all("concat_cols", parts, [](const matrix& a, const matrix& b, bool first) {
        return first ? matrix(a) : concat_cols(a, b);
    });
}

}  // namespace tapegrad
