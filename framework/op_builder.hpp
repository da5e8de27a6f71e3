// op_builder: what an op sees while its node is being recorded (the inputs'
// values, the output buffer, saved state for backward). Made by tape::record.
#pragma once

#include <cstddef>

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/tape.hpp>
#include <tapegrad/framework/var.hpp>

namespace tapegrad {

// Fills one node being recorded: read its inputs, write its value, save what
// backward needs, then take result(). If the op throws before result() (bad
// shapes, bad arguments), the builder removes the half-built node again.
class op_builder {
public:
    op_builder(tape& t, std::size_t index) noexcept : tape_(t), index_(index) {}
    ~op_builder();
    op_builder(const op_builder&) = delete;
    op_builder& operator=(const op_builder&) = delete;

    const matrix& input(std::size_t i) const {
        return tape_.node_at(tape_.node_at(index_).inputs[i]).current_value();
    }
    matrix& value() noexcept { return tape_.node_at(index_).value; }
    // Extra buffer k (< node::max_saved) kept for backward; reused across clear().
    matrix& saved(std::size_t k = 0) noexcept { return tape_.node_at(index_).saved[k]; }
    void scalar(std::size_t k, double v) noexcept { tape_.node_at(index_).scalars[k] = v; }
    // Throws anomaly_error when anomaly detection is on and the value is not finite.
    var result();

private:
    tape& tape_;
    std::size_t index_;
    bool done_ = false;
};

}  // namespace tapegrad
