#include "plots.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

#include "output_files.hpp"

namespace tapegrad::examples {

namespace {

// Runs a gnuplot script. gnuplot's own messages go to a log file, not to the
// program's output (so --quiet stays quiet); when it fails they are the error.
void run_gnuplot(const std::string& script, const std::string& what) {
    static int calls = 0;
    const std::string log = (std::filesystem::temp_directory_path() /
                             ("tapegrad-gnuplot-" + std::to_string(::getpid()) + "-" + std::to_string(++calls) + ".log"))
                                .string();
    FILE* pipe = ::popen(("gnuplot > '" + log + "' 2>&1").c_str(), "w");
    if (pipe == nullptr) throw std::runtime_error("cannot start gnuplot to draw " + what);
    std::fwrite(script.data(), 1, script.size(), pipe);
    const int status = ::pclose(pipe);
    std::ifstream in(log);
    const std::string messages((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::error_code ec;
    std::filesystem::remove(log, ec);
    if (status != 0) {
        throw std::runtime_error("gnuplot failed to draw " + what + " (exit status " + std::to_string(status) +
                                 "; is gnuplot installed? Debian package gnuplot-nox): " + messages);
    }
}

// gnuplot string literal: single quotes, with ' doubled.
std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
    return q + "'";
}

}  // namespace

void require_gnuplot() {
    FILE* pipe = ::popen("gnuplot --version 2>/dev/null", "r");
    char line[128] = {0};
    const bool read = pipe != nullptr && std::fgets(line, sizeof line, pipe) != nullptr;
    const int status = pipe != nullptr ? ::pclose(pipe) : -1;
    if (!read || status != 0) {
        throw std::runtime_error("gnuplot is needed to draw the pictures but could not be run; install it with "
                                 "'apt-get install gnuplot-nox' (scripts/setup.sh does)");
    }
}

void plot_costs(const std::string& path, const std::string& title,
                const std::vector<std::pair<std::int64_t, double>>& costs) {
    std::ostringstream data;
    data.precision(17);
    std::size_t infinite = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& [i, c] : costs) {
        if (std::isfinite(c)) {
            data << i << ' ' << c << '\n';
            lo = std::min(lo, c);
            hi = std::max(hi, c);
        } else {
            ++infinite;
        }
    }
    std::string full_title = title;
    if (infinite > 0) full_title += " (" + std::to_string(infinite) + " infinite cost(s) not drawn)";
    const std::string tmp = temporary_name(path);
    std::ostringstream s;
    s << "set terminal svg size 640,400 dynamic enhanced font 'Helvetica,12' background rgb 'white'\n"
      << "set output " << quoted(tmp) << "\n"
      << "set title " << quoted(full_title) << " noenhanced\n"
      << "set xlabel 'iteration'\nset ylabel 'cost'\nset grid\nset key off\n"
      << "$costs << EOD\n" << data.str() << "EOD\n";
    if (costs.size() - infinite == 1) {  // a single point: give gnuplot an x range around it
        for (const auto& [i, c] : costs) {
            if (std::isfinite(c)) s << "set xrange [" << i - 1 << ":" << i + 1 << "]\n";
        }
    }
    if (lo == hi) {  // a flat curve (zeros initialization): give gnuplot a range around it
        const double pad = 0.05 * std::fabs(lo) + 1e-3;
        s << "set yrange [" << lo - pad << ":" << hi + pad << "]\n";
    }
    if (data.str().empty()) {
        s << "set xrange [0:1]\nset yrange [0:1]\nset label 'no finite cost to draw' at 0.5,0.5 center\nplot NaN\n";
    } else {
        s << "plot $costs using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#1f77b4'\n";
    }
    run_gnuplot(s.str(), "the cost curve " + path);
    commit_file(tmp, path);
}

void plot_decision_boundary(const std::string& path, const std::string& title, const mlp& model,
                            const dataset& points) {
    if (points.X.shape()[0] != 2) throw std::runtime_error("a decision boundary can only be drawn for 2-D inputs");
    // The plane around the points, with a margin, as the course's plot does.
    double lo[2], hi[2];
    for (std::size_t d = 0; d < 2; ++d) {
        lo[d] = hi[d] = points.X(d, 0);
        for (std::size_t j = 0; j < points.X.shape()[1]; ++j) {
            lo[d] = std::min(lo[d], points.X(d, j));
            hi[d] = std::max(hi[d], points.X(d, j));
        }
        const double margin = 0.1 * (hi[d] - lo[d]) + 1e-9;
        lo[d] -= margin;
        hi[d] += margin;
    }
    const std::size_t n = 240;
    matrix grid = matrix::from_shape({2, n * n});
    for (std::size_t a = 0; a < n; ++a) {
        for (std::size_t b = 0; b < n; ++b) {
            grid(0, a * n + b) = lo[0] + (hi[0] - lo[0]) * (static_cast<double>(b) + 0.5) / static_cast<double>(n);
            grid(1, a * n + b) = lo[1] + (hi[1] - lo[1]) * (static_cast<double>(a) + 0.5) / static_cast<double>(n);
        }
    }
    const matrix prediction = model.predict(grid);  // no tape
    std::ostringstream image, dots;
    image.precision(9);
    dots.precision(9);
    for (std::size_t k = 0; k < n * n; ++k) {
        // class 1: light blue, class 0: light red
        const bool one = prediction(0, k) == 1.0;
        image << grid(0, k) << ' ' << grid(1, k) << ' ' << (one ? "166 206 227" : "251 180 174") << '\n';
        if ((k + 1) % n == 0) image << '\n';
    }
    for (std::size_t j = 0; j < points.X.shape()[1]; ++j) {
        dots << points.X(0, j) << ' ' << points.X(1, j) << ' ' << (points.Y(0, j) == 1.0 ? 0x1f4e9a : 0xb2182b) << '\n';
    }
    const std::string tmp = temporary_name(path);
    std::ostringstream s;
    s << "set terminal pngcairo size 640,560 enhanced font 'Helvetica,11' background rgb 'white'\n"
      << "set output " << quoted(tmp) << "\n"
      << "set title " << quoted(title) << " noenhanced\n"
      << "set xlabel 'x1'\nset ylabel 'x2'\nset key off\nset size ratio -1\n"
      << "set xrange [" << lo[0] << ":" << hi[0] << "]\nset yrange [" << lo[1] << ":" << hi[1] << "]\n"
      << "$image << EOD\n" << image.str() << "EOD\n"
      << "$points << EOD\n" << dots.str() << "EOD\n"
      << "plot $image using 1:2:3:4:5 with rgbimage, "
      << "$points using 1:2:3 with points pt 7 ps 0.7 lc rgb variable\n";
    run_gnuplot(s.str(), "the decision boundary " + path);
    commit_file(tmp, path);
}

}  // namespace tapegrad::examples
