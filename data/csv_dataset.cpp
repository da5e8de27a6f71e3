// load_csv_dataset: a header row x1,...,xn,y, then one example per row.
#include <tapegrad/data/csv_dataset.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include <tapegrad/framework/error.hpp>

namespace tapegrad {

namespace {

std::string trim(const std::string& s) {
    const std::size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, ',')) cells.push_back(trim(cell));
    if (!line.empty() && line.back() == ',') cells.emplace_back();  // a trailing empty cell
    return cells;
}

// The whole cell must be a decimal number (strtod is correctly rounded, so
// values written with enough digits come back exactly). Hexadecimal is refused;
// nan and inf parse here and are refused by check_dataset as non-finite.
// Underflow to a subnormal or zero is accepted, overflow is not.
bool parse_number(const std::string& cell, double& value) {
    if (cell.empty() || cell.find_first_of("xX") != std::string::npos) return false;
    errno = 0;
    char* end = nullptr;
    value = std::strtod(cell.c_str(), &end);
    if (end != cell.c_str() + cell.size()) return false;
    return !(errno == ERANGE && std::isinf(value));
}

}  // namespace

dataset load_csv_dataset(const std::string& path, label_kind labels) {
    std::ifstream in(path);
    if (!in) throw file_error(path + ": cannot open the file (missing or unreadable)");
    std::string line;
    std::size_t line_no = 0;
    // The header: the first non-blank line. A UTF-8 byte-order mark (spreadsheets
    // write one) is not part of it: left in, it makes a number look like a name,
    // and a file without a header would lose its first example to one.
    while (std::getline(in, line)) {
        ++line_no;
        if (line_no == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
        if (!trim(line).empty()) break;
    }
    if (trim(line).empty()) throw file_error(path + ": the file is empty; expected a header row x1,...,xn,y and data");
    const std::vector<std::string> header = split(trim(line));
    double probe;
    if (header.size() < 2) {
        throw file_error(path + ": line " + std::to_string(line_no) + ": the header has " + std::to_string(header.size()) +
                         " column; expected at least 2 (features, then the label)");
    }
    if (parse_number(header[0], probe)) {
        throw file_error(path + ": line " + std::to_string(line_no) + ": the first row is numbers ('" + header[0] +
                         "' in column 1); expected a header row x1,...,xn,y naming the columns");
    }
    for (std::size_t c = 0; c < header.size(); ++c) {
        if (header[c].empty()) {
            throw file_error(path + ": line " + std::to_string(line_no) + ": column " + std::to_string(c + 1) +
                             " of the header has no name" +
                             (c + 1 == header.size() ? " (a comma at the end of the line?)" : "") +
                             "; every column needs one");
        }
    }
    const std::size_t columns = header.size();
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line)) {
        ++line_no;
        if (trim(line).empty()) continue;
        const std::vector<std::string> cells = split(trim(line));
        const std::string where = path + ": line " + std::to_string(line_no) + ": ";
        if (cells.size() != columns) {
            throw file_error(where + "has " + std::to_string(cells.size()) + " cells but the header has " +
                             std::to_string(columns) + " columns (a ragged row)");
        }
        std::vector<double> row(columns);
        for (std::size_t c = 0; c < columns; ++c) {
            if (cells[c].empty()) throw file_error(where + "column '" + header[c] + "' is empty (a missing cell)");
            if (!parse_number(cells[c], row[c])) {
                throw file_error(where + "column '" + header[c] + "' holds '" + cells[c] + "', which is not a number");
            }
        }
        rows.push_back(std::move(row));
    }
    if (rows.empty()) throw file_error(path + ": has a header but no data rows");
    const std::size_t m = rows.size(), n = columns - 1;
    dataset d{matrix::from_shape({n, m}), matrix::from_shape({1, m})};
    for (std::size_t j = 0; j < m; ++j) {
        for (std::size_t i = 0; i < n; ++i) d.X(i, j) = rows[j][i];
        d.Y(0, j) = rows[j][n];
    }
    check_dataset(d, path, labels);
    return d;
}

}  // namespace tapegrad
