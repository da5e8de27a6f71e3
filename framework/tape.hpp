// tape: an append-only list of nodes in creation order. Creation order is a
// topological order, so backward is one reverse loop over the nodes.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <type_traits>
#include <utility>
#include <vector>

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/parameter.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

namespace detail {
struct node;
struct tape_access;
template <class>
inline constexpr bool always_false = false;
}  // namespace detail

// Whether tape::backward keeps what a second backward needs.
enum class retain_graph : bool { no = false, yes = true };

class tape {
public:
    tape();
    ~tape();
    // Vars point at their tape, so a tape stays where it was made.
    tape(const tape&) = delete;
    tape& operator=(const tape&) = delete;

    // ---- Leaves ----------------------------------------------------------------

    // A leaf holding a copy of m (no gradient is computed for it). Any rank-2
    // xtensor expression is evaluated into the copy.
    var constant(const matrix& m);
    template <class E>
    var constant(const xt::xexpression<E>& e);
    var constant(double v);
    // A leaf of the given shape whose value fill(matrix&) writes in place, into
    // the node's own buffer (kept across clear(), so a training loop that makes
    // such a leaf every step allocates nothing). fill must not use this tape.
    template <class F>
    var constant(shape2 shape, F&& fill);

    // A leaf referring to m without copying: m must outlive the tape's use, so
    // only a named tapegrad::matrix is taken. A temporary, an xtensor expression
    // or a tensor of another type or rank does not compile: use constant(),
    // which copies.
    var reference(const matrix& m);
    var reference(matrix& m) { return reference(static_cast<const matrix&>(m)); }
    template <class E>
    var reference(E&&) {
        static_assert(detail::always_false<E>,
                      "tape::reference refers to a matrix without copying, so it takes only a named "
                      "tapegrad::matrix (xt::xtensor<double, 2>) that outlives the tape's use. This argument is a "
                      "temporary, an xtensor expression, or a tensor of another type or rank: use tape::constant, "
                      "which copies it.");
        return var();
    }

    // A leaf that reads p.value() and whose gradient lands in p.grad on backward.
    // p must outlive the tape's use, so only a named, non-const parameter is taken.
    var watch(parameter& p);
    template <class P>
    var watch(P&&) {
        static_assert(detail::always_false<P>,
                      "tape::watch takes a named, non-const tapegrad::parameter that outlives the tape's use (its "
                      "gradient is written into it); this argument is a temporary, a const parameter or not a "
                      "parameter. For a value without a gradient use tape::constant.");
        return var();
    }

    // ---- Backward ------------------------------------------------------------------

    // Reverse pass from a 1x1 root (seed 1). Sets p.grad of every watched
    // parameter to d(root)/dp. Without retain_graph::yes the tape is marked
    // released, and a second backward throws until clear() and a new forward
    // pass: it usually means a forgotten clear(). Nothing is freed either way
    // (every buffer is kept for reuse), so retaining costs nothing.
    void backward(const var& root, retain_graph retain = retain_graph::no);
    // Reverse pass from any root with an explicit seed gradient of its shape.
    void backward(const var& root, const matrix& seed, retain_graph retain = retain_graph::no);

    // Forget every node but keep their storage, so a loop that rebuilds the same
    // graph stops allocating. Vars made before clear() become stale.
    void clear();

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    // Nodes whose storage is kept for reuse (>= size()).
    std::size_t capacity() const noexcept;
    // Whether backward ran without retain_graph::yes since the last clear() (a
    // flag: see backward).
    bool released() const noexcept { return released_; }
    // Evaluation only: with recording off, ops still compute their values but
    // keep nothing for backward, watched parameters become plain inputs, and
    // backward() throws. For forward passes whose gradient is not needed (the
    // gradient checker's perturbed evaluations).
    void set_recording(bool on) noexcept { recording_ = on; }
    bool recording() const noexcept { return recording_; }

    // Anomaly detection (off by default; costs a pass over every value and
    // gradient): the first op whose forward value or backward gradient holds a
    // NaN or an infinity throws anomaly_error naming the op, its position, the
    // shapes and which input or output is not finite.
    void set_anomaly_detection(bool on) noexcept { anomaly_detection_ = on; }
    bool anomaly_detection() const noexcept { return anomaly_detection_; }

    // While set, watch(p) on this tape reads `value` instead of p.value(), so a
    // tool can evaluate a function at other parameter values without touching
    // the caller's parameters (the gradient checker's workers, one tape each).
    // `value` must stay alive and keep p.value()'s shape while it is set.
    void substitute(const parameter& p, const matrix& value);
    void clear_substitutions() noexcept { substitutions_.clear(); }

    // Incremented by clear(); vars of an older generation are stale.
    std::uint64_t generation() const noexcept { return generation_; }

private:
    friend class var;
    friend struct detail::tape_access;

    // Refuses the tape to a second thread while one is recording on it or
    // running backward (tape_error): one atomic exchange per op, so a tape shared
    // between threads is caught before it is touched, never left to corrupt memory.
    class usage_guard {
    public:
        usage_guard(const tape& t, const char* op);
        ~usage_guard();
        usage_guard(const usage_guard&) = delete;
        usage_guard& operator=(const usage_guard&) = delete;

    private:
        const tape& t_;
    };

    detail::node& push(const char* op);
    var handle(std::size_t index) noexcept { return var(this, index, generation_); }
    void check_var(const var& v, const char* op) const;
    const detail::node& node_of(const var& v, const char* op) const;
    // The node whose has_grad stands for the gradient buffer of node i: itself,
    // or for a parameter leaf the parameter's first leaf (all write p.grad).
    detail::node& grad_owner(std::size_t i) noexcept;
    // constant(shape, fill): a new leaf's buffer in `shape`, then the leaf's var.
    matrix& begin_constant(shape2 shape);
    var end_constant() noexcept;
    void abandon_constant() noexcept;
    void check_forward(std::size_t index) const;   // anomaly detection after an op's forward
    void check_backward(std::size_t index) const;  // ... and after its backward rule

    std::vector<detail::node> nodes_;
    std::size_t size_ = 0;
    matrix one_;  // the 1x1 seed of backward(root), kept so backward does not allocate
    bool recording_ = true;
    bool anomaly_detection_ = false;
    bool filling_ = false;  // inside constant(shape, fill): nothing may be recorded
    mutable std::atomic<bool> busy_{false};  // see usage_guard
    std::vector<std::pair<const parameter*, const matrix*>> substitutions_;
    std::vector<std::pair<const parameter*, std::size_t>> primaries_;  // backward's scratch: first leaf per parameter
    std::uint64_t generation_ = 0;
    bool released_ = false;
};

template <class E>
var tape::constant(const xt::xexpression<E>& e) {
    static_assert(xt::get_rank<E>::value == 2 || xt::get_rank<E>::value == SIZE_MAX,
                  "tape::constant: tapegrad's values are 2-D matrices (rows are features, columns are examples); "
                  "this tensor has another rank");
    if (e.derived_cast().dimension() != 2) detail::throw_not_two_dimensional("tape::constant", e.derived_cast().dimension());
    return constant(matrix(e.derived_cast()));
}

template <class F>
var tape::constant(shape2 shape, F&& fill) {
    matrix& value = begin_constant(shape);
    try {
        fill(value);
    } catch (...) {
        abandon_constant();
        throw;
    }
    return end_constant();
}

}  // namespace tapegrad
