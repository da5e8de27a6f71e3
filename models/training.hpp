// train: the training loop for any model. The model is a cost function of a
// tape and a mini-batch, and the parameters are the optimizer's. Each epoch:
// the schedule's learning rate, the batches (shuffled, or the whole set), and
// for each batch the cost on a cleared tape, backward, and one optimizer step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/framework/tape.hpp>
#include <tapegrad/models/learning_rate_schedule.hpp>
#include <tapegrad/models/mini_batches.hpp>
#include <tapegrad/models/optimizer.hpp>
#include <tapegrad/models/progress_line.hpp>
#include <tapegrad/models/shard.hpp>
#include <tapegrad/models/step_combiner.hpp>

namespace tapegrad {

// The cost of one mini-batch, recorded on the tape given (cleared): a 1x1 var
// whose gradient is taken, usually the mean over the batch's examples.
using batch_cost = std::function<var(tape&, const batch&)>;

// What an epoch's recorded cost is.
enum class epoch_cost {
    mean_over_examples,  // sum over the batches of (batch cost x batch size), divided by m
    last_batch,          // the cost of the epoch's last batch (the course's 2017 edition)
};

struct train_options {
    static constexpr std::size_t full_batch = std::numeric_limits<std::size_t>::max();

    std::int64_t epochs = 1;  // epochs to run: first_epoch .. first_epoch + epochs - 1
    // The number of the first epoch: 0 for a new run; for a run resumed from a
    // checkpoint, the epochs done before it, so that the schedule, the shuffles
    // and the recorded epochs continue where it stopped.
    std::int64_t first_epoch = 0;
    // Examples per batch; full_batch (the default): the whole set in its own
    // order, every epoch, without a copy.
    std::size_t batch_size = full_batch;
    // Epoch e shuffles with numpy's permutation from a generator seeded
    // shuffle_seed + e (the course's random_mini_batches with seed 10 + 1 + e),
    // a seed numpy takes: shuffle_seed + e in 0 .. 2^32 - 1.
    std::int64_t shuffle_seed = 0;
    // The learning rate of each epoch (empty: the optimizer's own throughout);
    // every rate must be finite and > 0.
    learning_rate_schedule schedule;
    epoch_cost recorded = epoch_cost::mean_over_examples;
    std::int64_t record_every = 1;  // the costs of epochs 0, k, 2k, ... are recorded
    // Stop with anomaly_error, naming what broke and when, as soon as a batch's
    // cost is NaN, a gradient holds NaN or infinity (before that step's update),
    // a parameter becomes NaN or infinite in an update, or the cost stays
    // infinite for divergence_patience steps in a row (0: never).
    bool stop_on_non_finite = true;
    std::int64_t divergence_patience = 1000;
    // Called with each recorded (epoch, cost), after the progress line is cleared.
    std::function<void(std::int64_t, double)> on_record;
    // Data parallelism (docs/distributed.md): with a combiner, every process runs
    // this loop on its part of each batch, and after each backward the combiner
    // sums the parts' gradients and costs weighted by their sizes, so every
    // process takes the same step as a single process on the whole batch.
    //   sharded_data false: X and Y are the whole set on every process; each
    //     batch (the same shuffles everywhere) is split by batch_layout.
    //   sharded_data true: X and Y are this process's shard of the set
    //     (take_shard); full batches only (a shuffle would mix the shards).
    // The trainer checks first, on every process alike, that the processes agree
    // on the settings (and, without sharded_data, hold the same X and Y) and that
    // no shard is empty. The combiner must outlive the trainer.
    step_combiner* combiner = nullptr;
    bool sharded_data = false;
    shard_layout batch_layout = shard_layout::contiguous;
    // A progress line on standard output when it is a terminal (progress_line).
    bool progress = false;
    std::string progress_label = "training";
};

struct train_result {
    std::vector<std::pair<std::int64_t, double>> costs;  // (epoch, recorded cost)
    std::vector<double> learning_rates;                   // of each recorded epoch
    std::int64_t steps = 0;                               // optimizer steps taken
};

// Trains the optimizer's parameters on the examples X (n_x, m) and labels Y
// (rows, m), columns being examples: trainer(...).run(). Settings that make no
// sense (epochs < 0, a negative first_epoch, a batch size of 0, record_every
// < 1, a negative divergence_patience, a shuffle seed numpy does not take, a
// schedule rate that is not finite and > 0 in an epoch of the run, sharded
// data without a combiner or with mini-batches) throw value_error before any work.
train_result train(const batch_cost& cost, optimizer& opt, const matrix& X, const matrix& Y,
                   const train_options& options = {});

// The same loop an epoch at a time, for a caller that does something between
// epochs (evaluates, saves, stops early) or times one. It owns the batches'
// buffers and the tape: after the first epoch an epoch allocates nothing beyond
// what the cost function and on_record do (and, past 4096 records, the records
// growing now and then).
class trainer {
public:
    // Checks the settings and the shapes (value_error, shape_error) before any work.
    // X, Y and the optimizer must outlive the trainer (the cost is copied).
    trainer(batch_cost cost, optimizer& opt, const matrix& X, const matrix& Y, train_options options = {});
    // A trainer keeps references to X and Y: temporaries would dangle.
    trainer(batch_cost, optimizer&, const matrix&&, const matrix&, train_options = {}) = delete;
    trainer(batch_cost, optimizer&, const matrix&, const matrix&&, train_options = {}) = delete;
    trainer(batch_cost, optimizer&, const matrix&&, const matrix&&, train_options = {}) = delete;
    ~trainer();
    trainer(const trainer&) = delete;
    trainer& operator=(const trainer&) = delete;

    // Runs the next epoch (the schedule's rate, the batches, a step per batch),
    // records its cost when due and returns it. Not limited by options.epochs
    // (a schedule rate beyond them is checked when its epoch comes).
    double run_epoch();
    // Runs epochs until options.epochs are done; returns everything recorded.
    const train_result& run();

    // Epochs run by this trainer; the next epoch's number is first_epoch + epochs_done().
    std::int64_t epochs_done() const noexcept { return epoch_ - options_.first_epoch; }
    const train_result& result() const noexcept { return result_; }

private:
    class divergence_watch;

    batch_cost cost_;
    optimizer& opt_;
    train_options options_;
    std::size_t whole_examples_ = 0;  // of the whole set, over every process (before batches_: checked first)
    mini_batches batches_;
    bool whole_;
    tape tape_;
    tape last_batch_tape_;
    std::unique_ptr<divergence_watch> watch_;  // defined in training.cpp
    progress_line bar_;
    train_result result_;
    std::int64_t epoch_ = 0;
};

}  // namespace tapegrad
