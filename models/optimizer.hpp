// optimizer: updates a list of parameters from their gradients, one step at a
// time. The update rules are the derived classes (gradient_descent, momentum,
// adam, rmsprop); this class holds what they share: the parameter list, the
// learning rate, which gradients are current, and the state to save and load.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <tapegrad/framework/parameter.hpp>
#include <tapegrad/models/named_matrices.hpp>

namespace tapegrad {

class optimizer {
public:
    // Out of line (optimizer.cpp), so the class has a key function: its vtable
    // and destructor are compiled once in the library, not in every user's file.
    virtual ~optimizer();
    optimizer(const optimizer&) = delete;
    optimizer& operator=(const optimizer&) = delete;

    // One update of every parameter whose gradient is current (the latest
    // backward reached it and it has not been used): a parameter the backward
    // did not reach keeps its value instead of being moved by a stale gradient.
    // Each gradient used is marked so. Returns how many parameters were updated.
    // Allocates nothing once every parameter has been updated once.
    std::size_t step();

    double learning_rate() const noexcept { return learning_rate_; }
    // Throws value_error unless rate > 0 and finite.
    void set_learning_rate(double rate);

    const std::vector<parameter*>& parameters() const noexcept { return params_; }
    // The rule's name, as in its messages ("adam").
    const std::string& name() const noexcept { return name_; }
    // What its state means, as its state files record it: the name, and the
    // form where one rule's moments mean different things ("momentum (classic)").
    virtual std::string state_kind() const;

    // The state an exact resume needs, as named matrices: per parameter its
    // moments ("W1.v", "W1.s", ...) and its number of updates ("W1.steps", 1x1).
    named_matrices state() const;
    // Takes a state from state() (saved, then loaded): every name must be
    // there with its parameter's shape, and nothing else; moments finite, a
    // moment of squares ("s") never negative (value_error naming the first
    // mismatch; the optimizer is unchanged then).
    void set_state(const named_matrices& state);

protected:
    // Refuses an empty list, a null or duplicated parameter, a rate that is not
    // > 0 (value_error naming `name`).
    optimizer(std::string name, std::vector<parameter*> params, double learning_rate,
              std::vector<std::string> moment_names);

    // Updates parameter i from its gradient g (p.grad, of p's shape); moment(i, k)
    // are its buffers (zeros at the start, p's shape), steps(i) its updates so far
    // including this one.
    virtual void update(std::size_t i, parameter& p, const matrix& g) = 0;
    matrix& moment(std::size_t i, std::size_t k) noexcept { return moments_[i * moment_names_.size() + k]; }
    std::int64_t steps(std::size_t i) const noexcept { return steps_[i]; }

    // Throw value_error naming this optimizer and the setting unless 0 <= v < 1
    // (a beta), v > 0 and finite (an epsilon), or v >= 0 and finite (a weight decay).
    void check_fraction(const char* setting, double v) const;
    void check_positive(const char* setting, double v) const;
    void check_non_negative(const char* setting, double v) const;

private:
    std::string name_;
    std::vector<parameter*> params_;
    double learning_rate_;
    std::vector<std::string> moment_names_;
    std::vector<matrix> moments_;      // moment_names_.size() per parameter
    std::vector<std::int64_t> steps_;  // per parameter
};

}  // namespace tapegrad
