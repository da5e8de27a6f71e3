// Byte-level edits of little-endian MATLAB 5 .mat files (as libmatio writes them
// on this machine), for the seed corpus and the regression tests: patch a
// variable's dimensions, wrap variables in zlib streams by hand. Header-only,
// without zlib: the streams use deflate's stored (uncompressed) blocks, which
// every inflater reads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace tapegrad_fuzz {

inline std::uint32_t get_u32(const std::string& b, std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b.at(at))) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b.at(at + 1))) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b.at(at + 2))) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b.at(at + 3))) << 24;
}

inline void put_u32(std::string& b, std::size_t at, std::uint32_t v) {
    for (std::size_t k = 0; k < 4; ++k) b.at(at + k) = static_cast<char>((v >> (8 * k)) & 0xff);
}

inline std::string u32_bytes(std::uint32_t v) {
    std::string s(4, '\0');
    put_u32(s, 0, v);
    return s;
}

// Offsets of the top-level data elements after the 128-byte header.
inline std::vector<std::size_t> elements(const std::string& mat) {
    std::vector<std::size_t> at;
    std::size_t pos = 128;
    while (pos + 8 <= mat.size()) {
        at.push_back(pos);
        const std::uint32_t type = get_u32(mat, pos), size = get_u32(mat, pos + 4);
        pos += 8 + (type == 15 ? size : (size + 7) / 8 * 8);
    }
    return at;
}

// `mat` with the dimensions of its variable number `index` (an uncompressed
// 2-D miMATRIX) replaced by rows x cols; nothing else changes.
inline std::string with_dims(std::string mat, std::size_t index, std::uint32_t rows, std::uint32_t cols) {
    const std::size_t at = elements(mat).at(index);
    // tag (8) | array flags: tag (8) + 8 bytes | dimensions: tag (miINT32 = 5, 8 bytes) + rows, cols
    if (get_u32(mat, at) != 14 || get_u32(mat, at + 24) != 5 || get_u32(mat, at + 28) != 8) {
        throw std::invalid_argument("with_dims: not an uncompressed 2-D variable");
    }
    put_u32(mat, at + 32, rows);
    put_u32(mat, at + 36, cols);
    return mat;
}

// A zlib stream (RFC 1950) of `data` in stored deflate blocks.
inline std::string zlib_stored(const std::string& data) {
    std::string z = "\x78\x01";
    std::size_t pos = 0;
    do {
        const std::size_t n = std::min<std::size_t>(65535, data.size() - pos);
        const bool last = pos + n == data.size();
        z += static_cast<char>(last ? 1 : 0);
        z += static_cast<char>(n & 0xff);
        z += static_cast<char>(n >> 8);
        z += static_cast<char>(~n & 0xff);
        z += static_cast<char>((~n >> 8) & 0xff);
        z += data.substr(pos, n);
        pos += n;
    } while (pos < data.size());
    std::uint32_t a = 1, b = 0;  // Adler-32, big-endian at the end
    for (unsigned char c : data) {
        a = (a + c) % 65521;
        b = (b + a) % 65521;
    }
    const std::uint32_t adler = (b << 16) | a;
    for (int k = 3; k >= 0; --k) z += static_cast<char>((adler >> (8 * k)) & 0xff);
    return z;
}

// `mat` with every top-level uncompressed variable wrapped in a miCOMPRESSED
// element (type 15) holding it as a zlib stream, as MATLAB's -v7 files do.
inline std::string compress_variables(const std::string& mat) {
    std::string out = mat.substr(0, 128);
    for (std::size_t at : elements(mat)) {
        const std::uint32_t type = get_u32(mat, at), size = get_u32(mat, at + 4);
        const std::size_t length = 8 + (type == 15 ? size : (size + 7) / 8 * 8);
        const std::string element = mat.substr(at, length);
        if (type != 14) {
            out += element;
            continue;
        }
        const std::string z = zlib_stored(mat.substr(at, 8 + size));
        out += u32_bytes(15) + u32_bytes(static_cast<std::uint32_t>(z.size())) + z;
    }
    return out;
}

// --- Files written by hand, byte by byte ---

// The 128-byte header of a little-endian MATLAB 5 file.
inline std::string header() {
    std::string h = "MATLAB 5.0 MAT-file, written by hand for tapegrad's tests";
    h.resize(124, ' ');
    return h + std::string("\x00\x01IM", 4);
}

inline std::string padded(std::string data) {
    data.resize((data.size() + 7) / 8 * 8, '\0');
    return data;
}

// A data element: tag (type, byte count) and the data, padded to 8 bytes.
inline std::string element(std::uint32_t type, const std::string& data) {
    return u32_bytes(type) + u32_bytes(static_cast<std::uint32_t>(data.size())) + padded(data);
}

// An miMATRIX element: array flags (class, complex), dimensions, name, then `rest`
// (the data elements, cells or fields), as MATLAB writes them.
inline std::string array(std::uint32_t class_type, const std::vector<std::uint32_t>& dims, const std::string& name,
                         const std::string& rest, bool complex = false) {
    std::string dim_bytes;
    for (std::uint32_t d : dims) dim_bytes += u32_bytes(d);
    const std::string content = element(6, u32_bytes(class_type | (complex ? 0x800u : 0u)) + u32_bytes(0)) +
                                element(5, dim_bytes) + element(1, name) + rest;
    return element(14, content);
}

// An miDOUBLE data element of the given values.
inline std::string doubles(const std::vector<double>& values) {
    std::string bytes(values.size() * 8, '\0');
    for (std::size_t k = 0; k < values.size(); ++k) std::memcpy(&bytes[k * 8], &values[k], 8);
    return element(9, bytes);
}

}  // namespace tapegrad_fuzz
