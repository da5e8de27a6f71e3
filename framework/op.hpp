// How an op is declared: one op_descriptor holds everything about an op in one
// place (its name, its inputs' domains, its forward, its backward rule, the
// shapes to test it at). From it come the recorded overload (record_op), the
// evaluated one on plain matrices (evaluate_op), the generated gradient test
// (check_op, framework/op_check.hpp) and the tape audit's re-runs of a node
// (framework/tape_audit.hpp). docs/adding-an-op.md shows one from end to end.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <utility>

#include <tapegrad/framework/backward_context.hpp>
#include <tapegrad/framework/forward_context.hpp>
#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

// Where an input is drawn in a gradient test, so that central differences are valid.
enum class input_domain {
    any,             // uniform in [-2, 2)
    positive,        // in [0.5, 2): log, sqrt
    away_from_zero,  // +-[0.5, 2): divisors, kinks at 0
    probability,     // in [0.05, 0.95)
    zero_one,        // 0 or 1, held constant (labels, masks): not differentiated, not checked
    class_index,     // whole numbers in [0, K), K the rows of input 0, held constant (class labels)
    distribution,    // columns of numbers >= 0 summing to 1, held constant (soft labels)
};

// Whether inputs of this domain are constants of a gradient test (labels, masks),
// not differentiated and not checked.
constexpr bool is_constant_domain(input_domain d) {
    return d == input_domain::zero_one || d == input_domain::class_index || d == input_domain::distribution;
}

// A view of a static array: an op's test cases.
template <class T>
class array_view {
public:
    constexpr array_view() = default;
    template <std::size_t N>
    constexpr array_view(const T (&a)[N]) : data_(a), size_(N) {}  // NOLINT: implicit by design
    constexpr const T* begin() const { return data_; }
    constexpr const T* end() const { return data_ + size_; }
    constexpr std::size_t size() const { return size_; }
    constexpr bool empty() const { return size_ == 0; }

private:
    const T* data_ = nullptr;
    std::size_t size_ = 0;
};

// The input shapes of one test case, one per input (entries past the arity are ignored).
using shape_case = std::array<shape2, max_op_inputs>;
// One set of the op's scalar attributes (what scalar(k) reads), to test with or record.
using scalar_case = std::array<double, max_op_scalars>;

struct op_descriptor {
    const char* name;                                   // what the tape records and reports name
    std::size_t arity;                                  // 1 to max_op_inputs inputs
    std::array<input_domain, max_op_inputs> domains;    // of each input, for the gradient test
    forward_fn forward;                                 // value (and saved state) from the inputs and scalars
    backward_fn backward;                               // each input's gradient contribution
    array_view<shape_case> test_shapes;                 // the shapes to test it at
    array_view<scalar_case> test_scalars = {};          // the attributes to test with (none: all 0)
};

// Records op `d` on its inputs' tape: checks the inputs, adds a node, runs the
// forward into the node's own buffers (kept across tape.clear()) with the given
// scalar attributes, and returns the node's var. If the forward throws, the node
// is taken back and the tape is as it was.
var record_op(const op_descriptor& d, std::initializer_list<var> inputs, const scalar_case& scalars = {});

// The same forward on plain matrices, recording nothing: the value the recorded
// op would have.
matrix evaluate_op(const op_descriptor& d, std::initializer_list<std::reference_wrapper<const matrix>> inputs,
                   const scalar_case& scalars = {});

}  // namespace tapegrad

// Declares an op of 1, 2 or 3 inputs without attributes in a header: its
// descriptor NAME_op (defined in a .cpp), the recorded overload NAME(var...) and
// the evaluated overload NAME(matrix...). For one input, the evaluated overload
// exists for every value category of matrix: xtensor has templates of many of
// the same names (xt::exp, xt::sum, ...) taking E&&, which argument-dependent
// lookup also finds and which would beat a `const matrix&` overload for a
// non-const or temporary matrix, silently returning a lazy expression.
#define TAPEGRAD_OP_1(NAME)                                                                          \
    extern const ::tapegrad::op_descriptor NAME##_op;                                                \
    inline var NAME(const var& a) { return record_op(NAME##_op, {a}); }                              \
    inline matrix NAME(const matrix& a) { return evaluate_op(NAME##_op, {a}); }                      \
    inline matrix NAME(matrix& a) { return evaluate_op(NAME##_op, {a}); }                            \
    inline matrix NAME(matrix&& a) { return evaluate_op(NAME##_op, {a}); }

#define TAPEGRAD_OP_2(NAME)                                                                          \
    extern const ::tapegrad::op_descriptor NAME##_op;                                                \
    inline var NAME(const var& a, const var& b) { return record_op(NAME##_op, {a, b}); }             \
    TAPEGRAD_EVALUATED_2(NAME, const matrix&)                                                        \
    TAPEGRAD_EVALUATED_2(NAME, matrix&)                                                              \
    TAPEGRAD_EVALUATED_2(NAME, matrix&&)

// The evaluated overloads of a two-input op whose first operand has type A, for
// every value category of the second: with those of TAPEGRAD_OP_2, all nine
// combinations, so xtensor's two-argument templates (xt::maximum, xt::pow, ...)
// never win argument-dependent lookup either.
#define TAPEGRAD_EVALUATED_2(NAME, A)                                                                \
    inline matrix NAME(A a, const matrix& b) { return evaluate_op(NAME##_op, {a, b}); }              \
    inline matrix NAME(A a, matrix& b) { return evaluate_op(NAME##_op, {a, b}); }                    \
    inline matrix NAME(A a, matrix&& b) { return evaluate_op(NAME##_op, {a, b}); }

// The evaluated overloads of a function of two matrices for the value categories
// other than (const matrix&, const matrix&), all calling that one (declared
// before): for the same reason as in TAPEGRAD_OP_1, xtensor's templates of two
// E&& must never win.
#define TAPEGRAD_MATRIX_CATEGORIES_2(NAME)                                                           \
    inline matrix NAME(matrix& a, matrix& b) { return NAME(std::as_const(a), std::as_const(b)); }     \
    inline matrix NAME(matrix& a, const matrix& b) { return NAME(std::as_const(a), b); }              \
    inline matrix NAME(matrix& a, matrix&& b) { return NAME(std::as_const(a), std::as_const(b)); }    \
    inline matrix NAME(const matrix& a, matrix& b) { return NAME(a, std::as_const(b)); }              \
    inline matrix NAME(const matrix& a, matrix&& b) { return NAME(a, std::as_const(b)); }             \
    inline matrix NAME(matrix&& a, matrix& b) { return NAME(std::as_const(a), std::as_const(b)); }    \
    inline matrix NAME(matrix&& a, const matrix& b) { return NAME(std::as_const(a), b); }             \
    inline matrix NAME(matrix&& a, matrix&& b) { return NAME(std::as_const(a), std::as_const(b)); }

#define TAPEGRAD_OP_3(NAME)                                                                          \
    extern const ::tapegrad::op_descriptor NAME##_op;                                                \
    inline var NAME(const var& a, const var& b, const var& c) { return record_op(NAME##_op, {a, b, c}); } \
    inline matrix NAME(const matrix& a, const matrix& b, const matrix& c) {                          \
        return evaluate_op(NAME##_op, {a, b, c});                                                    \
    }
