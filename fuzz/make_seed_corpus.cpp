// Writes the seed corpus committed under fuzz/corpus/<target>/ (run by hand after
// a change of the formats; the files are committed, so CI does not run it):
//
//   cmake --build build-fuzz --target make_seed_corpus
//   build-fuzz/fuzz/make_seed_corpus fuzz/corpus tests/data/npy
//
// Small valid files (written with save_npy and libmatio, or copied from
// tests/data/npy) and broken ones: truncated, wrong magic, huge declared
// sizes, unsupported types, NaN cells, ragged rows, empty.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <matio.h>

#include <tapegrad/data/npy.hpp>

#include "mat_bytes.hpp"

namespace fs = std::filesystem;

namespace {

fs::path out_dir;

void write(const std::string& target, const std::string& name, const std::string& bytes) {
    const fs::path path = out_dir / target / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out) {
        std::perror(path.c_str());
        std::exit(1);
    }
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string npy_bytes(const tapegrad::matrix& m) {
    const fs::path tmp = out_dir / "tmp.npy";
    tapegrad::save_npy(tmp.string(), m);
    std::string bytes = read(tmp);
    fs::remove(tmp);
    return bytes;
}

struct mat_variable {
    std::string name;
    matio_classes class_type;
    matio_types data_type;
    std::vector<std::size_t> dims;
    std::vector<double> values;  // column-major, converted to the data type
};

template <class T>
std::vector<unsigned char> as_bytes(const std::vector<double>& values) {
    std::vector<unsigned char> bytes(values.size() * sizeof(T));
    for (std::size_t k = 0; k < values.size(); ++k) {
        const T v = static_cast<T>(values[k]);
        std::memcpy(bytes.data() + k * sizeof(T), &v, sizeof(T));
    }
    return bytes;
}

std::string mat_bytes(const std::vector<mat_variable>& variables, matio_compression compression) {
    const fs::path tmp = out_dir / "tmp.mat";
    mat_t* file = Mat_CreateVer(tmp.c_str(), nullptr, MAT_FT_MAT5);
    if (file == nullptr) std::exit(1);
    for (const mat_variable& v : variables) {
        std::vector<unsigned char> data;
        switch (v.data_type) {
            case MAT_T_DOUBLE: data = as_bytes<double>(v.values); break;
            case MAT_T_SINGLE: data = as_bytes<float>(v.values); break;
            case MAT_T_INT32: data = as_bytes<std::int32_t>(v.values); break;
            case MAT_T_UINT8: data = as_bytes<std::uint8_t>(v.values); break;
            case MAT_T_INT16: data = as_bytes<std::int16_t>(v.values); break;
            default: std::exit(1);
        }
        std::vector<std::size_t> dims = v.dims;
        matvar_t* var = Mat_VarCreate(v.name.c_str(), v.class_type, v.data_type, static_cast<int>(dims.size()),
                                      dims.data(), data.data(), 0);
        if (var == nullptr || Mat_VarWrite(file, var, compression) != 0) std::exit(1);
        Mat_VarFree(var);
    }
    Mat_Close(file);
    std::string bytes = read(tmp);
    fs::remove(tmp);
    return bytes;
}

// A cell array variable named `name` holding one double matrix.
std::string mat_with_cell(const std::string& name, matio_compression compression) {
    const fs::path tmp = out_dir / "tmp.mat";
    mat_t* file = Mat_CreateVer(tmp.c_str(), nullptr, MAT_FT_MAT5);
    std::size_t dims[2] = {1, 1}, inner[2] = {2, 1};
    double values[2] = {1.0, 0.0};
    matvar_t* cell = Mat_VarCreate(name.c_str(), MAT_C_CELL, MAT_T_CELL, 2, dims, nullptr, 0);
    Mat_VarSetCell(cell, 0, Mat_VarCreate("", MAT_C_DOUBLE, MAT_T_DOUBLE, 2, inner, values, 0));
    Mat_VarWrite(file, cell, compression);
    Mat_VarFree(cell);
    const char* fields[1] = {"f"};
    matvar_t* st = Mat_VarCreateStruct("s", 2, dims, fields, 1);
    Mat_VarSetStructFieldByName(st, "f", 0, Mat_VarCreate("f", MAT_C_DOUBLE, MAT_T_DOUBLE, 2, inner, values, 0));
    Mat_VarWrite(file, st, compression);
    Mat_VarFree(st);
    Mat_Close(file);
    std::string bytes = read(tmp);
    fs::remove(tmp);
    return bytes;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR NPY_FIXTURES_DIR\n", argv[0]);
        return 2;
    }
    out_dir = argv[1];
    for (const char* t : {"npy", "csv", "mat"}) fs::create_directories(out_dir / t);

    // --- .npy ---
    for (const auto& entry : fs::directory_iterator(argv[2])) {
        if (entry.path().extension() == ".npy") write("npy", "numpy_" + entry.path().filename().string(), read(entry.path()));
    }
    const std::string data = npy_bytes({{1.5, -2.0, 1.0}, {0.25, 3e-3, 0.0}, {-7.0, 0.0, 0.0}});
    write("npy", "dataset.npy", data);
    write("npy", "dataset_nan.npy", npy_bytes({{1.5, std::nan(""), 1.0}, {0.25, 3e-3, 0.0}}));
    write("npy", "dataset_label_2.npy", npy_bytes({{1.5, -2.0, 2.0}}));
    write("npy", "one_column.npy", npy_bytes({{1.0}, {0.0}}));
    write("npy", "truncated_data.npy", data.substr(0, data.size() - 5));
    write("npy", "truncated_header.npy", data.substr(0, 40));
    write("npy", "preamble_only.npy", data.substr(0, 10));
    write("npy", "wrong_magic.npy", "PK\x03\x04" + data.substr(4));
    std::string huge = data;
    huge.replace(huge.find("(3, 3)"), 6, "(99999999, 99999999)");
    write("npy", "huge_shape.npy", huge);
    std::string huge_row = data;
    huge_row.replace(huge_row.find("(3, 3)"), 6, "(18446744073709551615, 0)");
    write("npy", "huge_rows_no_cols.npy", huge_row);
    std::string complex = data;
    complex.replace(complex.find("<f8"), 3, "<c16");
    write("npy", "complex_dtype.npy", complex);
    std::string v2 = data;  // version 2.0: a 4-byte header length
    v2[6] = 2;
    v2.insert(10, std::string("\0\0", 2));
    write("npy", "version2.npy", v2);
    std::string v9 = data;
    v9[6] = 9;
    write("npy", "version9.npy", v9);
    std::string order = data;
    order.replace(order.find("False"), 5, "Maybe");
    write("npy", "bad_fortran_order.npy", order);
    write("npy", "empty.npy", "");
    write("npy", "text.npy", "x1,x2,y\n1,2,0\n");

    // --- CSV ---
    write("csv", "good.csv", "x1,x2,y\n1.5,-2,1\n0.25,3e-3,0\n-7,0,0\n1e10,-0.125,1\n");
    write("csv", "loose.csv", "\r\n  \nx1 , x2,y\r\n 1.5 ,-2 , 1\r\n\r\n0.25,3e-3,0\r\n");
    write("csv", "one_feature.csv", "x,label\n3,0\n-4.5,1");
    write("csv", "digits.csv", "x1,y\n-0.3530623458334412,0\n4.9e-324,1\n");
    write("csv", "header_only.csv", "x1,x2,y\n");
    write("csv", "empty.csv", "");
    write("csv", "blank.csv", "\n  \r\n\t\n");
    write("csv", "no_header.csv", "0.5,1.5,1\n2,3,0\n");
    write("csv", "one_column.csv", "y\n1\n0\n");
    write("csv", "ragged_short.csv", "x1,x2,y\n1,2,0\n3,4\n");
    write("csv", "ragged_long.csv", "x1,x2,y\n1,2,0\n3,4,1,5\n");
    write("csv", "trailing_comma.csv", "x1,x2,y\n1,2,0,\n");
    write("csv", "nan_cell.csv", "x1,x2,y\n1,2,0\nnan,2,1\n");
    write("csv", "inf_cell.csv", "x1,x2,y\n1,-Infinity,0\n");
    write("csv", "nan_label.csv", "x1,x2,y\n1,2,nan\n");
    write("csv", "empty_cell.csv", "x1,x2,y\n1,,0\n");
    write("csv", "hex.csv", "x1,x2,y\n0x10,2,1\n");
    write("csv", "overflow.csv", "x1,x2,y\n1e999,2,1\n");
    write("csv", "word.csv", "x1,x2,y\n1,2.5kg,0\n");
    write("csv", "label_2.csv", "x1,x2,y\n1,2,2\n");
    write("csv", "nul_byte.csv", std::string("x1,x2,y\n1,2\0,0\n", 15));
    write("csv", "long_row.csv", "x1,y\n" + std::string(2000, '1') + ",0\n");

    // --- .mat (MATLAB 5, through libmatio) ---
    const std::vector<mat_variable> good = {
        {"X", MAT_C_DOUBLE, MAT_T_DOUBLE, {3, 2}, {1.0, 3.0, 5.0, 2.0, 4.0, 6.0}},
        {"y", MAT_C_DOUBLE, MAT_T_DOUBLE, {3, 1}, {0.0, 1.0, 1.0}},
        {"Xval", MAT_C_DOUBLE, MAT_T_DOUBLE, {2, 2}, {7.0, 9.0, 8.0, 10.0}},
        {"yval", MAT_C_DOUBLE, MAT_T_DOUBLE, {2, 1}, {1.0, 0.0}},
    };
    const std::string plain = mat_bytes(good, MAT_COMPRESSION_NONE);
    const std::string zipped = mat_bytes(good, MAT_COMPRESSION_ZLIB);
    write("mat", "good.mat", plain);
    write("mat", "good_zlib.mat", zipped);
    std::vector<mat_variable> typed = good;
    typed[0].class_type = MAT_C_INT32, typed[0].data_type = MAT_T_INT32;
    typed[1].class_type = MAT_C_UINT8, typed[1].data_type = MAT_T_UINT8;
    typed[2].class_type = MAT_C_SINGLE, typed[2].data_type = MAT_T_SINGLE;
    typed[3].class_type = MAT_C_INT16, typed[3].data_type = MAT_T_INT16;
    write("mat", "integer_classes.mat", mat_bytes(typed, MAT_COMPRESSION_NONE));
    write("mat", "integer_classes_zlib.mat", mat_bytes(typed, MAT_COMPRESSION_ZLIB));
    std::vector<mat_variable> narrowed = good;  // double class, data stored as uint8 (as MATLAB does)
    for (mat_variable& v : narrowed) v.data_type = MAT_T_UINT8;
    write("mat", "double_stored_as_uint8.mat", mat_bytes(narrowed, MAT_COMPRESSION_NONE));
    std::vector<mat_variable> nan = good;
    nan[2].values[1] = std::nan("");
    write("mat", "nan.mat", mat_bytes(nan, MAT_COMPRESSION_NONE));
    std::vector<mat_variable> three_d = good;
    three_d[0].dims = {1, 3, 2};
    write("mat", "three_d.mat", mat_bytes(three_d, MAT_COMPRESSION_ZLIB));
    std::vector<mat_variable> missing(good.begin(), good.begin() + 3);
    write("mat", "missing_yval.mat", mat_bytes(missing, MAT_COMPRESSION_NONE));
    write("mat", "cell_and_struct.mat", mat_with_cell("X", MAT_COMPRESSION_NONE) + plain.substr(128));
    write("mat", "cell_and_struct_zlib.mat", mat_with_cell("c", MAT_COMPRESSION_ZLIB) + zipped.substr(128));
    write("mat", "truncated.mat", plain.substr(0, plain.size() - 20));
    write("mat", "truncated_zlib.mat", zipped.substr(0, zipped.size() - 20));
    write("mat", "header_only.mat", plain.substr(0, 128));
    write("mat", "short_header.mat", plain.substr(0, 100));
    std::string v73 = plain;
    v73[124] = 0, v73[125] = 2;
    write("mat", "version_7_3.mat", v73);
    std::string swapped = plain;
    swapped[126] = 'M', swapped[127] = 'I';
    write("mat", "byte_swapped_mark.mat", swapped);
    std::string no_mark = plain;
    no_mark[126] = 'x';
    write("mat", "no_endian_mark.mat", no_mark);
    write("mat", "empty.mat", "");
    write("mat", "text.mat", std::string(200, 'x'));
    // Huge declared sizes in a small file: X declares 100000 x 100000 doubles.
    write("mat", "huge_dims.mat", tapegrad_fuzz::with_dims(plain, 0, 100000, 100000));
    write("mat", "huge_dims_zlib.mat", tapegrad_fuzz::compress_variables(tapegrad_fuzz::with_dims(plain, 0, 100000, 100000)));
    write("mat", "hand_compressed.mat", tapegrad_fuzz::compress_variables(plain));
    return 0;
}
