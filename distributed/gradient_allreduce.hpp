// gradient_allreduce: the gradients of a parameter list summed over the
// processes of a data-parallel run in one buffer, with one MPI_Allreduce per
// step (not one per parameter). It is the step_combiner of train() (the
// general loop runs data-parallel with train_options::combiner = &it), and a
// custom loop calls sum() or average() between backward and the optimizer step.
//
// Sum or average: the cost over the whole batch is sum_r (m_r / m) J_r when
// each process's J_r is a mean over its m_r examples; train() weighs by m_r / m
// (combine). average() is that for equal shards; sum() is for a cost that
// adds the examples' losses instead of averaging them.
//
// Open MPI reduces each element in one order and sends the result to all, so
// every process gets the same bits and the parameters never drift apart; the
// order differs from a single process's, so the sums match it to rounding.
#pragma once

#include <cstddef>
#include <vector>

#include <tapegrad/distributed/communicator.hpp>
#include <tapegrad/models/step_combiner.hpp>

namespace tapegrad::distributed {

class gradient_allreduce : public step_combiner {
public:
    // Collective: checks that every process lists the same parameters
    // (check_same_parameters) and gives them process 0's values
    // (broadcast_parameters), so that every process starts from the same point.
    // The communicator and the parameters must outlive it.
    gradient_allreduce(const communicator& comm, std::vector<parameter*> params);
    // It keeps a reference to the communicator: a temporary would dangle.
    gradient_allreduce(const communicator&&, std::vector<parameter*>) = delete;

    std::size_t index() const override { return static_cast<std::size_t>(comm_.rank()); }
    std::size_t count() const override { return static_cast<std::size_t>(comm_.size()); }
    std::size_t total(std::size_t n) override;
    std::uint64_t min(std::uint64_t v) override { return comm_.min(v); }
    std::uint64_t max(std::uint64_t v) override { return comm_.max(v); }
    double combine(const std::vector<parameter*>& params, double cost, double weight) override;

    // Collective: every gradient replaced by its sum (or mean) over the processes.
    // A gradient that is not current counts as zero; the result is current when
    // any process's was.
    void sum();
    void average();

    const std::vector<parameter*>& parameters() const noexcept { return params_; }

private:
    double reduce(double cost, double weight, const char* where, const std::vector<parameter*>* given);

    const communicator& comm_;
    std::vector<parameter*> params_;
    std::vector<double> buffer_;  // the gradients, then a current-flag per parameter, then the cost
};

}  // namespace tapegrad::distributed
