// Reading and writing numpy's .npy format (version 1.0), so matrices move
// between tapegrad and numpy. Writes float64 C-order; reads float64, float32,
// int64, int32, uint8 and bool arrays of 0, 1 or 2 dimensions, C or Fortran order.
#pragma once

#include <cstddef>
#include <string>

#include <tapegrad/framework/matrix.hpp>

namespace tapegrad {

// Writes m as a 2-D float64 array. Throws file_error when the file cannot be written.
void save_npy(const std::string& path, const matrix& m);

// Reads a .npy file. A 2-D array keeps its shape; a 1-D array of n values becomes
// a (1, n) row; a 0-D array a (1, 1) matrix. Throws file_error naming the file for
// a missing, empty, truncated or malformed file, an unsupported dtype or
// dimension count; the declared size is checked against the file's length
// before anything is allocated.
matrix load_npy(const std::string& path);

// The same, with the number of dimensions the file declares (0, 1 or 2).
struct npy_array {
    matrix values;
    std::size_t dimensions = 2;
};
npy_array read_npy(const std::string& path);

}  // namespace tapegrad
