#include <tapegrad/models/optimizer.hpp>

#include <cmath>
#include <utility>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/number_text.hpp>

namespace tapegrad {

optimizer::~optimizer() = default;

std::string optimizer::state_kind() const { return name_; }

optimizer::optimizer(std::string name, std::vector<parameter*> params, double learning_rate,
                     std::vector<std::string> moment_names)
    : name_(std::move(name)), params_(std::move(params)), learning_rate_(0.0), moment_names_(std::move(moment_names)) {
    if (params_.empty()) throw value_error(name_ + ": the parameter list is empty; give it the parameters to train");
    for (std::size_t i = 0; i < params_.size(); ++i) {
        if (params_[i] == nullptr) throw value_error(name_ + ": parameter " + std::to_string(i) + " is a null pointer");
        for (std::size_t j = 0; j < i; ++j) {
            if (params_[j] == params_[i] || params_[j]->name == params_[i]->name) {
                throw value_error(name_ + ": parameter '" + params_[i]->name + "' is listed twice (at " +
                                  std::to_string(j) + " and " + std::to_string(i) +
                                  "); each parameter, and each name, once");
            }
        }
    }
    set_learning_rate(learning_rate);
    for (parameter* p : params_) {
        for (std::size_t k = 0; k < moment_names_.size(); ++k) moments_.push_back(make_matrix(shape_of(p->value()), 0.0));
    }
    steps_.assign(params_.size(), 0);
}

void optimizer::set_learning_rate(double rate) {
    if (!(rate > 0.0) || !std::isfinite(rate)) {
        throw value_error(name_ + ": the learning rate must be a finite number > 0, got " + number_text(rate));
    }
    learning_rate_ = rate;
}

void optimizer::check_fraction(const char* setting, double v) const {
    if (!(v >= 0.0 && v < 1.0)) {
        throw value_error(name_ + ": " + setting + " must be in [0, 1), got " + number_text(v));
    }
}

void optimizer::check_positive(const char* setting, double v) const {
    if (!(v > 0.0) || !std::isfinite(v)) {
        throw value_error(name_ + ": " + setting + " must be a finite number > 0, got " + number_text(v));
    }
}

void optimizer::check_non_negative(const char* setting, double v) const {
    if (!(v >= 0.0) || !std::isfinite(v)) {
        throw value_error(name_ + ": " + setting + " must be a finite number >= 0, got " + number_text(v));
    }
}

std::size_t optimizer::step() {
    // Every shape first, so that a bad one throws before any parameter moves.
    for (std::size_t i = 0; i < params_.size(); ++i) {
        const parameter& p = *params_[i];
        if (!p.grad_current()) continue;
        const shape2 shape = shape_of(p.value());
        if (shape_of(p.grad) != shape) {
            throw shape_error(name_ + ": parameter '" + p.name + "' has shape " + to_string(shape) +
                              " but its gradient " + shape_string(p.grad));
        }
        for (std::size_t k = 0; k < moment_names_.size(); ++k) {
            if (shape_of(moment(i, k)) != shape) {
                throw shape_error(name_ + ": parameter '" + p.name + "' has shape " + to_string(shape) +
                                  " but had " + shape_string(moment(i, k)) +
                                  " when the optimizer was made; make a new optimizer for the new shape");
            }
        }
    }
    std::size_t updated = 0;
    for (std::size_t i = 0; i < params_.size(); ++i) {
        parameter& p = *params_[i];
        if (!p.grad_current()) continue;
        ++steps_[i];
        update(i, p, p.grad);
        p.mark_grad_used();
        ++updated;
    }
    return updated;
}

named_matrices optimizer::state() const {
    named_matrices s;
    for (std::size_t i = 0; i < params_.size(); ++i) {
        for (std::size_t k = 0; k < moment_names_.size(); ++k) {
            s.emplace_back(params_[i]->name + "." + moment_names_[k], moments_[i * moment_names_.size() + k]);
        }
        s.emplace_back(params_[i]->name + ".steps", scalar_matrix(static_cast<double>(steps_[i])));
    }
    return s;
}

void optimizer::set_state(const named_matrices& state) {
    const named_matrices expected = this->state();
    if (state.size() != expected.size()) {
        throw value_error(name_ + ": the state holds " + std::to_string(state.size()) + " matrices but this optimizer "
                          "over " + std::to_string(params_.size()) + " parameters needs " +
                          std::to_string(expected.size()));
    }
    for (const auto& [name, m] : expected) {
        const matrix& given = find_named(state, name);  // value_error naming a missing one
        if (shape_of(given) != shape_of(m)) {
            throw value_error(name_ + ": the state's '" + name + "' has shape " + shape_string(given) + " but " +
                              shape_string(m) + " is needed");
        }
        if (!all_finite(given)) throw value_error(name_ + ": the state's '" + name + "' holds NaN or infinity");
    }
    // A moment named s is a running mean of squares: never negative.
    for (std::size_t k = 0; k < moment_names_.size(); ++k) {
        if (moment_names_[k] != "s") continue;
        for (const parameter* p : params_) {
            for (double v : find_named(state, p->name + ".s")) {
                if (v < 0.0) {
                    throw value_error(name_ + ": the state's '" + p->name + ".s' holds " + number_text(v) +
                                      "; a mean of squares is never negative");
                }
            }
        }
    }
    std::vector<std::int64_t> steps(params_.size());
    for (std::size_t i = 0; i < params_.size(); ++i) {
        const double t = find_named(state, params_[i]->name + ".steps")(0, 0);
        if (!(t >= 0.0) || t != std::floor(t) || t > 9.0e15) {
            throw value_error(name_ + ": the state's '" + params_[i]->name + ".steps' is " + number_text(t) +
                              "; expected a whole number from 0 to 9e15");
        }
        steps[i] = static_cast<std::int64_t>(t);
    }
    for (std::size_t i = 0; i < params_.size(); ++i) {
        for (std::size_t k = 0; k < moment_names_.size(); ++k) {
            moment(i, k) = find_named(state, params_[i]->name + "." + moment_names_[k]);
        }
    }
    steps_ = std::move(steps);
}

}  // namespace tapegrad
