// load_mat_dataset: MATLAB .mat files through libmatio.
#include <tapegrad/data/mat_dataset.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <new>
#include <string>

#include <matio.h>
#include <zlib.h>

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

bool is_numeric(matio_classes c) {
    switch (c) {
        case MAT_C_DOUBLE: case MAT_C_SINGLE: case MAT_C_INT8: case MAT_C_UINT8: case MAT_C_INT16:
        case MAT_C_UINT16: case MAT_C_INT32: case MAT_C_UINT32: case MAT_C_INT64: case MAT_C_UINT64: return true;
        default: return false;
    }
}

// Variable `name`'s header, checked before libmatio reads its data: a missing
// variable, not 2 dimensions, complex or not numeric is refused here, so
// libmatio only ever reads the data of a real numeric matrix. (Its size is
// checked before: check_mat5_layout.)
void check_header(mat_t* file, const std::string& path, const char* name) {
    std::unique_ptr<matvar_t, var_freer> v(Mat_VarReadInfo(file, name));
    if (!v) throw file_error(path + ": has no variable '" + name + "' (expected X, y, Xval and yval)");
    const std::string what = path + ": variable '" + name + "' ";
    if (v->rank != 2 || v->dims == nullptr) {
        throw file_error(what + "has " + std::to_string(v->rank) + " dimensions; expected a matrix");
    }
    if (v->isComplex) throw file_error(what + "is complex; expected real numbers");
    if (!is_numeric(v->class_type)) {
        throw file_error(what + "is not a numeric matrix (MATLAB class " + std::to_string(v->class_type) + ")");
    }
}

// Variable `name` as a (rows, cols) matrix of doubles (MATLAB stores columns first).
matrix read_variable(mat_t* file, const std::string& path, const char* name) {
    check_header(file, path, name);
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
dataset as_dataset(const matrix& X, const matrix& y, const std::string& path, const char* x_name, const char* y_name,
                   label_kind labels) {
    if (y.shape()[1] != 1 || y.shape()[0] != X.shape()[0]) {
        // When y fits X's columns instead, X is probably turned: (n_x, m) where one
        // example per row, (m, n_x), is expected. Say so rather than blame y alone.
        const std::size_t labels = y.shape()[1] == 1 ? y.shape()[0] : y.shape()[0] == 1 ? y.shape()[1] : 0;
        const std::string turned =
            labels != 0 && labels == X.shape()[1]
                ? "; or '" + std::string(x_name) + "' is transposed: with " + std::to_string(labels) + " labels it "
                  "should be (" + std::to_string(labels) + ", " + std::to_string(X.shape()[0]) + "), one example per "
                  "row (save X.T)"
                : "";
        throw file_error(path + ": '" + y_name + "' has shape " + shape_string(y) + " but '" + x_name + "' has " +
                         std::to_string(X.shape()[0]) + " rows; expected (" + std::to_string(X.shape()[0]) + ", 1)" +
                         turned);
    }
    dataset d{tapegrad::matrix::from_shape({X.shape()[1], X.shape()[0]}), matrix::from_shape({1, X.shape()[0]})};
    for (std::size_t j = 0; j < X.shape()[0]; ++j) {
        for (std::size_t i = 0; i < X.shape()[1]; ++i) d.X(i, j) = X(j, i);
        d.Y(0, j) = y(j, 0);
    }
    check_dataset(d, path + " (" + x_name + ", " + y_name + ")", labels);
    return d;
}

// The MATLAB 5 data types (mi*) that hold numbers, and their sizes in bytes (0: not a number type).
std::uint64_t mi_size(std::uint32_t type) {
    switch (type) {
        case 1: case 2: case 16: return 1;           // miINT8, miUINT8, miUTF8
        case 3: case 4: case 17: return 2;           // miINT16, miUINT16, miUTF16
        case 5: case 6: case 7: case 18: return 4;   // miINT32, miUINT32, miSINGLE, miUTF32
        case 9: case 12: case 13: return 8;          // miDOUBLE, miINT64, miUINT64
        default: return 0;
    }
}

constexpr std::uint32_t mi_int8 = 1, mi_int32 = 5, mi_matrix = 14, mi_compressed = 15;
constexpr std::uint32_t class_cell = 1, class_struct = 2, class_char = 4, class_sparse = 5, class_function = 16,
                        class_opaque = 17;
constexpr int max_depth = 64;  // nested cells and structs

std::uint64_t pad8(std::uint64_t n) { return (n + 7) / 8 * 8; }

// The bytes of one data element: the file's own, or a zlib stream inflated on
// the way (never all at once: skipped data goes through a small buffer).
class element_bytes {
public:
    element_bytes(const unsigned char* data, std::uint64_t size, bool compressed) : data_(data), size_(size) {
        if (compressed) {
            z_ = std::make_unique<z_stream>();
            if (inflateInit(z_.get()) != Z_OK) throw std::bad_alloc();
            z_->next_in = const_cast<unsigned char*>(data);
            z_->avail_in = static_cast<uInt>(size);
        }
    }
    ~element_bytes() {
        if (z_) inflateEnd(z_.get());
    }
    element_bytes(const element_bytes&) = delete;
    element_bytes& operator=(const element_bytes&) = delete;

    // Copies the next n bytes to out (or skips them when out is null); false
    // when fewer are there (the end of the element, or of a corrupt stream).
    bool read(unsigned char* out, std::uint64_t n) {
        if (!z_) {
            if (n > size_ - pos_) return false;
            if (out != nullptr) std::memcpy(out, data_ + pos_, static_cast<std::size_t>(n));
            pos_ += n;
            return true;
        }
        while (n > 0) {
            const std::uint64_t chunk = out != nullptr ? n : std::min<std::uint64_t>(n, sizeof scratch_);
            z_->next_out = out != nullptr ? out : scratch_;
            z_->avail_out = static_cast<uInt>(std::min<std::uint64_t>(chunk, 1u << 30));
            const uInt asked = z_->avail_out;
            const int status = inflate(z_.get(), Z_NO_FLUSH);
            const uInt got = asked - z_->avail_out;
            if (out != nullptr) out += got;
            n -= got;
            if (n > 0 && (status == Z_STREAM_END || (status != Z_OK) || got == 0)) return false;
        }
        return true;
    }

private:
    const unsigned char* data_;
    std::uint64_t size_;
    std::uint64_t pos_ = 0;
    std::unique_ptr<z_stream> z_;
    unsigned char scratch_[65536];
};

// Checks that every size in the headers of a MATLAB 5 variable fits in the
// bytes that hold it, all the way down through cells and structs, the way
// libmatio reads them: libmatio trusts these sizes and allocates them before
// it finds the bytes missing (a dimensions tag declaring 4 GB, a cell array of
// 10^10 cells, 100000 x 100000 doubles in a 1 KB file), or reads past the
// variable into the next one. A number array's data must be exactly its
// element count times the size of the type it is stored in (MATLAB may store
// doubles as uint8), so no variable declares more elements than it holds.
class variable_checker {
public:
    variable_checker(const std::string& path, bool swap) : path_(path), swap_(swap) {}

    // The variable whose data element (miMATRIX or miCOMPRESSED) starts at
    // byte `at` of the file, its content being `content` (size bytes).
    void check(std::uint64_t at, std::uint32_t type, const unsigned char* content, std::uint64_t size) {
        at_ = at;
        name_.clear();
        compressed_ = type == mi_compressed;
        element_bytes in(content, size, type == mi_compressed);
        std::uint64_t length = size;
        if (type == mi_compressed) {
            unsigned char tag[8];
            if (!in.read(tag, 8)) fail("its compressed data is corrupt or cut short");
            if (u32(tag) != mi_matrix) fail("its compressed data is not a MATLAB array (type " + std::to_string(u32(tag)) + ")");
            length = u32(tag + 4);
        }
        matrix_element(in, length, 0);
    }

private:
    [[noreturn]] void fail(const std::string& what) const { refuse(what + " (a corrupt header)"); }
    [[noreturn]] void refuse(const std::string& what) const {
        throw file_error(path_ + ": the variable at byte " + std::to_string(at_) + (name_.empty() ? "" : " ('" + name_ + "')") +
                         ": " + what);
    }

    std::uint32_t u32(const unsigned char* p) const {
        return swap_ ? (std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3])
                     : (std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0]);
    }

    // n bytes of the current element (`left` of them remain) into out, or skipped.
    void take(element_bytes& in, std::uint64_t& left, unsigned char* out, std::uint64_t n, const char* what) {
        if (n > left) {
            fail(std::string(what) + ": " + std::to_string(n) + " bytes declared, but only " + std::to_string(left) +
                 " remain in its element");
        }
        if (!in.read(out, n)) fail(std::string(what) + ": cut short (truncated or corrupt compressed data)");
        left -= n;
    }

    // A tag: (type, byte count, whether the data is packed in the tag's second word).
    struct tag_t {
        std::uint32_t type;
        std::uint64_t bytes;
        bool small;
        unsigned char word[4];
    };
    tag_t read_tag(element_bytes& in, std::uint64_t& left, const char* what) {
        unsigned char t[8];
        take(in, left, t, 8, what);
        tag_t tag{};
        const std::uint32_t first = u32(t);
        std::memcpy(tag.word, t + 4, 4);
        if ((first >> 16) != 0) {
            tag = {first & 0xffff, first >> 16, true, {t[4], t[5], t[6], t[7]}};
            if (tag.bytes > 4) fail(std::string(what) + ": a small data element of " + std::to_string(tag.bytes) + " bytes");
        } else {
            tag.type = first;
            tag.bytes = u32(t + 4);
            tag.small = false;
        }
        return tag;
    }

    // Skips the data of a (non-small) tag, with its padding to 8 bytes when it is there.
    void skip_data(element_bytes& in, std::uint64_t& left, const tag_t& tag, const char* what) {
        if (tag.small) return;
        take(in, left, nullptr, tag.bytes, what);
        take(in, left, nullptr, std::min(pad8(tag.bytes) - tag.bytes, left), what);
    }

    // An miMATRIX element of `length` bytes (its tag already read).
    void matrix_element(element_bytes& in, std::uint64_t length, int depth) {
        if (depth > max_depth) fail("cells or structs nested more than " + std::to_string(max_depth) + " deep");
        std::uint64_t left = length;
        unsigned char flags[16];
        take(in, left, flags, 16, "the array flags");
        if (u32(flags + 4) != 8) fail("malformed array flags");
        const std::uint32_t class_type = u32(flags + 8) & 0xff;
        const bool complex = (u32(flags + 8) & 0x800) != 0;
        if (class_type == class_opaque) {
            // An object: libmatio reads nothing more of it in a compressed
            // variable, but in an uncompressed one it reads a dimensions tag
            // and a name tag all the same (their data only when they are of
            // type miINT32 and miINT8), whatever the object holds there.
            if (!compressed_) {
                const tag_t dims_tag = read_tag(in, left, "the dimensions");
                if (!dims_tag.small && dims_tag.type == mi_int32) skip_data(in, left, dims_tag, "the dimensions");
                const tag_t name_tag = read_tag(in, left, "the name");
                if (!name_tag.small && name_tag.type == mi_int8) skip_data(in, left, name_tag, "the name");
            }
            take(in, left, nullptr, left, "the rest");
            return;
        }
        const tag_t dims_tag = read_tag(in, left, "the dimensions");
        if (dims_tag.small || dims_tag.type != mi_int32 || dims_tag.bytes % 4 != 0) fail("malformed dimensions");
        if (dims_tag.bytes > left) {
            fail("its dimensions take " + std::to_string(dims_tag.bytes) + " bytes but only " + std::to_string(left) +
                 " remain in its element");
        }
        std::uint64_t count = 1;  // the element count, or max() past it (then a dimension is 0 or it is refused)
        std::string shape;
        for (std::uint64_t k = 0; k < dims_tag.bytes / 4; ++k) {
            unsigned char d[4];
            take(in, left, d, 4, "the dimensions");
            const std::uint64_t dim = u32(d);
            if (k < 16) shape += (k == 0 ? "" : " x ") + std::to_string(dim);
            if (k == 16) shape += " x ...";
            const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
            count = count == 0 || dim == 0 ? 0 : (count > max / dim ? max : count * dim);
        }
        take(in, left, nullptr, std::min(pad8(dims_tag.bytes) - dims_tag.bytes, left), "the dimensions");
        const tag_t name_tag = read_tag(in, left, "the name");
        if (name_tag.type != mi_int8) fail("malformed name");
        if (depth == 0 && name_tag.small) name_.assign(reinterpret_cast<const char*>(name_tag.word), name_tag.bytes);
        if (!name_tag.small) {
            if (depth == 0 && name_tag.bytes <= 64) {
                unsigned char name[64];
                take(in, left, name, name_tag.bytes, "the name");
                name_.assign(reinterpret_cast<const char*>(name), name_tag.bytes);
                take(in, left, nullptr, std::min(pad8(name_tag.bytes) - name_tag.bytes, left), "the name");
            } else {
                skip_data(in, left, name_tag, "the name");
            }
        }
        if (class_type == class_function) {
            // libmatio reads each handle of an uncompressed one as a whole new
            // variable from where it stands, recursively, and leaks what it
            // read when one fails: not worth the risk in a data file.
            refuse("a function handle (MATLAB class 16), which load_mat_dataset does not accept in a data file");
        }
        if (class_type == class_cell) {
            if (count > left / 8) {
                fail("declares " + shape + " cells, more than its " + std::to_string(left) + " bytes can hold");
            }
            for (std::uint64_t k = 0; k < count; ++k) nested_element(in, left, depth, "a cell");
        } else if (class_type == class_struct) {
            const tag_t size_tag = read_tag(in, left, "the field name length");
            std::uint64_t name_length = u32(size_tag.word);
            if ((size_tag.type & 0xffff) != mi_int32 || name_length == 0) fail("malformed field name length");
            const tag_t names = read_tag(in, left, "the field names");
            std::uint64_t fields = 0;
            if (names.type == mi_int8) {
                if (names.bytes % name_length != 0) fail("field names that are not a multiple of their length");
                fields = names.bytes / name_length;
                skip_data(in, left, names, "the field names");
            }
            if (fields != 0 && count > left / 8 / fields) {
                fail("declares " + shape + " structs of " + std::to_string(fields) + " fields, more than its " +
                     std::to_string(left) + " bytes can hold");
            }
            for (std::uint64_t k = 0; k < count * fields; ++k) nested_element(in, left, depth, "a struct field");
        } else if ((class_type >= 6 && class_type <= 15) || class_type == class_char) {
            for (int part = 0; part < (complex ? 2 : 1); ++part) {
                const tag_t data = read_tag(in, left, "the data");
                const std::uint64_t size = mi_size(data.type);
                if (size == 0) fail("data of unknown type " + std::to_string(data.type));
                if (class_type == class_char ? count > data.bytes : count > data.bytes / size || count * size != data.bytes) {
                    fail("declares " + shape + " elements but its data holds " + std::to_string(data.bytes) + " bytes of " +
                         std::to_string(size) + "-byte numbers");
                }
                skip_data(in, left, data, "the data");
            }
        } else {  // sparse, objects, ...: every part must fit
            // libmatio may read count elements of an object array (each at
            // least a tag); a sparse array's dimensions hold no data.
            if (class_type != class_sparse && count > left / 8) {
                fail("declares " + shape + " elements, more than its " + std::to_string(left) + " bytes can hold");
            }
            while (left >= 8) skip_data(in, left, read_tag(in, left, "a part"), "a part");
        }
        take(in, left, nullptr, left, "the rest");
    }

    // A cell or struct field: an miMATRIX element (or an empty one, of 0 bytes).
    void nested_element(element_bytes& in, std::uint64_t& left, int depth, const char* what) {
        const tag_t tag = read_tag(in, left, what);
        if (tag.bytes == 0) return;
        if (tag.small || tag.type != mi_matrix) fail(std::string(what) + " that is not a MATLAB array");
        if (tag.bytes > left) {
            fail(std::string(what) + " of " + std::to_string(tag.bytes) + " bytes in the " + std::to_string(left) +
                 " bytes that remain");
        }
        left -= tag.bytes;
        matrix_element(in, tag.bytes, depth + 1);
    }

    const std::string& path_;
    bool swap_;
    std::uint64_t at_ = 0;
    bool compressed_ = false;
    std::string name_;
};

// libmatio fills a variable that the file cuts short with zeros instead of
// failing, and allocates the sizes a header declares before finding out whether
// the data is there, so the MATLAB 5 layout is checked first: a 128-byte header
// (text, version 0x0100, endian mark "IM" or "MI"), then data elements, each an
// 8-byte tag (type, byte count) and that many bytes (padded to 8 unless
// compressed), or a small element packed into 8 bytes. Every element must fit in
// the file, and every variable (miMATRIX, or one in an miCOMPRESSED zlib stream)
// must pass variable_checker.
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
    variable_checker checker(path, swap);
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
        if (type == mi_matrix || type == mi_compressed) {
            checker.check(pos, type, reinterpret_cast<const unsigned char*>(bytes.data()) + pos + 8, size);
        }
        const std::uint64_t padded = type == mi_compressed ? size : pad8(size);  // compressed: unpadded
        pos += 8 + static_cast<std::size_t>(std::min(padded, remaining));
    }
}

}  // namespace

split_dataset load_mat_dataset(const std::string& path, label_kind labels) {
    check_mat5_layout(path);
    std::unique_ptr<mat_t, mat_closer> file(Mat_Open(path.c_str(), MAT_ACC_RDONLY));
    if (!file) throw file_error(path + ": cannot open it as a MATLAB .mat file (missing, unreadable or not a .mat file)");
    // Read in order, so the first missing variable is the one named.
    const matrix X = read_variable(file.get(), path, "X");
    const matrix y = read_variable(file.get(), path, "y");
    const matrix Xval = read_variable(file.get(), path, "Xval");
    const matrix yval = read_variable(file.get(), path, "yval");
    split_dataset s;
    s.train = as_dataset(X, y, path, "X", "y", labels);
    s.test = as_dataset(Xval, yval, path, "Xval", "yval", labels);
    if (s.train.X.shape()[0] != s.test.X.shape()[0]) {
        throw file_error(path + ": Xval has " + std::to_string(s.test.X.shape()[0]) + " features but X has " +
                         std::to_string(s.train.X.shape()[0]));
    }
    return s;
}

}  // namespace tapegrad
