#include <tapegrad/models/mini_batches.hpp>

#include <algorithm>
#include <string>
#include <utility>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/random_state.hpp>

namespace tapegrad {

mini_batches::mini_batches(const matrix& X, const matrix& Y, std::size_t batch_size, shard part)
    : X_(X), Y_(Y), batch_size_(batch_size), part_(part) {
    check_shard(part, "mini_batches");
    const std::size_t m = X.shape()[1];
    if (m == 0) throw shape_error("mini_batches: X has no examples (shape " + shape_string(X) + ")");
    if (batch_size == 0) throw value_error("mini_batches: the batch size must be at least 1, got 0");
    if (Y.shape()[1] != m) {
        throw shape_error("mini_batches: X has " + std::to_string(m) + " examples (columns) but Y has " +
                          std::to_string(Y.shape()[1]) + "; they must match");
    }
    for (std::size_t start = 0; start < m; start += batch_size) starts_.push_back(start);
    Xb_.resize(starts_.size());
    Yb_.resize(starts_.size());
    keep_order();
}

void mini_batches::keep_order() {
    identity_ = starts_.size() == 1 && part_.count == 1;
    if (!identity_) gather(nullptr);
}

void mini_batches::shuffle(std::int64_t seed) {
    identity_ = false;
    order_.resize(examples());  // sized by the first call
    random_state(seed).permutation(order_.size(), order_.data());
    gather(order_.data());
}

// Batch k's columns are those at order[starts_[k] ...] (the columns themselves
// without an order); this object's part of them (shard.hpp's rule applied to
// the batch's positions) is copied into its buffers, sized once.
void mini_batches::gather(const std::size_t* order) {
    const std::size_t r = part_.index, parts = part_.count;
    const bool strided = part_.layout == shard_layout::strided;
    for (std::size_t k = 0; k < starts_.size(); ++k) {
        const std::size_t begin = starts_[k], n = std::min(batch_size_, examples() - begin);
        const std::size_t first = strided ? r : r * n / parts;
        const std::size_t step = strided ? parts : 1;
        const std::size_t size = shard_size(n, part_);
        for (auto [source, buffer] : {std::pair<const matrix*, matrix*>{&X_, &Xb_[k]}, {&Y_, &Yb_[k]}}) {
            const std::size_t rows = source->shape()[0], cols = source->shape()[1];
            ensure_shape(*buffer, {rows, size});
            for (std::size_t i = 0; i < rows; ++i) {
                const double* row = source->data() + i * cols;
                double* out = buffer->data() + i * size;
                for (std::size_t j = 0; j < size; ++j) {
                    const std::size_t c = begin + first + j * step;
                    out[j] = row[order ? order[c] : c];
                }
            }
        }
    }
}

batch mini_batches::operator[](std::size_t k) const {
    if (k >= starts_.size()) {
        throw value_error("mini_batches: batch " + std::to_string(k) + " does not exist; there are " +
                          std::to_string(starts_.size()));
    }
    const std::size_t whole = std::min(batch_size_, examples() - starts_[k]);
    if (identity_) return {X_, Y_, 0, whole};
    return {Xb_[k], Yb_[k], k, whole};
}

}  // namespace tapegrad
