// Softmax over the classes of each example (docs/ops.md). Examples are columns,
// so classes are rows: logits are (K, m) and each column is normalized on its own.
#pragma once

#include <tapegrad/framework/op.hpp>

namespace tapegrad {

// exp(z_k - max z) / sum_j exp(z_j - max z) down each column: finite for any
// finite logits (+-1e300 included); a column holding +inf or NaN gives NaN, as
// PyTorch. Backward: dz = y (G - sum_k G_k y_k), per column.
TAPEGRAD_OP_1(softmax)

// z_k - max z - log(sum_j exp(z_j - max z)) down each column, the stable log of
// softmax. Backward: dz = G - softmax(z) sum_k G_k, per column.
TAPEGRAD_OP_1(log_softmax)

namespace detail {
// log_softmax of z (K, m) into out (resized to z's shape), using scratch memory
// for m doubles: shared with the losses.
void log_softmax_columns(const matrix& z, matrix& out, double* scratch);
}  // namespace detail

}  // namespace tapegrad
