#include "experiment.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include <tapegrad/data/staged_file.hpp>
#include <tapegrad/framework/blas_kernel.hpp>
#include <tapegrad/framework/error.hpp>
#include <tapegrad/models/progress_line.hpp>
#include <tapegrad/ops/math_mode.hpp>

#include "output_files.hpp"
#include "plots.hpp"

namespace tapegrad::examples {

void add_output_dir_option(CLI::App& app, std::string& output_dir) {
    app.add_option("--output-dir", output_dir, "Folder for results.json, the pictures and report.html")
        ->type_name("DIR")
        ->capture_default_str();
}

void add_seed_option(CLI::App& app, std::int64_t& seed) {
    app.add_option("--seed", seed, "Seed of the weight initialization (numpy's np.random.seed)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{4294967295}))
        ->capture_default_str();
}

void add_common_options(CLI::App& app, common_options& o, const std::vector<std::string>& run_names) {
    add_output_dir_option(app, o.output_dir);
    app.add_option("--iterations", o.iterations, "Gradient descent iterations per run")
        ->check(number_above(0, true, true))
        ->capture_default_str();
    app.add_option("--learning-rate", o.learning_rate, "Learning rate")
        ->check(number_above(0, false))
        ->capture_default_str();
    std::string names;
    for (const std::string& n : run_names) names += (names.empty() ? "" : ",") + n;
    app.add_option("--runs", o.runs, "The runs to do, comma-separated: " + names)
        ->delimiter(',')
        ->check(CLI::IsMember(run_names))
        ->type_name("NAME,NAME")
        ->capture_default_str();
    add_seed_option(app, o.seed);
    app.add_flag("--quiet", o.quiet, "Print only the conclusion table");
}

namespace {

// The value of a command-line number, or nullopt when `s` is not one in full.
std::optional<double> parse_number(const std::string& s, bool whole) {
    try {
        std::size_t used = 0;
        const double v = whole ? static_cast<double>(std::stoll(s, &used)) : std::stod(s, &used);
        if (used != s.size() || !std::isfinite(v)) return std::nullopt;
        return v;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string number_text(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

}  // namespace

CLI::Validator number_above(double low, bool inclusive, bool whole) {
    const std::string expected = std::string(whole ? "a whole number" : "a number") + (inclusive ? " >= " : " > ") +
                                 number_text(low);
    return CLI::Validator(
        [=](std::string& s) -> std::string {
            const std::optional<double> v = parse_number(s, whole);
            if (!v || (inclusive ? *v < low : *v <= low)) return "expected " + expected + ", got '" + s + "'";
            return "";
        },
        expected);
}

CLI::Validator keep_prob_range() {
    return CLI::Validator(
        [](std::string& s) -> std::string {
            const std::optional<double> v = parse_number(s, false);
            if (!v || !(*v > 0.0 && *v <= 1.0)) return "expected a number in (0, 1], got '" + s + "'";
            return "";
        },
        "in (0, 1]");
}

std::optional<int> parse(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    return std::nullopt;
}

namespace {

// The conclusion's line on the elementwise math (ops/math_mode.hpp).
std::string math_description() {
    if (current_math_mode() == math_mode::glibc) return "glibc's scalar functions (numpy's results, bit for bit)";
    return std::string("vectorized (SLEEF, ") + vector_math_target() + ")";
}

std::string percent(double a) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * a);
    return buf;
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace

json cost_value(double c) {
    if (std::isfinite(c)) return c;
    return python_float(c);
}

bool experiment_record::failed() const {
    if (!summary_picture_error.empty()) return true;
    for (const run_record& r : runs) {
        if (!r.error.empty() || !r.picture_errors.empty()) return true;
    }
    return false;
}

void experiment_record::report_failures(const char* program) const {
    if (!summary_picture_error.empty()) {
        std::fprintf(stderr, "%s: %s (the numbers are in results.json)\n", program, summary_picture_error.c_str());
    }
    for (const run_record& r : runs) {
        if (!r.error.empty()) std::fprintf(stderr, "%s: run '%s' stopped: %s\n", program, r.name.c_str(), r.error.c_str());
        for (const std::string& e : r.picture_errors) {
            std::fprintf(stderr, "%s: run '%s': %s (its numbers are in results.json)\n", program, r.name.c_str(),
                         e.c_str());
        }
    }
}

run_record run_experiment(run_spec& spec, const split_dataset& data, bool quiet, const std::string& output_dir) {
    run_record r;
    r.name = spec.name;
    r.title = spec.title;
    r.comment = spec.comment;
    r.settings = spec.settings;
    r.course_accuracy = spec.course_accuracy;
    if (!quiet) std::printf("\n%s\n", spec.title.c_str());
    progress_line bar(!quiet, spec.name, spec.training.iterations, "iteration");
    training_options o = spec.training;
    o.on_record = [&](std::int64_t i, double cost) {
        r.costs.emplace_back(i, cost);  // kept as they come, so a run that stops keeps its costs
        bar.update(i, cost);
        if (!quiet && i % spec.print_every == 0) {
            bar.finish();
            std::printf("Cost after iteration %lld: %s\n", static_cast<long long>(i), python_float(cost).c_str());
        }
    };
    try {
        train(spec.model, data.train.X, data.train.Y, o);
    } catch (const anomaly_error& e) {
        bar.finish();
        r.error = e.what();
        if (!quiet) std::printf("Training stopped: %s\n", e.what());
        return r;
    }
    bar.finish();
    r.train_accuracy = spec.model.accuracy(data.train.X, data.train.Y);
    r.test_accuracy = spec.model.accuracy(data.test.X, data.test.Y);
    if (!quiet) {
        std::printf("On the train set:\nAccuracy: %s\n", python_float(r.train_accuracy).c_str());
        std::printf("On the test set:\nAccuracy: %s\n", python_float(r.test_accuracy).c_str());
    }
    draw_run_pictures(r, spec.model, data.train, output_dir);
    return r;
}

void draw_run_pictures(run_record& r, const mlp& model, const dataset& points, const std::string& output_dir) {
    namespace fs = std::filesystem;
    // A picture that cannot be drawn costs the picture, not the numbers.
    const std::string cost_picture = "cost_" + r.name + ".svg";
    try {
        plot_costs((fs::path(output_dir) / cost_picture).string(), r.title + ": cost", r.costs);
        r.cost_picture = cost_picture;
    } catch (const std::exception& e) {
        r.picture_errors.push_back(e.what());
    }
    if (points.X.shape()[0] != 2) {
        r.note = "no decision boundary: the data has " + std::to_string(points.X.shape()[0]) +
                 " features, and the picture shows a plane";
        return;
    }
    const std::string boundary_picture = "boundary_" + r.name + ".png";
    const std::string accuracies = r.has_test_set ? "train " + percent(r.train_accuracy) + ", test " +
                                                        percent(r.test_accuracy)
                                                  : "accuracy " + percent(r.train_accuracy);
    try {
        plot_decision_boundary((fs::path(output_dir) / boundary_picture).string(),
                               r.title + " (training set; " + accuracies + ")", model, points);
        r.boundary_picture = boundary_picture;
    } catch (const std::exception& e) {
        r.picture_errors.push_back(e.what());
    }
}

void draw_summary_picture(experiment_record& e, const std::string& name, const std::string& title,
                          const std::string& output_dir) {
    std::vector<std::pair<std::string, std::vector<std::pair<std::int64_t, double>>>> curves;
    for (const run_record& r : e.runs) curves.emplace_back(r.name, r.costs);
    try {
        plot_cost_curves((std::filesystem::path(output_dir) / name).string(), title, curves);
        e.summary_picture = name;
    } catch (const std::exception& err) {
        e.summary_picture_error = err.what();
    }
}

void print_conclusion(const experiment_record& e) {
    std::size_t width = 5;
    for (const run_record& r : e.runs) width = std::max(width, r.title.size());
    const int w = static_cast<int>(width);
    std::printf("\n%-*s  %-14s  %-14s  %s\n", w, "Model", "Train accuracy", "Test accuracy", "Problem/Comment");
    for (const run_record& r : e.runs) {
        const bool trained = r.error.empty();
        std::printf("%-*s  %-14s  %-14s  %s\n", w, r.title.c_str(), trained ? percent(r.train_accuracy).c_str() : "-",
                    trained && r.has_test_set ? percent(r.test_accuracy).c_str() : "-",
                    trained ? r.comment.c_str() : "training stopped (see above)");
    }
    const blas_kernel blas = current_blas_kernel();
    std::printf("\nMatrix products: OpenBLAS's %s kernels%s\n", blas.core.c_str(),
                blas.generic() ? " (generic on this AVX2 CPU: see the note at the start)" : "");
    std::printf("Elementwise math: %s\n", math_description().c_str());
}

int conclude(const experiment_record& e, const std::string& output_dir) {
    print_conclusion(e);
    write_results(e, output_dir);
    std::printf("\nReport: %s/report.html\n", output_dir.c_str());
    if (!e.failed()) return 0;
    e.report_failures(e.name.c_str());
    return 1;
}

void write_results(const experiment_record& e, const std::string& output_dir) {
    namespace fs = std::filesystem;
    json runs = json::array();
    for (const run_record& r : e.runs) {
        json costs = json::array();
        for (const auto& [i, c] : r.costs) costs.push_back(json::array({i, cost_value(c)}));
        auto name_or_null = [](const std::string& s) { return s.empty() ? json() : json(s); };
        const bool trained = r.error.empty();
        json run = {{"name", r.name}, {"settings", r.settings}, {"costs", costs},
                    {"train_accuracy", trained ? json(r.train_accuracy) : json()},
                    {"test_accuracy", trained && r.has_test_set ? json(r.test_accuracy) : json()},
                    {"comment", r.comment}, {"cost_picture", name_or_null(r.cost_picture)},
                    {"boundary_picture", name_or_null(r.boundary_picture)}};
        if (!r.error.empty()) run["error"] = r.error;
        if (!r.picture_errors.empty()) run["picture_errors"] = r.picture_errors;
        if (!r.note.empty()) run["note"] = r.note;
        if (r.course_accuracy) {
            run["course_train_accuracy"] = r.course_accuracy->first;
            run["course_test_accuracy"] = r.has_test_set ? json(r.course_accuracy->second) : json();
        }
        if (r.course_first_cost) run["course_first_cost"] = *r.course_first_cost;
        if (!r.checks.is_null()) run["checks"] = r.checks;
        runs.push_back(run);
    }
    const blas_kernel blas = current_blas_kernel();
    json results = {{"experiment", e.name},
                    {"data", e.data_description},
                    {"runs", runs},
                    {"blas", {{"core", blas.core}, {"config", blas.config}, {"cpu_has_avx2", blas.cpu_has_avx2},
                              {"generic", blas.generic()}}},
                    {"math", {{"mode", math_mode_name(current_math_mode())}, {"target", vector_math_target()}}}};
    if (!e.summary_picture.empty()) results["cost_picture"] = e.summary_picture;
    write_file_atomically((fs::path(output_dir) / "results.json").string(), results.dump(2) + "\n");

    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>tapegrad: " << html_escape(e.name)
      << "</title>\n<style>body{font-family:sans-serif;max-width:1400px;margin:2em auto;padding:0 1em}"
         "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}"
         "th{background:#f3f3f3}.run{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}"
         ".run img{max-width:640px;border:1px solid #ddd}.ok{color:#1a7f37}.off{color:#b42318}</style>\n"
         "</head><body>\n<h1>"
      << html_escape(e.title) << "</h1>\n<p>Data: " << html_escape(e.data_description) << "</p>\n";
    if (!e.summary_picture.empty()) {
        h << "<p><img src=\"" << html_escape(e.summary_picture) << "\" alt=\"cost curves\"></p>\n";
    }
    h << "<h2>Conclusion</h2>\n<table><tr><th>Model</th><th>Train accuracy</th><th>Test accuracy</th>"
         "<th>Course (train / test)</th><th>Problem/Comment</th></tr>\n";
    for (const run_record& r : e.runs) {
        const std::string train = r.error.empty() ? percent(r.train_accuracy) : "stopped";
        const std::string test = !r.error.empty() ? "stopped" : r.has_test_set ? percent(r.test_accuracy) : "&ndash;";
        h << "<tr><td>" << html_escape(r.title) << "</td><td>" << train << "</td><td>" << test << "</td><td>";
        if (r.course_accuracy && r.error.empty()) {
            const bool same = std::fabs(r.course_accuracy->first - r.train_accuracy) < 1e-9 &&
                              (!r.has_test_set || std::fabs(r.course_accuracy->second - r.test_accuracy) < 1e-9);
            h << "<span class=\"" << (same ? "ok" : "off") << "\">" << percent(r.course_accuracy->first);
            if (r.has_test_set) h << " / " << percent(r.course_accuracy->second);
            h << (same ? " (reproduced)" : " (differs)") << "</span>";
        } else {
            h << "&ndash;";
        }
        h << "</td><td>" << html_escape(r.comment) << "</td></tr>\n";
    }
    h << "</table>\n";
    for (const run_record& r : e.runs) {
        h << "<h2>" << html_escape(r.title) << "</h2>\n<p>Settings: <code>" << html_escape(r.settings.dump())
          << "</code><br>Cost at " << e.unit << " 0: "
          << html_escape(r.costs.empty() ? "none (no " + e.unit + "s)" : python_float(r.costs.front().second));
        if (r.course_first_cost && !r.costs.empty()) {
            // The course prints it with %f: the same to 6 decimals is the same number.
            const bool same = std::fabs(*r.course_first_cost - r.costs.front().second) <= 5e-7;
            char printed[32];
            std::snprintf(printed, sizeof printed, "%f", *r.course_first_cost);
            h << " <span class=\"" << (same ? "ok" : "off") << "\">(the course's " << printed
              << (same ? ", reproduced)" : ", differs)") << "</span>";
        }
        h << "; last recorded cost: "
          << html_escape(r.costs.empty() ? std::string("none") : python_float(r.costs.back().second)) << " ("
          << e.unit << " " << (r.costs.empty() ? 0 : r.costs.back().first) << ")<br>";
        if (r.error.empty()) {
            h << "Train accuracy " << python_float(r.train_accuracy);
            if (r.has_test_set) h << ", test accuracy " << python_float(r.test_accuracy);
        } else {
            h << "<span class=\"off\">Training stopped: " << html_escape(r.error) << "</span>";
        }
        h << "</p>\n";
        for (const std::string& e : r.picture_errors) h << "<p class=\"off\">" << html_escape(e) << "</p>\n";
        if (!r.note.empty()) h << "<p>" << html_escape(r.note) << "</p>\n";
        if (!r.checks.is_null()) h << "<p>Checks before training: <code>" << html_escape(r.checks.dump()) << "</code></p>\n";
        h << "<div class=\"run\">";
        if (!r.cost_picture.empty()) h << "<img src=\"" << html_escape(r.cost_picture) << "\" alt=\"cost curve\">";
        if (!r.boundary_picture.empty()) {
            h << "<img src=\"" << html_escape(r.boundary_picture) << "\" alt=\"decision boundary\">";
        }
        h << "</div>\n";
    }
    h << "<p>Matrix products: OpenBLAS's " << html_escape(blas.core) << " kernels (" << html_escape(blas.config) << ")";
    if (blas.generic()) h << " <span class=\"off\">" << html_escape(blas.warning()) << "</span>";
    h << "</p>\n<p>Elementwise math: " << html_escape(math_description());
    h << "</p>\n<p><a href=\"results.json\">results.json</a> holds every recorded cost.</p>\n</body></html>\n";
    write_file_atomically((fs::path(output_dir) / "report.html").string(), h.str());
}

}  // namespace tapegrad::examples
