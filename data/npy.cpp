#include <tapegrad/data/npy.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <system_error>
#include <vector>

#include <unistd.h>

#include <tapegrad/data/staged_file.hpp>
#include <tapegrad/framework/error.hpp>

namespace tapegrad {

namespace {

constexpr char magic[] = "\x93NUMPY";
constexpr std::size_t magic_size = 6;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw file_error("load_npy: " + path + ": " + what);
}

// The value of `key` in numpy's header dict, e.g. "'<f8'" or "(3, 2)".
std::string header_value(const std::string& path, const std::string& header, const std::string& key) {
    const std::string quoted = "'" + key + "'";
    const std::size_t k = header.find(quoted);
    if (k == std::string::npos) fail(path, "the header has no '" + key + "' entry");
    std::size_t v = header.find(':', k + quoted.size());
    if (v == std::string::npos) fail(path, "malformed header entry '" + key + "'");
    ++v;
    while (v < header.size() && header[v] == ' ') ++v;
    std::size_t end = v;
    if (v < header.size() && header[v] == '(') {
        end = header.find(')', v);
        if (end == std::string::npos) fail(path, "malformed shape in the header");
        ++end;
    } else {
        while (end < header.size() && header[end] != ',' && header[end] != '}') ++end;
    }
    return header.substr(v, end - v);
}

std::vector<std::size_t> parse_shape(const std::string& path, const std::string& text) {
    // "(3, 2)", "(5,)", "()"
    std::vector<std::size_t> dims;
    std::size_t i = 1;
    while (i + 1 < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
        if (i >= text.size() || text[i] == ')') break;
        std::size_t value = 0;
        bool digits = false;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            const std::size_t d = static_cast<std::size_t>(text[i] - '0');
            if (value > (std::numeric_limits<std::size_t>::max() - d) / 10) fail(path, "a dimension is too large");
            value = value * 10 + d;
            digits = true;
            ++i;
        }
        if (!digits) fail(path, "malformed shape " + text + " in the header");
        // numpy's dimensions are npy_intp (signed): larger ones are not numpy's.
        if (value > static_cast<std::size_t>(std::numeric_limits<std::ptrdiff_t>::max())) {
            fail(path, "a dimension is too large in shape " + text);
        }
        dims.push_back(value);
    }
    return dims;
}

struct dtype_info {
    std::size_t size;
    double (*read)(const unsigned char*);
};

template <class T>
double read_as(const unsigned char* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return static_cast<double>(v);
}

dtype_info dtype_of(const std::string& path, const std::string& descr) {
    // Little-endian (this machine's order) or byte-sized types only.
    if (descr == "'<f8'") return {8, read_as<double>};
    if (descr == "'<f4'") return {4, read_as<float>};
    if (descr == "'<i8'") return {8, read_as<std::int64_t>};
    if (descr == "'<i4'") return {4, read_as<std::int32_t>};
    if (descr == "'|u1'") return {1, read_as<std::uint8_t>};
    if (descr == "'|b1'") return {1, read_as<std::uint8_t>};
    fail(path, "unsupported dtype " + descr + "; expected float64 '<f8' (or '<f4', '<i8', '<i4', '|u1', '|b1')");
}

}  // namespace

void save_npy(const std::string& path, const matrix& m) {
    std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(m.shape()[0]) +
                         ", " + std::to_string(m.shape()[1]) + "), }";
    // Pad with spaces so the data starts at a multiple of 64 bytes, ending in '\n'.
    const std::size_t preamble = magic_size + 2 + 2;
    header.append((64 - (preamble + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    // Through a staged file: a failed write never leaves a half-written file
    // where a good one was (or is expected).
    staged_file out(path);
    const auto len = static_cast<std::uint16_t>(header.size());
    const unsigned char version[2] = {1, 0};
    const unsigned char len_le[2] = {static_cast<unsigned char>(len & 0xff), static_cast<unsigned char>(len >> 8)};
    std::string bytes(magic, magic_size);
    bytes.append(reinterpret_cast<const char*>(version), 2);
    bytes.append(reinterpret_cast<const char*>(len_le), 2);
    bytes += header;
    out.write(bytes);
    out.write(m.data(), m.size() * sizeof(double));
    out.commit();
}

matrix load_npy(const std::string& path) { return read_npy(path).values; }

npy_array read_npy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot open the file (missing or unreadable)");
    in.seekg(0, std::ios::end);
    const std::streamoff file_size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (file_size <= 0) fail(path, "the file is empty");

    char pre[10];
    if (file_size < 10 || !in.read(pre, 10)) fail(path, "truncated: shorter than the 10-byte .npy preamble");
    if (std::memcmp(pre, magic, magic_size) != 0) fail(path, "not a .npy file (wrong magic bytes)");
    const auto major = static_cast<unsigned char>(pre[6]);
    std::size_t header_len;
    std::size_t preamble = 10;
    if (major == 1) {
        header_len = static_cast<unsigned char>(pre[8]) | (static_cast<std::size_t>(static_cast<unsigned char>(pre[9])) << 8);
    } else if (major == 2 || major == 3) {
        char extra[2];
        if (!in.read(extra, 2)) fail(path, "truncated header");
        header_len = static_cast<unsigned char>(pre[8]) | (static_cast<std::size_t>(static_cast<unsigned char>(pre[9])) << 8) |
                     (static_cast<std::size_t>(static_cast<unsigned char>(extra[0])) << 16) |
                     (static_cast<std::size_t>(static_cast<unsigned char>(extra[1])) << 24);
        preamble = 12;
    } else {
        fail(path, "unsupported .npy version " + std::to_string(major));
    }
    if (static_cast<std::streamoff>(preamble + header_len) > file_size) fail(path, "truncated: the header is cut off");
    std::string header(header_len, '\0');
    if (!in.read(header.data(), static_cast<std::streamsize>(header_len))) fail(path, "truncated header");

    const dtype_info dtype = dtype_of(path, header_value(path, header, "descr"));
    const std::string order = header_value(path, header, "fortran_order");
    if (order != "False" && order != "True") fail(path, "malformed fortran_order " + order);
    const bool fortran = order == "True";
    const std::vector<std::size_t> dims = parse_shape(path, header_value(path, header, "shape"));
    if (dims.size() > 2) {
        fail(path, "has " + std::to_string(dims.size()) + " dimensions; expected a matrix (2), a vector (1) or a scalar (0)");
    }
    const std::size_t rows = dims.size() == 2 ? dims[0] : 1;
    const std::size_t cols = dims.size() == 2 ? dims[1] : (dims.size() == 1 ? dims[0] : 1);

    // Check the declared size against the bytes really there before allocating.
    const std::size_t available = static_cast<std::size_t>(file_size) - preamble - header_len;
    if (cols != 0 && rows > available / dtype.size / cols) {
        fail(path, "truncated: the header declares shape " + to_string(shape2{rows, cols}) + " but only " +
                       std::to_string(available) + " data bytes follow");
    }
    const std::size_t count = rows * cols;
    std::vector<unsigned char> bytes(count * dtype.size);
    if (count > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) {
        fail(path, "truncated data");
    }
    npy_array result{matrix::from_shape({rows, cols}), dims.size()};
    matrix& m = result.values;
    // No loop over the rows of an empty array: its other dimension can be huge,
    // e.g. shape (2**62, 0), which the size check above lets through.
    if (count == 0) return result;
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j) {
            const std::size_t k = fortran ? j * rows + i : i * cols + j;
            m(i, j) = dtype.read(bytes.data() + k * dtype.size);
        }
    }
    return result;
}

}  // namespace tapegrad
