// The programs under real conditions: a full disk, a broken picture helper,
// awkward data and folders, an attacker's TMPDIR and symbolic links, Ctrl-C,
// a closed or full standard output, a memory limit. Each case ends in a clear
// message, a non-zero exit where something failed, nothing half-written under
// a final name, and the numbers kept.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "program_runs.hpp"

namespace fs = std::filesystem;

namespace program_tests {

namespace {

run_options quiet_options() {
    run_options o;
    o.timeout_seconds = 300;
    return o;
}

process_result run_program(const std::string& program, std::vector<std::string> arguments, const run_options& o) {
    arguments.insert(arguments.begin(), program);
    return run_process(arguments, o);
}

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// No temporary is left, and every picture under a final name is whole.
void check_no_debris(const std::string& dir) {
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        INFO(dir << ": " << name);
        CHECK(name.find(".tmp-") == std::string::npos);
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".png") == 0) {
            const std::string png = read_file(entry.path().string());
            CHECK(png.size() > 12);
            CHECK(png.compare(png.size() - 8, 4, "IEND") == 0);
        }
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".svg") == 0) {
            CHECK(read_file(entry.path().string()).find("</svg>") != std::string::npos);
        }
    }
}

// A CSV data set: header x1..xn,y then the rows.
std::string csv(const std::vector<std::vector<double>>& rows) {
    std::string s;
    for (std::size_t c = 0; c + 1 < rows[0].size(); ++c) s += "x" + std::to_string(c + 1) + ",";
    s += "y\n";
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            std::ostringstream v;
            v.precision(17);
            v << row[c];
            s += v.str() + (c + 1 < row.size() ? "," : "\n");
        }
    }
    return s;
}

std::vector<std::vector<double>> points(std::size_t m, std::size_t features, double scale) {
    std::vector<std::vector<double>> rows;
    for (std::size_t j = 0; j < m; ++j) {
        std::vector<double> row;
        for (std::size_t c = 0; c < features; ++c) row.push_back(scale * std::sin(1.7 * j + 0.9 * c));
        row.push_back(row[0] > 0.0 ? 1.0 : 0.0);
        rows.push_back(row);
    }
    return rows;
}

}  // namespace

TEST_CASE("a disk that fills up costs the pictures, never the numbers", "[programs][reliability]") {
    const std::string dir = fresh_dir("full_disk");
    run_options o = quiet_options();
    o.file_size_limit = 16 * 1024;  // results.json and report.html fit; no picture does
    const process_result r =
        run_program(example("initialization"), {"--iterations", "200", "--quiet", "--runs", "he", "--output-dir", dir}, o);
    INFO(r.how() << "\nstderr: " << r.err);
    CHECK(r.exited_with(1));
    CHECK(r.err.find("writing failed") != std::string::npos);
    CHECK(r.err.find("its numbers are in results.json") != std::string::npos);
    const json doc = read_json(dir + "/results.json");
    CHECK(doc["runs"][0]["costs"].size() == 1);
    CHECK(doc["runs"][0]["train_accuracy"].is_number());
    CHECK(doc["runs"][0]["picture_errors"].size() == 2);
    CHECK(doc["runs"][0]["cost_picture"].is_null());
    check_no_debris(dir);
}

TEST_CASE("a picture helper that dies or writes garbage is reported; the run's numbers stay", "[programs][reliability]") {
    const std::string fake = fresh_dir("fake_gnuplot");
    const std::string path_env = "PATH=" + fake + ":" + std::string(std::getenv("PATH") ? std::getenv("PATH") : "");
    for (const std::string& behaviour : {std::string("head -c 64 > /dev/null; kill -9 $$"),  // dies reading its script
                                         std::string("cat > /dev/null; echo '<svg'; exit 0")}) {  // half a picture
        write(fake + "/gnuplot", "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'gnuplot 5.4'; exit 0; fi\n" +
                                     behaviour + "\n");
        ::chmod((fake + "/gnuplot").c_str(), 0755);
        const std::string dir = fresh_dir("fake_gnuplot_run");
        run_options o = quiet_options();
        o.environment = {path_env};
        const process_result r = run_program(example("initialization"), {"--iterations", "200", "--runs", "zeros",
                                                                          "--output-dir", dir}, o);
        INFO(behaviour << ": " << r.how() << "\nstdout: " << r.out << "\nstderr: " << r.err);
        CHECK(r.exited_with(1));  // not killed by SIGPIPE
        CHECK(r.err.find("gnuplot could not draw") != std::string::npos);
        CHECK(r.out.find("Train accuracy") != std::string::npos);  // the console output is all there
        CHECK(read_json(dir + "/results.json")["runs"][0]["picture_errors"].size() == 2);
        check_no_debris(dir);
    }
}

TEST_CASE("data that passes the up-front checks trains and reports, or fails cleanly", "[programs][reliability]") {
    const std::string data = fresh_dir("awkward_data");
    struct awkward {
        std::string name;
        std::vector<std::vector<double>> train, test;
        int status;
        std::string message;  // on stderr when it fails, or on stdout
    };
    std::vector<std::vector<double>> one = {{0.5, -0.25, 1.0}};
    std::vector<std::vector<double>> constant = points(30, 2, 1.0);
    for (auto& row : constant) row[1] = 0.5;
    const std::vector<awkward> cases = {
        {"three_features", points(40, 3, 1.0), points(10, 3, 1.0), 0, "no decision boundary is drawn"},
        {"one_example", one, one, 0, ""},
        {"constant_feature", constant, constant, 0, ""},
        {"huge_features", points(30, 2, 1e308), points(10, 2, 1e308), 1, "stopped"},
    };
    for (const awkward& c : cases) {
        write(data + "/" + c.name + "_train.csv", csv(c.train));
        write(data + "/" + c.name + "_test.csv", csv(c.test));
        const std::string dir = fresh_dir("awkward_" + c.name);
        const process_result r = run_program(example("regularization"), {"--iterations", "200", "--data",
                                                                          data + "/" + c.name + "_train.csv",
                                                                          "--output-dir", dir}, quiet_options());
        INFO(c.name << ": " << r.how() << "\nstdout: " << r.out << "\nstderr: " << r.err);
        CHECK(r.exited_with(c.status));
        CHECK((r.out + r.err).find(c.message) != std::string::npos);
        const json doc = read_json(dir + "/results.json");
        CHECK(doc["runs"].size() == 3);
        if (c.status == 0) {
            for (const json& run : doc["runs"]) CHECK(run["cost_picture"].is_string());
        } else {
            for (const json& run : doc["runs"]) CHECK(run.contains("error"));
        }
        check_no_debris(dir);
    }
}

TEST_CASE("output folders with a newline or a very long name", "[programs][reliability]") {
    const std::string base = fresh_dir("folder_names");
    const std::string newline = base + "/two\nlines";
    const process_result a = run_program(example("initialization"), {"--iterations", "200", "--quiet", "--runs", "he",
                                                                      "--output-dir", newline}, quiet_options());
    INFO(a.how() << "\n" << a.err);
    CHECK(a.exited_with(0));
    CHECK(fs::exists(newline + "/boundary_he.png"));
    check_no_debris(newline);

    // Components of 200 characters up to about 4070 in all: the folder can be
    // made, but no file name fits inside it. Refused before any work.
    std::string deep = base;
    while (deep.size() < 4070) deep += "/" + std::string(std::min<std::size_t>(200, 4070 - deep.size()), 'd');
    const process_result b = run_program(example("initialization"), {"--quiet", "--output-dir", deep}, quiet_options());
    INFO(b.how() << "\n" << b.err);
    CHECK(b.exited_with(1));
    CHECK(b.err.find("cannot write in the output folder") != std::string::npos);
    CHECK(b.out.find("Model") == std::string::npos);  // nothing was trained
}

TEST_CASE("TMPDIR is neither needed nor run as a command", "[programs][reliability]") {
    const std::string base = fresh_dir("tmpdir");
    for (const std::string& tmpdir : {base + "/does/not/exist", "$(touch " + base + "/pwned)"}) {
        const std::string dir = fresh_dir("tmpdir_run");
        run_options o = quiet_options();
        o.environment = {"TMPDIR=" + tmpdir};
        const process_result r = run_program(example("initialization"), {"--iterations", "200", "--quiet", "--runs",
                                                                          "zeros", "--output-dir", dir}, o);
        INFO(tmpdir << ": " << r.how() << "\n" << r.err);
        CHECK(r.exited_with(0));
        CHECK_FALSE(fs::exists(base + "/pwned"));
    }
}

TEST_CASE("a symbolic link planted at an output's name is replaced, its target untouched", "[programs][reliability]") {
    const std::string dir = fresh_dir("planted_links");
    const std::string victim = fresh_dir("planted_links_victim") + "/victim";
    write(victim, "keep me");
    fs::create_symlink(victim, dir + "/results.json");
    fs::create_symlink(victim, dir + "/results.json.tmp-00000000");
    const process_result r = run_program(example("initialization"), {"--iterations", "200", "--quiet", "--runs", "he",
                                                                      "--output-dir", dir}, quiet_options());
    INFO(r.how() << "\n" << r.err);
    CHECK(r.exited_with(0));
    CHECK(read_file(victim) == "keep me");
    CHECK(fs::is_regular_file(fs::symlink_status(dir + "/results.json")));
}

TEST_CASE("Ctrl-C at any moment leaves no temporary file behind", "[programs][reliability]") {
    for (int ms : {150, 400, 700, 1000, 1300}) {
        const std::string dir = fresh_dir("interrupted");
        run_options o = quiet_options();
        o.interrupt_after_ms = ms;
        const process_result r =
            run_program(example("initialization"), {"--iterations", "3000", "--quiet", "--output-dir", dir}, o);
        INFO("interrupted after " << ms << " ms: " << r.how());
        CHECK((r.signal == SIGINT || r.exited_with(0)));  // 0: it finished first
        check_no_debris(dir);
    }
}

TEST_CASE("a closed or full standard output is reported", "[programs][reliability]") {
    const std::string dir = fresh_dir("stdout");
    run_options closed = quiet_options();
    closed.close_stdout = true;
    const process_result a = run_program(example("initialization"), {"--iterations", "200", "--runs", "zeros",
                                                                      "--output-dir", dir}, closed);
    INFO(a.how() << "\n" << a.err);
    CHECK(a.exited_with(2));
    CHECK(a.err.find("standard output is closed") != std::string::npos);

    run_options full = quiet_options();
    full.stdout_path = "/dev/full";
    const process_result b = run_program(example("initialization"), {"--iterations", "200", "--runs", "zeros",
                                                                      "--output-dir", dir}, full);
    INFO(b.how() << "\n" << b.err);
    CHECK(b.exited_with(1));
    CHECK(b.err.find("could not write to standard output") != std::string::npos);
}

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer reserves terabytes of address space: no run under ulimit -v.
#else
TEST_CASE("under an address-space limit the programs fail with a message or run, never hang", "[programs][reliability]") {
    const std::string dir = fresh_dir("address_space");
    run_options tight = quiet_options();
    tight.timeout_seconds = 60;
    tight.address_space_limit = 150u << 20;  // less than OpenBLAS's 128 MB buffer on top of the program
    const process_result a = run_program(example("initialization"), {"--iterations", "200", "--quiet", "--runs", "he",
                                                                      "--output-dir", dir}, tight);
    INFO(a.how() << "\n" << a.err);
    CHECK_FALSE(a.timed_out);
    CHECK(a.exited_with(1));
    CHECK(a.err.find("OpenBLAS needs 128 MB") != std::string::npos);

    run_options enough = quiet_options();
    enough.timeout_seconds = 120;
    enough.address_space_limit = 600u << 20;
    const process_result b = run_program(example("initialization"), {"--iterations", "200", "--quiet", "--runs", "he",
                                                                      "--output-dir", dir}, enough);
    INFO(b.how() << "\n" << b.err);
    CHECK(b.exited_with(0));
}

TEST_CASE("the gradient checker runs its evaluations itself when it cannot start threads", "[programs][reliability]") {
    // The checker asks for 200 workers under a limit that leaves room for a few
    // thread stacks only (tests/test_gradient_check.cpp's hidden case).
    run_options o = quiet_options();
    o.address_space_limit = 400u << 20;
    o.environment = {"OPENBLAS_NUM_THREADS=1"};
    const process_result r = run_process({TAPEGRAD_TESTS_PROGRAM, "[.thread_limit]"}, o);
    INFO(r.how() << "\n" << r.out << r.err);
    CHECK(r.exited_with(0));
    CHECK(r.out.find("All tests passed") != std::string::npos);
}
#endif

}  // namespace program_tests
