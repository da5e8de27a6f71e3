// The mini-batches of a data set, drawn like the course's random_mini_batches:
// each epoch a numpy-compatible generator seeded with the epoch's seed gives
// numpy's permutation(m) of the examples (columns), then the batches are the
// shuffled columns [k b, (k + 1) b) for the full batches and the rest in a last,
// smaller one. In a data-parallel run each process keeps its part of every
// batch (a shard of the batch's columns, models/shard.hpp), and the batches are
// the same on every process, so the run is the single-process run split up.
// Each batch is copied into buffers this object owns and reuses,
// so nothing refers to a temporary and, after the first epoch, nothing allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <tapegrad/framework/matrix.hpp>
#include <tapegrad/models/shard.hpp>

namespace tapegrad {

// One mini-batch: its examples X (n_x, m_b) and labels Y (rows, m_b), valid
// until the next shuffle.
struct batch {
    const matrix& X;
    const matrix& Y;
    std::size_t index = 0;  // in the epoch, from 0
    // The examples of the whole batch over every process of a data-parallel run:
    // size() in a single process. A cost whose terms divide by the batch size
    // other than through a mean over the examples (an L2 penalty lambda/(2 m))
    // takes this m, so that the processes' costs, weighted by their sizes, add
    // up to the whole batch's (cost_options::penalty_examples).
    std::size_t whole_size = 0;
    std::size_t size() const { return X.shape()[1]; }
};

class mini_batches {
public:
    // X and Y hold the examples in columns (the same number, at least one) and
    // must outlive this object; batch_size >= 1 (larger than m: one batch).
    // `part`: the shard of every batch this object gives (the whole batch by
    // default); a part can be empty when a batch has fewer examples than parts.
    // Throws shape_error or value_error naming what is wrong.
    mini_batches(const matrix& X, const matrix& Y, std::size_t batch_size, shard part = {});
    // It keeps references to X and Y: temporaries would dangle.
    mini_batches(const matrix&&, const matrix&, std::size_t, shard = {}) = delete;
    mini_batches(const matrix&, const matrix&&, std::size_t, shard = {}) = delete;
    mini_batches(const matrix&&, const matrix&&, std::size_t, shard = {}) = delete;

    // A new order: numpy's permutation(m) from a generator seeded with `seed`.
    void shuffle(std::int64_t seed);
    // The examples' own order. With a single batch in that order, the batch is
    // X and Y themselves (nothing is copied) unless the batch is split in parts.
    void keep_order();

    std::size_t count() const noexcept { return starts_.size(); }
    std::size_t examples() const noexcept { return X_.shape()[1]; }
    // Batch k (k < count()).
    batch operator[](std::size_t k) const;

private:
    void gather(const std::size_t* order);

    const matrix& X_;
    const matrix& Y_;
    std::size_t batch_size_;
    shard part_;
    std::vector<std::size_t> starts_;  // first column of each batch in the order
    std::vector<matrix> Xb_, Yb_;      // one buffer pair per batch
    std::vector<std::size_t> order_;   // this epoch's permutation
    bool identity_ = true;             // one batch in the original order: X, Y themselves
};

}  // namespace tapegrad
