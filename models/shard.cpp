#include <tapegrad/models/shard.hpp>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

std::string to_string(shard_layout layout) {
    return layout == shard_layout::contiguous ? "contiguous" : "strided";
}

void check_shard(const shard& s, const char* where) {
    if (s.count == 0) throw value_error(std::string(where) + ": a shard count of 0; there must be at least one part");
    if (s.index >= s.count) {
        throw value_error(std::string(where) + ": shard " + std::to_string(s.index) + " of " +
                          std::to_string(s.count) + " does not exist; the index must be 0 .. " +
                          std::to_string(s.count - 1));
    }
}

std::size_t shard_size(std::size_t m, const shard& s) {
    check_shard(s, "shard_size");
    if (s.layout == shard_layout::strided) return m / s.count + (s.index < m % s.count ? 1 : 0);
    return (s.index + 1) * m / s.count - s.index * m / s.count;
}

std::vector<std::size_t> shard_columns(std::size_t m, const shard& s) {
    check_shard(s, "shard_columns");
    std::vector<std::size_t> columns;
    columns.reserve(shard_size(m, s));
    if (s.layout == shard_layout::strided) {
        for (std::size_t c = s.index; c < m; c += s.count) columns.push_back(c);
    } else {
        for (std::size_t c = s.index * m / s.count; c < (s.index + 1) * m / s.count; ++c) columns.push_back(c);
    }
    return columns;
}

matrix take_shard(const matrix& X, const shard& s) {
    const std::size_t rows = X.shape()[0], cols = X.shape()[1];
    const std::vector<std::size_t> columns = shard_columns(cols, s);
    matrix out = make_matrix(rows, columns.size());
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < columns.size(); ++j) out(i, j) = X(i, columns[j]);
    }
    return out;
}

}  // namespace tapegrad
