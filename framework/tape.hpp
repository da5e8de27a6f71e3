// tape: an append-only list of nodes in creation order. Creation order is a
// topological order, so backward is one reverse loop over the nodes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

#include <tapegrad/framework/backward_context.hpp>
#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/node.hpp>
#include <tapegrad/framework/parameter.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

// Whether tape::backward keeps what a second backward needs.
enum class retain_graph : bool { no = false, yes = true };

class op_builder;

class tape {
public:
    tape() = default;
    // Vars point at their tape, so a tape stays where it was made.
    tape(const tape&) = delete;
    tape& operator=(const tape&) = delete;

    // A leaf holding a copy of m (no gradient is computed for it).
    var constant(const matrix& m);
    var constant(double v);
    // A leaf referring to m without copying; m must outlive the tape's use.
    var reference(const matrix& m);
    // A leaf that reads p.value and whose gradient lands in p.grad on backward.
    // p must outlive the tape's use.
    var watch(parameter& p);

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
    void clear() noexcept;

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    // Nodes whose storage is kept for reuse (>= size()).
    std::size_t capacity() const noexcept { return nodes_.size(); }
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

    // While set, watch(p) on this tape reads `value` instead of p.value, so a
    // tool can evaluate a function at other parameter values without touching
    // the caller's parameters (the gradient checker's workers, one tape each).
    // `value` must stay alive and keep p.value's shape while it is set.
    void substitute(const parameter& p, const matrix& value);
    void clear_substitutions() noexcept { substitutions_.clear(); }

    // Incremented by clear(); vars of an older generation are stale.
    std::uint64_t generation() const noexcept { return generation_; }

    // For op authors: start recording a node with these inputs and backward
    // rule; the op_builder (below) gives the output buffer to fill.
    op_builder record(const char* op, std::initializer_list<var> inputs, backward_fn backward);

    // Checked access for var and op_builder.
    const node& at(const var& v, const char* op) const;
    node& at(const var& v, const char* op);
    node& node_at(std::size_t i) noexcept { return nodes_[i]; }
    const node& node_at(std::size_t i) const noexcept { return nodes_[i]; }

private:
    friend class op_builder;
    node& push(const char* op);
    var handle(std::size_t index) noexcept { return var(this, index, generation_); }
    void check_var(const var& v, const char* op) const;

    // The node whose has_grad stands for the gradient buffer of node i: itself,
    // or for a parameter leaf the parameter's first leaf (all write p.grad).
    node& grad_owner(std::size_t i) noexcept;
    friend class backward_context;
    friend class var;

    std::vector<node> nodes_;
    std::size_t size_ = 0;
    matrix one_;  // the 1x1 seed of backward(root), kept so backward does not allocate
    bool recording_ = true;
    bool anomaly_detection_ = false;
    void check_forward(std::size_t index) const;   // anomaly detection after an op's forward
    void check_backward(std::size_t index) const;  // ... and after its backward rule
    std::vector<std::pair<const parameter*, const matrix*>> substitutions_;
    std::vector<std::pair<const parameter*, std::size_t>> primaries_;  // backward's scratch: first leaf per parameter
    std::uint64_t generation_ = 0;
    bool released_ = false;
};

}  // namespace tapegrad
