// shard: one process's part of a data set or of a mini-batch in a data-parallel
// run (tapegrad::distributed). The examples (columns) 0 .. m-1 are split over
// `count` parts, either in contiguous blocks (part r: the columns from
// floor(r m / count) to floor((r + 1) m / count), sizes differing by at most one)
// or strided (part r: the columns r, r + count, r + 2 count, ...). Either way
// every column is in exactly one part, so the whole set's mean cost is the
// parts' mean costs weighted by their sizes: J = sum_r (m_r / m) J_r.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

enum class shard_layout { contiguous, strided };

struct shard {
    std::size_t index = 0;  // this part, 0 .. count - 1 (an MPI rank)
    std::size_t count = 1;  // the number of parts (the processes)
    shard_layout layout = shard_layout::contiguous;
};

// "contiguous" or "strided".
std::string to_string(shard_layout layout);

// Throws value_error naming `where` unless count >= 1 and index < count.
void check_shard(const shard& s, const char* where);

// How many of m columns part s holds.
std::size_t shard_size(std::size_t m, const shard& s);

// The columns of part s among m, ascending. Throws like check_shard.
std::vector<std::size_t> shard_columns(std::size_t m, const shard& s);

// The columns of X that part s holds, in order: (rows, shard_size(m, s)).
matrix take_shard(const matrix& X, const shard& s);

}  // namespace tapegrad
