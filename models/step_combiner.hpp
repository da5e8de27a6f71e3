// step_combiner: what a data-parallel training run (train_options::combiner)
// needs from the processes it runs with. tapegrad::distributed's
// gradient_allreduce is the MPI one. Every process calls these in the same
// order with the same kind of arguments: they are collective operations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <tapegrad/framework/parameter.hpp>

namespace tapegrad {

class step_combiner {
public:
    virtual ~step_combiner();

    // This process's index (0 .. count() - 1) and the number of processes.
    virtual std::size_t index() const = 0;
    virtual std::size_t count() const = 0;

    // The sum, the least and the largest of v over the processes.
    virtual std::size_t total(std::size_t n) = 0;
    virtual std::uint64_t min(std::uint64_t v) = 0;
    virtual std::uint64_t max(std::uint64_t v) = 0;

    // After this process's backward on its part of a batch: `cost` is its part's
    // cost and `weight` its share of the batch's examples (m_r / m; 0 for an
    // empty part, whose cost and gradients are not used). Sets every parameter's
    // grad to sum_r weight_r grad_r and returns sum_r weight_r cost_r: the whole
    // batch's cost and gradient when each part's cost is a mean over its
    // examples. A gradient that is not current (grad_current) counts as zero; the
    // sum is current when any process's was. Every process gets the same bits.
    virtual double combine(const std::vector<parameter*>& params, double cost, double weight) = 0;

protected:
    step_combiner() = default;
    step_combiner(const step_combiner&) = default;
    step_combiner& operator=(const step_combiner&) = default;
};

}  // namespace tapegrad
