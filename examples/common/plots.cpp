#include "plots.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include <tapegrad/data/staged_file.hpp>

#include "subprocess.hpp"

namespace tapegrad::examples {

namespace {

// Whether `bytes` is a whole picture of the kind: gnuplot exits 0 even when it
// could not finish one, so a picture is checked before it is kept.
bool complete_png(const std::string& bytes) {
    static const std::string signature("\x89PNG\r\n\x1a\n", 8);
    static const std::string iend("\0\0\0\0IEND\xae\x42\x60\x82", 12);
    return bytes.size() > signature.size() + iend.size() && bytes.compare(0, signature.size(), signature) == 0 &&
           bytes.compare(bytes.size() - iend.size(), iend.size(), iend) == 0;
}

bool complete_svg(const std::string& bytes) {
    const std::size_t end = bytes.find_last_not_of(" \t\r\n");
    return bytes.find("<svg") != std::string::npos && end != std::string::npos && end >= 5 &&
           bytes.compare(end - 5, 6, "</svg>") == 0;
}

// Runs gnuplot (no shell) on a script that draws to its standard output, checks
// that a whole picture came out, and writes it to `path` through a staged file.
// gnuplot's own messages are collected, not shown (so --quiet stays quiet); when
// it fails they are the error.
void draw(const std::string& script, const std::string& path, const std::string& what, bool png) {
    run_options o;
    o.input = script;
    o.timeout_seconds = 120;
    process_result r;
    try {
        r = run_process({"gnuplot"}, o);
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot run gnuplot to draw " + what + ": " + e.what());
    }
    const bool complete = png ? complete_png(r.out) : complete_svg(r.out);
    if (!r.exited_with(0) || r.input_refused || !complete) {
        std::string why = r.exited_with(0) ? "" : "gnuplot " + r.how();
        if (r.input_refused) why += std::string(why.empty() ? "" : ", ") + "it stopped reading its script";
        if (!complete) why += std::string(why.empty() ? "" : ", ") + "its output is not a complete picture";
        throw std::runtime_error("gnuplot could not draw " + what + " (" + why + ")" +
                                 (r.err.empty() ? std::string() : ": " + r.err));
    }
    write_file_atomically(path, r.out);
}

// gnuplot string literal: single quotes, with ' doubled (titles only; no path
// ever goes into a script).
std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) {
        if (c == '\n' || c == '\r') {
            q += ' ';
        } else {
            q += c == '\'' ? std::string("''") : std::string(1, c);
        }
    }
    return q + "'";
}

// [lo, hi] widened so gnuplot gets a range even for one value, computed so that
// values near the largest doubles do not overflow.
void padded_range(double& lo, double& hi, double fraction) {
    const double half = hi / 2.0 - lo / 2.0;
    const double pad = half > 0.0 ? 2.0 * fraction * half : 0.05 * std::fabs(lo) + 1e-3;
    lo = lo - pad;
    hi = hi + pad;
}

}  // namespace

void require_gnuplot() {
    run_options o;
    o.timeout_seconds = 30;
    process_result r;
    try {
        r = run_process({"gnuplot", "--version"}, o);
    } catch (const std::exception&) {
        r.status = 127;
    }
    if (!r.exited_with(0)) {
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
    std::ostringstream s;
    s << "set terminal svg size 640,400 dynamic enhanced font 'Helvetica,12' background rgb 'white'\n"
      << "set title " << quoted(full_title) << " noenhanced\n"
      << "set xlabel 'iteration'\nset ylabel 'cost'\nset grid\nset key off\n"
      << "$costs << EOD\n" << data.str() << "EOD\n";
    if (costs.size() - infinite == 1) {  // a single point: give gnuplot an x range around it
        for (const auto& [i, c] : costs) {
            if (std::isfinite(c)) s << "set xrange [" << i - 1 << ":" << i + 1 << "]\n";
        }
    }
    if (lo == hi) {  // a flat curve (zeros initialization): give gnuplot a range around it
        padded_range(lo, hi, 0.0);
        s << "set yrange [" << lo << ":" << hi << "]\n";
    }
    if (data.str().empty()) {
        s << "set xrange [0:1]\nset yrange [0:1]\nset label 'no finite cost to draw' at 0.5,0.5 center\nplot NaN\n";
    } else {
        s << "plot $costs using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#1f77b4'\n";
    }
    draw(s.str(), path, "the cost curve " + path, false);
}

void plot_cost_curves(const std::string& path, const std::string& title,
                      const std::vector<std::pair<std::string, std::vector<std::pair<std::int64_t, double>>>>& curves) {
    static const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"};
    std::ostringstream s;
    s.precision(17);
    s << "set terminal svg size 720,440 dynamic enhanced font 'Helvetica,12' background rgb 'white'\n"
      << "set title " << quoted(title) << " noenhanced\n"
      << "set xlabel 'epoch'\nset ylabel 'cost'\nset grid\nset key top right noenhanced\n";
    std::string plot;
    for (std::size_t k = 0; k < curves.size(); ++k) {
        s << "$c" << k << " << EOD\n";
        std::size_t points = 0;
        for (const auto& [i, c] : curves[k].second) {
            if (!std::isfinite(c)) continue;
            s << i << ' ' << c << '\n';
            ++points;
        }
        s << "EOD\n";
        if (points == 0) continue;
        plot += std::string(plot.empty() ? "plot " : ", ") + "$c" + std::to_string(k) + " using 1:2 with lines lw 2 lc rgb '" +
                colours[k % (sizeof colours / sizeof colours[0])] + "' title " + quoted(curves[k].first);
    }
    if (plot.empty()) {
        s << "set xrange [0:1]\nset yrange [0:1]\nset label 'no finite cost to draw' at 0.5,0.5 center\nplot NaN notitle\n";
    } else {
        s << plot << "\n";
    }
    draw(s.str(), path, "the cost curves " + path, false);
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
        padded_range(lo[d], hi[d], 0.1);
    }
    const std::size_t n = 240;
    matrix grid = matrix::from_shape({2, n * n});
    for (std::size_t a = 0; a < n; ++a) {
        for (std::size_t b = 0; b < n; ++b) {
            // lo (1 - t) + hi t: no overflow for coordinates near the largest doubles
            const double tb = (static_cast<double>(b) + 0.5) / static_cast<double>(n);
            const double ta = (static_cast<double>(a) + 0.5) / static_cast<double>(n);
            grid(0, a * n + b) = lo[0] * (1.0 - tb) + hi[0] * tb;
            grid(1, a * n + b) = lo[1] * (1.0 - ta) + hi[1] * ta;
        }
    }
    const matrix prediction = model.predict(grid);  // no tape; row 0: the class (0/1, or 0 .. K-1)
    // A light colour per class for the regions and a dark one for its points:
    // class 0 red, class 1 blue (the course's two), then green, orange, purple, brown.
    static const char* const region[] = {"251 180 174", "166 206 227", "178 223 138",
                                         "253 205 172", "203 201 226", "229 216 189"};
    static const int point[] = {0xb2182b, 0x1f4e9a, 0x33a02c, 0xe66101, 0x6a3d9a, 0x8c510a};
    const std::size_t colours = sizeof point / sizeof point[0];
    auto colour_of = [&](double label) {
        // A class beyond the palette reuses it; a NaN prediction draws as class 0.
        return label >= 0.0 ? static_cast<std::size_t>(label) % colours : 0;
    };
    std::ostringstream image, dots;
    image.precision(9);
    dots.precision(9);
    for (std::size_t k = 0; k < n * n; ++k) {
        image << grid(0, k) << ' ' << grid(1, k) << ' ' << region[colour_of(prediction(0, k))] << '\n';
        if ((k + 1) % n == 0) image << '\n';
    }
    for (std::size_t j = 0; j < points.X.shape()[1]; ++j) {
        dots << points.X(0, j) << ' ' << points.X(1, j) << ' ' << point[colour_of(points.Y(0, j))] << '\n';
    }
    std::ostringstream s;
    s << "set terminal pngcairo size 640,560 enhanced font 'Helvetica,11' background rgb 'white'\n"
      << "set title " << quoted(title) << " noenhanced\n"
      << "set xlabel 'x1'\nset ylabel 'x2'\nset key off\nset size ratio -1\n"
      << "set xrange [" << lo[0] << ":" << hi[0] << "]\nset yrange [" << lo[1] << ":" << hi[1] << "]\n"
      << "$image << EOD\n" << image.str() << "EOD\n"
      << "$points << EOD\n" << dots.str() << "EOD\n"
      << "plot $image using 1:2:3:4:5 with rgbimage, "
      << "$points using 1:2:3 with points pt 7 ps 0.7 lc rgb variable\n";
    draw(s.str(), path, "the decision boundary " + path, true);
}

}  // namespace tapegrad::examples
