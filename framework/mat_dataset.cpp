// load_mat_dataset: MATLAB .mat files through libmatio.
#include <tapegrad/framework/dataset.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <matio.h>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

namespace {

struct mat_closer {
    void operator()(mat_t* m) const { Mat_Close(m); }
};
struct var_freer {
    void operator()(matvar_t* v) const { Mat_VarFree(v); }
};

template <class T>
double element(const void* data, std::size_t k) {
    T v;
    std::memcpy(&v, static_cast<const unsigned char*>(data) + k * sizeof(T), sizeof(T));
    return static_cast<double>(v);
}

// Variable `name` as a (rows, cols) matrix of doubles (MATLAB stores columns first).
matrix read_variable(mat_t* file, const std::string& path, const char* name) {
    std::unique_ptr<matvar_t, var_freer> v(Mat_VarRead(file, name));
    if (!v) throw file_error(path + ": has no variable '" + name + "' (expected X, y, Xval and yval)");
    const std::string what = path + ": variable '" + name + "' ";
    if (v->rank != 2) throw file_error(what + "has " + std::to_string(v->rank) + " dimensions; expected a matrix");
    if (v->isComplex) throw file_error(what + "is complex; expected real numbers");
    const std::size_t rows = v->dims[0], cols = v->dims[1];
    const std::size_t count = rows * cols;
    double (*get)(const void*, std::size_t) = nullptr;
    std::size_t size = 0;
    switch (v->class_type) {
        case MAT_C_DOUBLE: get = element<double>; size = 8; break;
        case MAT_C_SINGLE: get = element<float>; size = 4; break;
        case MAT_C_INT8: get = element<std::int8_t>; size = 1; break;
        case MAT_C_UINT8: get = element<std::uint8_t>; size = 1; break;
        case MAT_C_INT16: get = element<std::int16_t>; size = 2; break;
        case MAT_C_UINT16: get = element<std::uint16_t>; size = 2; break;
        case MAT_C_INT32: get = element<std::int32_t>; size = 4; break;
        case MAT_C_UINT32: get = element<std::uint32_t>; size = 4; break;
        case MAT_C_INT64: get = element<std::int64_t>; size = 8; break;
        case MAT_C_UINT64: get = element<std::uint64_t>; size = 8; break;
        default: throw file_error(what + "is not a numeric matrix (MATLAB class " + std::to_string(v->class_type) + ")");
    }
    if (count > 0 && (v->data == nullptr || static_cast<std::size_t>(v->data_size) != size || v->nbytes < count * size)) {
        throw file_error(what + "has missing or truncated data");
    }
    matrix m = matrix::from_shape({rows, cols});
    for (std::size_t j = 0; j < cols; ++j) {
        for (std::size_t i = 0; i < rows; ++i) m(i, j) = get(v->data, j * rows + i);
    }
    return m;
}

// X (m, n_x) and y (m, 1) -> a dataset with examples in columns.
dataset as_dataset(const matrix& X, const matrix& y, const std::string& path, const char* x_name, const char* y_name) {
    if (y.shape()[1] != 1 || y.shape()[0] != X.shape()[0]) {
        throw file_error(path + ": '" + y_name + "' has shape " + shape_string(y) + " but '" + x_name + "' has " +
                         std::to_string(X.shape()[0]) + " rows; expected (" + std::to_string(X.shape()[0]) + ", 1)");
    }
    dataset d{tapegrad::matrix::from_shape({X.shape()[1], X.shape()[0]}), matrix::from_shape({1, X.shape()[0]})};
    for (std::size_t j = 0; j < X.shape()[0]; ++j) {
        for (std::size_t i = 0; i < X.shape()[1]; ++i) d.X(i, j) = X(j, i);
        d.Y(0, j) = y(j, 0);
    }
    check_dataset(d, path + " (" + x_name + ", " + y_name + ")");
    return d;
}

// libmatio fills a variable that the file cuts short with zeros instead of
// failing, so the MATLAB 5 layout is checked first: a 128-byte header (text,
// version 0x0100, endian mark "IM" or "MI"), then data elements, each an 8-byte
// tag (type, byte count) and that many bytes (padded to 8 unless compressed),
// or a small element packed into 8 bytes. Every element must fit in the file.
void check_mat5_layout(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw file_error(path + ": cannot open the file (missing or unreadable)");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.empty()) throw file_error(path + ": the file is empty; expected a MATLAB .mat file");
    if (bytes.size() < 128) throw file_error(path + ": truncated: shorter than the 128-byte MATLAB header");
    const bool swap = bytes[126] == 'M' && bytes[127] == 'I';
    if (!swap && !(bytes[126] == 'I' && bytes[127] == 'M')) {
        throw file_error(path + ": not a MATLAB 5 .mat file (no endian mark in its header)");
    }
    auto u16 = [&](std::size_t at) {
        const auto a = static_cast<unsigned char>(bytes[at]), b = static_cast<unsigned char>(bytes[at + 1]);
        return static_cast<std::uint32_t>(swap ? (a << 8) | b : (b << 8) | a);
    };
    auto u32 = [&](std::size_t at) {
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const auto byte = static_cast<unsigned char>(bytes[at + (swap ? k : 3 - k)]);
            v = (v << 8) | byte;
        }
        return v;
    };
    const std::uint32_t version = u16(124);
    if (version == 0x0200) {
        throw file_error(path + ": a MATLAB 7.3 (HDF5) .mat file, which is not supported; save it with -v7");
    }
    if (version != 0x0100) throw file_error(path + ": not a MATLAB 5 .mat file (header version " + std::to_string(version) + ")");
    std::size_t pos = 128;
    while (pos < bytes.size()) {
        if (bytes.size() - pos < 8) throw file_error(path + ": truncated: a data element's tag is cut off at byte " + std::to_string(pos));
        const std::uint32_t type = u32(pos);
        if ((type >> 16) != 0) {  // small data element: tag and data in 8 bytes
            pos += 8;
            continue;
        }
        const std::uint64_t size = u32(pos + 4);
        const std::uint64_t remaining = bytes.size() - pos - 8;
        if (size > remaining) {
            throw file_error(path + ": truncated: the data element at byte " + std::to_string(pos) + " holds " +
                             std::to_string(size) + " bytes but only " + std::to_string(remaining) + " remain");
        }
        const std::uint64_t padded = type == 15 ? size : (size + 7) / 8 * 8;  // 15: miCOMPRESSED, unpadded
        pos += 8 + static_cast<std::size_t>(std::min(padded, remaining));
    }
}

}  // namespace

split_dataset load_mat_dataset(const std::string& path) {
    check_mat5_layout(path);
    std::unique_ptr<mat_t, mat_closer> file(Mat_Open(path.c_str(), MAT_ACC_RDONLY));
    if (!file) throw file_error(path + ": cannot open it as a MATLAB .mat file (missing, unreadable or not a .mat file)");
    // Read in order, so the first missing variable is the one named.
    const matrix X = read_variable(file.get(), path, "X");
    const matrix y = read_variable(file.get(), path, "y");
    const matrix Xval = read_variable(file.get(), path, "Xval");
    const matrix yval = read_variable(file.get(), path, "yval");
    split_dataset s;
    s.train = as_dataset(X, y, path, "X", "y");
    s.test = as_dataset(Xval, yval, path, "Xval", "yval");
    if (s.train.X.shape()[0] != s.test.X.shape()[0]) {
        throw file_error(path + ": Xval has " + std::to_string(s.test.X.shape()[0]) + " features but X has " +
                         std::to_string(s.train.X.shape()[0]));
    }
    return s;
}

}  // namespace tapegrad
