#include <tapegrad/ops/arithmetic.hpp>

#include <cmath>
#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/ops/kernels.hpp>
#include <tapegrad/ops/test_shapes.hpp>

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

// The output f(a, b) with broadcasting.
template <class F>
void binary_forward(forward_context& c, F f) {
    const matrix& a = c.input(0);
    const matrix& b = c.input(1);
    matrix& out = c.output();
    const shape2 s = broadcast_shape(c.op(), shape_of(a), shape_of(b));
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

// Each input's contribution d_i(G, a, b), summed back to its shape where broadcast.
template <class FA, class FB>
void binary_backward(backward_context& c, FA da, FB db) {
    const double* g = c.grad().data();
    const std::size_t cols = c.grad().shape()[1];
    const broadcast_ref ra(c.input(0)), rb(c.input(1));
    if (c.needs_grad(0)) {
        c.contribute_summed(0, [&](std::size_t i, std::size_t j) { return da(g[i * cols + j], ra(i, j), rb(i, j)); });
    }
    if (c.needs_grad(1)) {
        c.contribute_summed(1, [&](std::size_t i, std::size_t j) { return db(g[i * cols + j], ra(i, j), rb(i, j)); });
    }
}

// The output f(a, c) for the scalar attribute c.
template <class F>
void scalar_forward(forward_context& c, F f) {
    const double s = c.scalar(0);
    kernels::map(c.input(0), c.output(), [&](double x) { return f(x, s); });
}

void add_forward(forward_context& c) { binary_forward(c, [](double x, double y) { return x + y; }); }
void sub_forward(forward_context& c) { binary_forward(c, [](double x, double y) { return x - y; }); }
void mul_forward(forward_context& c) { binary_forward(c, [](double x, double y) { return x * y; }); }
void div_forward(forward_context& c) { binary_forward(c, [](double x, double y) { return x / y; }); }
void neg_forward(forward_context& c) { kernels::map(c.input(0), c.output(), [](double x) { return -x; }); }
void add_scalar_forward(forward_context& c) { scalar_forward(c, [](double x, double s) { return x + s; }); }
void mul_scalar_forward(forward_context& c) { scalar_forward(c, [](double x, double s) { return x * s; }); }
void div_scalar_forward(forward_context& c) { scalar_forward(c, [](double x, double s) { return x / s; }); }
void rsub_scalar_forward(forward_context& c) { scalar_forward(c, [](double x, double s) { return s - x; }); }
void rdiv_scalar_forward(forward_context& c) { scalar_forward(c, [](double x, double s) { return s / x; }); }

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

// std::max and std::min (a on a tie), with NaN from either side passed on.
void maximum_forward(forward_context& c) {
    binary_forward(c, [](double x, double y) { return std::isnan(y) || x < y ? y : x; });
}
void minimum_forward(forward_context& c) {
    binary_forward(c, [](double x, double y) { return std::isnan(y) || y < x ? y : x; });
}
// PyTorch's rule: G to the larger operand, G / 2 to each on a tie, 0 to the
// smaller. With a NaN no comparison holds: both operands get G, as in PyTorch.
void maximum_backward(backward_context& c) {
    binary_backward(c, [](double g, double a, double b) { return a == b ? g / 2.0 : a < b ? 0.0 : g; },
                    [](double g, double a, double b) { return a == b ? g / 2.0 : a > b ? 0.0 : g; });
}
void minimum_backward(backward_context& c) {
    binary_backward(c, [](double g, double a, double b) { return a == b ? g / 2.0 : a > b ? 0.0 : g; },
                    [](double g, double a, double b) { return a == b ? g / 2.0 : a < b ? 0.0 : g; });
}

// Input 0 gets f(G_k, scalar) for every element.
template <class F>
void scalar_backward(backward_context& c, F f) {
    const double* g = c.grad().data();
    const double s = c.scalar(0);
    c.contribute(0, [&](std::size_t k) { return f(g[k], s); });
}
void neg_backward(backward_context& c) { scalar_backward(c, [](double g, double) { return -g; }); }
void add_scalar_backward(backward_context& c) { scalar_backward(c, [](double g, double) { return g; }); }
void mul_scalar_backward(backward_context& c) { scalar_backward(c, [](double g, double s) { return g * s; }); }
void div_scalar_backward(backward_context& c) { scalar_backward(c, [](double g, double s) { return g / s; }); }
// d(c/a)/da = -c/a^2 = -(c/a)/a, from the saved output
void rdiv_scalar_backward(backward_context& c) {
    const double* g = c.grad().data();
    const double* a = c.input(0).data();
    const double* y = c.value().data();
    c.contribute(0, [&](std::size_t k) { return -g[k] * y[k] / a[k]; });
}

// The attributes the scalar ops are tested with.
constexpr scalar_case test_add[] = {{0.7}}, test_mul[] = {{-1.3}}, test_div[] = {{2.5}}, test_rsub[] = {{1.5}},
                      test_rdiv[] = {{1.5}};

}  // namespace

using d = input_domain;
const op_descriptor add_op{"add", 2, {d::any, d::any}, add_forward, add_backward, test_shapes::broadcast};
const op_descriptor sub_op{"sub", 2, {d::any, d::any}, sub_forward, sub_backward, test_shapes::broadcast};
const op_descriptor mul_op{"mul", 2, {d::any, d::any}, mul_forward, mul_backward, test_shapes::broadcast};
const op_descriptor div_op{"div", 2, {d::any, d::away_from_zero}, div_forward, div_backward, test_shapes::broadcast};
const op_descriptor neg_op{"neg", 1, {d::any}, neg_forward, neg_backward, test_shapes::elementwise};
// Ties (the kink) have probability 0 on random inputs.
const op_descriptor maximum_op{"maximum", 2, {d::any, d::any}, maximum_forward, maximum_backward,
                               test_shapes::broadcast};
const op_descriptor minimum_op{"minimum", 2, {d::any, d::any}, minimum_forward, minimum_backward,
                               test_shapes::broadcast};
const op_descriptor add_scalar_op{"add_scalar", 1, {d::any}, add_scalar_forward, add_scalar_backward,
                                  test_shapes::elementwise, test_add};
const op_descriptor mul_scalar_op{"mul_scalar", 1, {d::any}, mul_scalar_forward, mul_scalar_backward,
                                  test_shapes::elementwise, test_mul};
const op_descriptor div_scalar_op{"div_scalar", 1, {d::any}, div_scalar_forward, div_scalar_backward,
                                  test_shapes::elementwise, test_div};
// c - a: its gradient is neg's.
const op_descriptor rsub_scalar_op{"rsub_scalar", 1, {d::any}, rsub_scalar_forward, neg_backward,
                                   test_shapes::elementwise, test_rsub};
const op_descriptor rdiv_scalar_op{"rdiv_scalar", 1, {d::away_from_zero}, rdiv_scalar_forward, rdiv_scalar_backward,
                                   test_shapes::elementwise, test_rdiv};

}  // namespace tapegrad
