#include <tapegrad/framework/var.hpp>

#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/detail/node.hpp>
#include <tapegrad/framework/tape.hpp>

namespace tapegrad {

tape& var::owner() const {
    if (tape_ == nullptr) {
        throw tape_error("var: this var is empty (default-constructed); make vars with tape.constant, "
                         "tape.watch or an op");
    }
    if (generation_ != tape_->generation()) {
        throw tape_error("var: this var (node " + std::to_string(index_) +
                         ") was made before tape.clear(); build it again on the cleared tape");
    }
    return *tape_;
}

const matrix& var::value() const { return owner().node_of(*this, "var::value").current_value(); }

shape2 var::shape() const { return shape_of(value()); }

double var::item() const {
    const matrix& v = value();
    if (v.shape()[0] != 1 || v.shape()[1] != 1) {
        throw shape_error("var::item: expected a 1x1 value, got shape " + shape_string(v));
    }
    return v(0, 0);
}

matrix var::grad() const {
    tape& t = owner();
    const detail::node& n = t.node_of(*this, "var::grad");
    const detail::node& o = t.grad_owner(index_);
    if (n.grad_consumed) {
        throw tape_error("var::grad: node " + std::to_string(index_) + " ('" + std::string(n.op) +
                         "') passed its gradient on in place to save memory, so it is not kept; to inspect it, "
                         "build that step from separate ops (relu(linear(W, X, b)) for linear_relu)");
    }
    if (o.has_grad) return n.param != nullptr ? n.param->grad : n.grad;
    return make_matrix(shape_of(n.current_value()), 0.0);
}

const char* var::op() const { return owner().node_of(*this, "var::op").op; }

bool var::requires_grad() const { return owner().node_of(*this, "var::requires_grad").requires_grad; }

void var::backward() const { owner().backward(*this); }

void var::backward(const matrix& seed) const { owner().backward(*this, seed); }

}  // namespace tapegrad
