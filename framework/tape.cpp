#include <tapegrad/framework/tape.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/op.hpp>
#include <tapegrad/framework/detail/node.hpp>
#include <tapegrad/framework/detail/tape_access.hpp>

namespace tapegrad {

namespace {

std::string where(const char* op) { return std::string(op) + ": "; }

// Generations are unique in the process, not per tape: a var of a tape that no
// longer exists is refused even by a new tape made at the same address.
std::atomic<std::uint64_t> next_generation{1};
std::uint64_t fresh_generation() noexcept { return next_generation.fetch_add(1, std::memory_order_relaxed); }

}  // namespace

tape::tape() : generation_(fresh_generation()) {}

tape::usage_guard::usage_guard(const tape& t, const char* op) : t_(t) {
    if (t.busy_.exchange(true, std::memory_order_acquire)) {
        throw tape_error(where(op) + "this tape is being used by another thread; a tape must be used by one thread "
                         "at a time (give each thread its own tape)");
    }
}

tape::usage_guard::~usage_guard() { t_.busy_.store(false, std::memory_order_release); }
tape::~tape() = default;

std::size_t tape::capacity() const noexcept { return nodes_.size(); }

void tape::check_var(const var& v, const char* op) const {
    if (v.tape_ == nullptr) {
        throw tape_error(where(op) + "got an empty (default-constructed) var; make vars with "
                         "tape.constant, tape.watch or an op");
    }
    if (v.tape_ != this) {
        throw tape_error(where(op) + "got a var of another tape (node " + std::to_string(v.index_) +
                         "); all inputs of an op and the root of backward must be on the same tape");
    }
    if (v.generation_ != generation_ || v.index_ >= size_) {
        throw tape_error(where(op) + "got a var (node " + std::to_string(v.index_) +
                         ") made before tape.clear(), or on a tape that no longer exists; build it again on this "
                         "tape");
    }
}

const detail::node& tape::node_of(const var& v, const char* op) const {
    check_var(v, op);
    return nodes_[v.index_];
}

detail::node& tape::push(const char* op) {
    if (filling_) {
        throw tape_error(where(op) + "recorded on a tape while tape::constant(shape, fill) was filling a leaf of "
                         "it; the fill function must not use that tape");
    }
    if (size_ == nodes_.size()) nodes_.emplace_back();
    detail::node& n = nodes_[size_++];
    // Reset everything but the buffers (value, grad, saved), which keep their memory.
    n.op = op;
    n.descriptor = nullptr;
    n.external = nullptr;
    n.input_count = 0;
    n.scalars = {};
    n.has_backward = false;
    n.param = nullptr;
    n.requires_grad = false;
    n.has_grad = false;
    n.grad_consumed = false;
    return n;
}

var tape::constant(const matrix& m) {
    const usage_guard guard(*this, "tape::constant");
    detail::node& n = push("constant");
    n.value = m;
    return handle(size_ - 1);
}

var tape::constant(double v) {
    const usage_guard guard(*this, "tape::constant");
    detail::node& n = push("constant");
    n.value.resize({1, 1});
    n.value(0, 0) = v;
    return handle(size_ - 1);
}

matrix& tape::begin_constant(shape2 shape) {
    const usage_guard guard(*this, "tape::constant");
    detail::node& n = push("constant");
    ensure_shape(n.value, shape);
    filling_ = true;
    return n.value;
}

var tape::end_constant() noexcept {
    filling_ = false;
    return handle(size_ - 1);
}

void tape::abandon_constant() noexcept {
    filling_ = false;
    --size_;
}

var tape::reference(const matrix& m) {
    const usage_guard guard(*this, "tape::reference");
    detail::node& n = push("reference");
    n.external = &m;
    return handle(size_ - 1);
}

var tape::watch(parameter& p) {
    const usage_guard guard(*this, "tape::watch");
    detail::node& n = push("watch");
    n.external = &p.value();
    for (const auto& [param, value] : substitutions_) {
        if (param == &p) n.external = value;
    }
    if (recording_) {
        n.param = &p;
        n.watched_version = p.version();
        n.requires_grad = true;
    }
    return handle(size_ - 1);
}

void tape::substitute(const parameter& p, const matrix& value) {
    if (shape_of(value) != shape_of(p.value())) {
        throw shape_error("tape::substitute: parameter '" + p.name + "' has shape " + shape_string(p.value()) +
                          " but its substitute has shape " + shape_string(value));
    }
    for (auto& entry : substitutions_) {
        if (entry.first == &p) {
            entry.second = &value;
            return;
        }
    }
    substitutions_.emplace_back(&p, &value);
}

void tape::clear() {
    const usage_guard guard(*this, "tape::clear");
    size_ = 0;
    generation_ = fresh_generation();
    released_ = false;
}

void tape::backward(const var& root, retain_graph retain) {
    const detail::node& r = node_of(root, "tape::backward");
    const matrix& v = r.current_value();
    if (v.shape()[0] != 1 || v.shape()[1] != 1) {
        throw shape_error("tape::backward: the root '" + std::string(r.op) + "' has shape " + shape_string(v) +
                          "; backward without a seed needs a 1x1 root. Reduce it (sum, mean) or pass a seed "
                          "gradient of shape " + shape_string(v));
    }
    if (one_.size() != 1) one_ = scalar_matrix(1.0);
    backward(root, one_, retain);
}

detail::node& tape::grad_owner(std::size_t i) noexcept {
    detail::node& n = nodes_[i];
    return n.param != nullptr ? nodes_[n.param_primary] : n;
}

void tape::backward(const var& root, const matrix& seed, retain_graph retain) {
    const usage_guard guard(*this, "tape::backward");
    check_var(root, "tape::backward");
    detail::node& r = nodes_[root.index()];
    if (!recording_) {
        throw tape_error("tape::backward: this tape does not record (set_recording(false)), so there is nothing to "
                         "differentiate; turn recording on before the forward pass");
    }
    if (released_) {
        throw tape_error("tape::backward: this tape already ran backward on this forward pass; call "
                         "tape.clear() and run the forward pass again, or pass retain_graph::yes to the "
                         "first backward to differentiate twice");
    }
    if (shape_of(seed) != shape_of(r.current_value())) {
        throw shape_error("tape::backward: the seed has shape " + shape_string(seed) + " but the root '" +
                          std::string(r.op) + "' has shape " + shape_string(r.current_value()) +
                          "; they must match");
    }
    if (!all_finite(seed)) {
        throw value_error("tape::backward: the seed gradient contains NaN or infinity; it must be finite");
    }

    // Every parameter leaf writes its gradient straight into p.grad; a parameter
    // watched more than once has all its leaves point at the first one, whose
    // has_grad says whether p.grad already holds this pass's contributions.
    for (std::size_t i = 0; i < size_; ++i) {
        detail::node& n = nodes_[i];
        if (n.param != nullptr && n.param->version() != n.watched_version) {
            throw tape_error("tape::backward: parameter '" + n.param->name + "' (node " + std::to_string(i) +
                             ") was changed after this forward pass watched it (its value now has shape " +
                             shape_string(n.param->value()) + "); the recorded values no longer match it, so its "
                             "gradient would be wrong. Change parameters after backward, then run the forward pass "
                             "again");
        }
        n.has_grad = false;
        n.grad_consumed = false;
        if (n.param == nullptr) continue;
        // Look the parameter up among those already met (a few), not among all
        // earlier nodes: a long graph watching parameters often stays linear.
        n.param_primary = i;
        bool seen = false;
        for (const auto& [p, primary] : primaries_) {
            if (p == n.param) {
                n.param_primary = primary;
                seen = true;
                break;
            }
        }
        if (!seen) primaries_.emplace_back(n.param, i);
    }
    primaries_.clear();  // keeps its capacity
    {
        detail::node& owner = grad_owner(root.index());
        matrix& g = r.param != nullptr ? r.param->grad : r.grad;
        ensure_shape(g, shape_of(r.current_value()));
        std::copy(seed.begin(), seed.end(), g.begin());
        owner.has_grad = true;
    }

    for (std::size_t i = root.index() + 1; i-- > 0;) {
        detail::node& n = nodes_[i];
        // Parameter leaves have nothing to pass on: their gradient is already in p.grad.
        if (!n.has_grad || !n.has_backward) continue;
        backward_context c = detail::tape_access::backward_context_of(*this, i);
        n.descriptor->backward(c);
        if (anomaly_detection_) check_backward(i);
    }
    // Parameters reached from the root hold a current gradient; those watched
    // here but not reached get 0, marked not current.
    for (std::size_t i = 0; i < size_; ++i) {
        detail::node& n = nodes_[i];
        if (n.param == nullptr || n.param_primary != i) continue;
        n.param->grad_current_ = n.has_grad;
        if (!n.has_grad) {
            ensure_shape(n.param->grad, shape_of(n.param->value()));
            std::fill(n.param->grad.begin(), n.param->grad.end(), 0.0);
        }
    }
    released_ = retain == retain_graph::no;
}

// ---- anomaly detection --------------------------------------------------------

namespace {

// "op 'log' (node 7)"
std::string describe(const detail::node& n, std::size_t index) {
    return "op '" + std::string(n.op) + "' (node " + std::to_string(index) + ")";
}

}  // namespace

void tape::check_forward(std::size_t index) const {
    const detail::node& n = nodes_[index];
    if (all_finite(n.current_value())) return;
    std::string inputs;
    std::string culprit;
    for (std::size_t k = 0; k < n.input_count; ++k) {
        const detail::node& in = nodes_[n.inputs[k]];
        const bool finite = all_finite(in.current_value());
        inputs += (k ? ", " : "") + shape_string(in.current_value());
        if (!finite && culprit.empty()) {
            culprit = "its input " + std::to_string(k) + " (from " + describe(in, n.inputs[k]) + ") is not finite";
        }
    }
    if (culprit.empty()) culprit = "its inputs are finite, so this op made it";
    throw anomaly_error("anomaly detection: the forward value of " + describe(n, index) + ", shape " +
                        shape_string(n.current_value()) + ", holds NaN or infinity; " + culprit + " (input shapes: " +
                        (inputs.empty() ? std::string("none") : inputs) + ")");
}

void tape::check_backward(std::size_t index) const {
    const detail::node& n = nodes_[index];
    for (std::size_t k = 0; k < n.input_count; ++k) {
        const std::size_t in_index = n.inputs[k];
        const detail::node& in = nodes_[in_index];
        // Only buffers written in this pass (an unwritten one holds last pass's values).
        if (!in.requires_grad || !(in.param != nullptr ? nodes_[in.param_primary] : in).has_grad) continue;
        const matrix& g = in.param != nullptr ? in.param->grad : in.grad;
        if (all_finite(g)) continue;
        throw anomaly_error("anomaly detection: the backward of " + describe(n, index) +
                            " made the gradient of its input " + std::to_string(k) + " (" + describe(in, in_index) +
                            (in.param != nullptr ? ", parameter '" + in.param->name + "'" : std::string()) +
                            ", shape " + shape_string(g) + ") hold NaN or infinity; the incoming gradient was " +
                            (all_finite(n.grad) ? "finite" : "not finite") + ", the forward value " +
                            (all_finite(n.current_value()) ? "finite" : "not finite"));
    }
}

}  // namespace tapegrad
