#include <tapegrad/ops/arithmetic.hpp>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/op_builder.hpp>
#include <tapegrad/ops/kernels.hpp>

namespace tapegrad {

using kernels::broadcast_ref;

shape2 broadcast_shape(const char* op, shape2 a, shape2 b) {
    auto dim = [&](std::size_t x, std::size_t y, std::size_t& out) {
        if (x == y || y == 1) {
            out = x;
        } else if (x == 1) {
            out = y;
        } else {
            throw shape_error(std::string(op) + ": shapes " + to_string(a) + " and " + to_string(b) +
                              " do not broadcast; each dimension must be equal or 1 (a (n,1) column, a "
                              "(1,m) row or a (1,1) scalar against (n,m))");
        }
    };
    shape2 r;
    dim(a.rows, b.rows, r.rows);
    dim(a.cols, b.cols, r.cols);
    return r;
}

namespace {

// out = f(a, b) with broadcasting.
template <class F>
void binary_forward(const char* op, const matrix& a, const matrix& b, matrix& out, F f) {
    const shape2 s = broadcast_shape(op, shape_of(a), shape_of(b));
    kernels::resize(out, s);
    if (shape_of(a) == s && shape_of(b) == s) {  // the common case: one flat loop
        const double* pa = a.data();
        const double* pb = b.data();
        double* po = out.data();
        for (std::size_t k = 0, n = out.size(); k < n; ++k) po[k] = f(pa[k], pb[k]);
        return;
    }
    const broadcast_ref ra(a), rb(b);
    double* po = out.data();
    for (std::size_t i = 0; i < s.rows; ++i) {
        for (std::size_t j = 0; j < s.cols; ++j) po[i * s.cols + j] = f(ra(i, j), rb(i, j));
    }
}

// For each input that needs it: d_input (summed to its shape) += f_i(g, a, b).
template <class FA, class FB>
void binary_backward(backward_context& c, FA da, FB db) {
    const matrix& g = c.grad();
    const std::size_t rows = g.shape()[0], cols = g.shape()[1];
    const broadcast_ref ra(c.input(0)), rb(c.input(1));
    auto push = [&](std::size_t which, auto f) {
        if (!c.needs_grad(which)) return;
        if (shape_of(c.input(which)) == shape2{rows, cols}) {  // not broadcast: elementwise, no zero fill
            kernels::deposit(c, which, [&](std::size_t k) {
                return f(g.data()[k], ra(k / cols, k % cols), rb(k / cols, k % cols));
            });
            return;
        }
        const broadcast_ref acc(c.input_grad(which));
        for (std::size_t i = 0; i < rows; ++i) {
            for (std::size_t j = 0; j < cols; ++j) acc(i, j) += f(g(i, j), ra(i, j), rb(i, j));
        }
    };
    push(0, da);
    push(1, db);
}

template <class F>
matrix eval_binary(const char* op, const matrix& a, const matrix& b, F f) {
    matrix out;
    binary_forward(op, a, b, out, f);
    return out;
}

template <class F>
var record_binary(const char* op, const var& a, const var& b, backward_fn backward, F f) {
    op_builder r = a.owner().record(op, {a, b}, backward);
    binary_forward(op, r.input(0), r.input(1), r.value(), f);
    return r.result();
}

template <class F>
var record_scalar(const char* op, const var& a, double c, backward_fn backward, F f) {
    op_builder r = a.owner().record(op, {a}, backward);
    r.scalar(0, c);
    kernels::map(r.input(0), r.value(), [&](double x) { return f(x, c); });
    return r.result();
}

template <class F>
matrix eval_scalar(const matrix& a, double c, F f) {
    matrix out;
    kernels::map(a, out, [&](double x) { return f(x, c); });
    return out;
}

// Forward formulas, shared by the var and matrix overloads.
const auto plus = [](double x, double y) { return x + y; };
const auto minus = [](double x, double y) { return x - y; };
const auto times = [](double x, double y) { return x * y; };
const auto divide = [](double x, double y) { return x / y; };
const auto minus_from = [](double x, double c) { return c - x; };
const auto divide_into = [](double x, double c) { return c / x; };

// Backward rules: d(a op b)/da and /db times the incoming gradient g.
void add_backward(backward_context& c) {
    binary_backward(c, [](double g, double, double) { return g; }, [](double g, double, double) { return g; });
}
void sub_backward(backward_context& c) {
    binary_backward(c, [](double g, double, double) { return g; }, [](double g, double, double) { return -g; });
}
void mul_backward(backward_context& c) {
    binary_backward(c, [](double g, double, double b) { return g * b; },
                    [](double g, double a, double) { return g * a; });
}
// d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
void div_backward(backward_context& c) {
    binary_backward(c, [](double g, double, double b) { return g / b; },
                    [](double g, double a, double b) { return -g * a / (b * b); });
}

void neg_backward(backward_context& c) {
    const matrix& g = c.grad();
    kernels::deposit(c, 0, [&](std::size_t k) { return -g.data()[k]; });
}
void add_scalar_backward(backward_context& c) {
    const matrix& g = c.grad();
    kernels::deposit(c, 0, [&](std::size_t k) { return g.data()[k]; });
}
void mul_scalar_backward(backward_context& c) {
    const matrix& g = c.grad();
    const double s = c.scalar(0);
    kernels::deposit(c, 0, [&](std::size_t k) { return g.data()[k] * s; });
}
void div_scalar_backward(backward_context& c) {
    const matrix& g = c.grad();
    const double s = c.scalar(0);
    kernels::deposit(c, 0, [&](std::size_t k) { return g.data()[k] / s; });
}
void rsub_scalar_backward(backward_context& c) { neg_backward(c); }
// d(c/a)/da = -c/a^2 = -(c/a)/a, from the saved output
void rdiv_scalar_backward(backward_context& c) {
    const matrix& g = c.grad();
    const double* a = c.input(0).data();
    const double* y = c.value().data();
    kernels::deposit(c, 0, [&](std::size_t k) { return -g.data()[k] * y[k] / a[k]; });
}

}  // namespace

var add(const var& a, const var& b) { return record_binary("add", a, b, add_backward, plus); }
var sub(const var& a, const var& b) { return record_binary("sub", a, b, sub_backward, minus); }
var mul(const var& a, const var& b) { return record_binary("mul", a, b, mul_backward, times); }
var div(const var& a, const var& b) { return record_binary("div", a, b, div_backward, divide); }

var neg(const var& a) {
    op_builder r = a.owner().record("neg", {a}, neg_backward);
    kernels::map(r.input(0), r.value(), [](double x) { return -x; });
    return r.result();
}

var add_scalar(const var& a, double c) { return record_scalar("add_scalar", a, c, add_scalar_backward, plus); }
var mul_scalar(const var& a, double c) { return record_scalar("mul_scalar", a, c, mul_scalar_backward, times); }
var div_scalar(const var& a, double c) { return record_scalar("div_scalar", a, c, div_scalar_backward, divide); }
var rsub_scalar(double c, const var& a) {
    return record_scalar("rsub_scalar", a, c, rsub_scalar_backward, minus_from);
}
var rdiv_scalar(double c, const var& a) {
    return record_scalar("rdiv_scalar", a, c, rdiv_scalar_backward, divide_into);
}

matrix add(const matrix& a, const matrix& b) { return eval_binary("add", a, b, plus); }
matrix sub(const matrix& a, const matrix& b) { return eval_binary("sub", a, b, minus); }
matrix mul(const matrix& a, const matrix& b) { return eval_binary("mul", a, b, times); }
matrix div(const matrix& a, const matrix& b) { return eval_binary("div", a, b, divide); }
matrix neg(const matrix& a) {
    matrix out;
    kernels::map(a, out, [](double x) { return -x; });
    return out;
}
matrix add_scalar(const matrix& a, double c) { return eval_scalar(a, c, plus); }
matrix mul_scalar(const matrix& a, double c) { return eval_scalar(a, c, times); }
matrix div_scalar(const matrix& a, double c) { return eval_scalar(a, c, divide); }
matrix rsub_scalar(double c, const matrix& a) { return eval_scalar(a, c, minus_from); }
matrix rdiv_scalar(double c, const matrix& a) { return eval_scalar(a, c, divide_into); }

}  // namespace tapegrad
