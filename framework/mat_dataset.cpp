// load_mat_dataset: MATLAB .mat files through libmatio.
#include <tapegrad/framework/dataset.hpp>

#include <cstdint>
#include <cstring>
#include <memory>

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

}  // namespace

split_dataset load_mat_dataset(const std::string& path) {
    std::unique_ptr<mat_t, mat_closer> file(Mat_Open(path.c_str(), MAT_ACC_RDONLY));
    if (!file) throw file_error(path + ": cannot open it as a MATLAB .mat file (missing, unreadable or not a .mat file)");
    split_dataset s;
    s.train = as_dataset(read_variable(file.get(), path, "X"), read_variable(file.get(), path, "y"), path, "X", "y");
    s.test = as_dataset(read_variable(file.get(), path, "Xval"), read_variable(file.get(), path, "yval"), path, "Xval",
                        "yval");
    if (s.train.X.shape()[0] != s.test.X.shape()[0]) {
        throw file_error(path + ": Xval has " + std::to_string(s.test.X.shape()[0]) + " features but X has " +
                         std::to_string(s.train.X.shape()[0]));
    }
    return s;
}

}  // namespace tapegrad
