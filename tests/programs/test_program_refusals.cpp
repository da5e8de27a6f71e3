// The programs refuse what they cannot do, with a message on stderr and a
// non-zero exit (2 for a bad option value, as the docs promise), before
// writing anything; --help lists every option.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "program_runs.hpp"

namespace fs = std::filesystem;

namespace program_tests {

namespace {

enum class folder { empty, absent };

// Runs `program` in `work` with `arguments` and a fresh --output-dir. It must
// exit with `status` (-1: any non-zero), print each of `messages` on stderr and
// leave the output folder absent, or at least empty.
void expect_refusal(const std::string& program, const std::string& work, const std::vector<std::string>& arguments,
                    const std::vector<std::string>& messages, int status = 2, folder out = folder::empty) {
    static int counter = 0;
    const std::string out_dir = work + "/out_" + std::to_string(++counter);
    std::vector<std::string> argv{program};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    argv.insert(argv.end(), {"--output-dir", out_dir});
    const process_result r = run(argv, work);
    std::string shown;
    for (const std::string& a : arguments) shown += " " + a;
    INFO(fs::path(program).filename().string() << shown << ": " << r.how() << "\nstderr: " << r.err);
    CHECK(r.signal == 0);
    CHECK_FALSE(r.timed_out);
    if (status < 0) {
        CHECK(r.status != 0);
    } else {
        CHECK(r.status == status);
    }
    for (const std::string& m : messages) {
        INFO("stderr must say '" << m << "'");
        CHECK(r.err.find(m) != std::string::npos);
    }
    if (fs::exists(out_dir)) {
        INFO("the output folder " << out_dir << " must " << (out == folder::absent ? "not exist" : "stay empty"));
        CHECK(out == folder::empty);
        CHECK(fs::is_empty(out_dir));
    }
}

void write(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}

// An output folder under a regular file can never be created (--iterations 1:
// should the check be missing, the run stays short).
void expect_output_folder_refused(const std::string& program, const std::string& work,
                                  const std::vector<std::string>& arguments) {
    write(work + "/afile", "");
    std::vector<std::string> argv{program};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    argv.insert(argv.end(), {"--quiet", "--output-dir", work + "/afile/out"});
    const process_result r = run(argv, work, 60);
    INFO("--output-dir under a regular file: " << r.how() << "\nstderr: " << r.err);
    CHECK((r.signal == 0 && !r.timed_out && r.status != 0));
    CHECK(r.err.find("cannot create the output folder") != std::string::npos);
}

void expect_help(const std::string& program, const std::string& work, const std::vector<std::string>& options) {
    const process_result r = run({program, "--help"}, work, 60);
    INFO("--help: " << r.how() << "\nstdout: " << r.out);
    CHECK(r.exited_with(0));
    for (const std::string& option : options) {
        INFO("--help must list " << option);
        CHECK(r.out.find(option) != std::string::npos);
    }
}

void check_experiment_refusals(const std::string& kind, const std::string& bad_runs) {
    const std::string program = example(kind), work = fresh_dir(kind + "_refusals");
    expect_refusal(program, work, {"--iterations", "-1"}, {"--iterations"});
    expect_refusal(program, work, {"--iterations", "abc"}, {"--iterations", "abc"});
    expect_refusal(program, work, {"--learning-rate", "0"}, {"--learning-rate"});
    expect_refusal(program, work, {"--learning-rate", "-0.5"}, {"--learning-rate"});
    expect_refusal(program, work, {"--runs", bad_runs}, {"--runs", "bogus"});
    expect_refusal(program, work, {"--seed", "-1"}, {"--seed"});
    expect_refusal(program, work, {"--seed", "4294967296"}, {"--seed"});
    expect_refusal(program, work, {"--frobnicate"}, {"--frobnicate"});
    std::vector<std::string> options{"--output-dir", "--iterations", "--learning-rate", "--runs", "--seed", "--quiet"};
    if (kind == "regularization") {
        expect_refusal(program, work, {"--lambd", "-0.7"}, {"--lambd"});
        expect_refusal(program, work, {"--keep-prob", "0"}, {"--keep-prob"});
        expect_refusal(program, work, {"--keep-prob", "1.5"}, {"--keep-prob"});
        expect_refusal(program, work, {"--keep-prob", "abc"}, {"--keep-prob", "abc"});
        expect_refusal(program, work, {"--data", "/nonexistent/file.mat"}, {"--data", "/nonexistent/file.mat"});
        // An existing test file, so that the refusal is about the missing --data.
        write(work + "/football_test.csv", "x1,x2,y\n0.5,0.5,1\n");
        expect_refusal(program, work, {"--test-data", work + "/football_test.csv"}, {"--test-data", "--data"});
        // A file of no known type is found only when the data is loaded, which
        // happens before the output folder is created: it must not even appear.
        write(work + "/x.txt", "x1,x2,y\n0.5,0.5,1\n");
        expect_refusal(program, work, {"--data", work + "/x.txt", "--iterations", "1", "--quiet"},
                       {"x.txt", "unknown data file type"}, -1, folder::absent);
        options.insert(options.end(), {"--data", "--test-data", "--lambd", "--keep-prob"});
    }
    expect_output_folder_refused(program, work, {"--iterations", "1"});
    expect_help(program, work, options);
    INFO("a refused command line must not fall back to the default output folder");
    CHECK_FALSE(fs::exists(work + "/results"));
}

}  // namespace

TEST_CASE("initialization refuses bad command lines and a bad output folder", "[programs][refusals]") {
    check_experiment_refusals("initialization", "zeros,bogus");
}

TEST_CASE("regularization refuses bad command lines, data files and a bad output folder", "[programs][refusals]") {
    check_experiment_refusals("regularization", "none,bogus");
}

TEST_CASE("optimization refuses bad command lines and a bad output folder", "[programs][refusals]") {
    const std::string program = example("optimization"), work = fresh_dir("optimization_refusals");
    expect_refusal(program, work, {"--edition", "2018"}, {"--edition", "2018"});
    expect_refusal(program, work, {"--runs", "gd,bogus"}, {"--runs", "bogus"});
    expect_refusal(program, work, {"--runs", ""}, {"--runs"});
    expect_refusal(program, work, {"--epochs", "0"}, {"--epochs"});
    expect_refusal(program, work, {"--epochs", "-5"}, {"--epochs"});
    expect_refusal(program, work, {"--epochs", "2.5"}, {"--epochs"});
    expect_refusal(program, work, {"--adam-epsilon", "middle"}, {"--adam-epsilon", "middle"});
    expect_refusal(program, work, {"--seed", "-1"}, {"--seed"});
    expect_refusal(program, work, {"--frobnicate"}, {"--frobnicate"});
    expect_output_folder_refused(program, work, {"--epochs", "1"});
    expect_help(program, work, {"--output-dir", "--edition", "--runs", "--adam-epsilon", "--epochs", "--seed", "--quiet"});
    CHECK_FALSE(fs::exists(work + "/results"));
}

TEST_CASE("gradient_checking refuses a bad output folder and bad options", "[programs][refusals]") {
    const std::string program = example("gradient_checking"), work = fresh_dir("gradient_checking_refusals");
    expect_output_folder_refused(program, work, {});
    // A bad option stops before any work: not even the default output folder appears.
    for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{{"--no-such-option"}, {"--output-dir"}}) {
        std::vector<std::string> argv{program};
        argv.insert(argv.end(), bad.begin(), bad.end());
        const process_result r = run(argv, work, 60);
        INFO(bad[0] << ": " << r.how() << "\nstderr: " << r.err);
        CHECK((r.signal == 0 && r.status != 0));
        CHECK(r.err.find(bad[0]) != std::string::npos);
    }
    CHECK_FALSE(fs::exists(work + "/results"));
}

#ifdef TAPEGRAD_BENCHMARKS_DIR  // only where the benchmarks are built (not the AddressSanitizer tree)
TEST_CASE("training_step refuses bad options with status 2 before measuring anything", "[programs][refusals]") {
    const std::string program = benchmark("training_step"), work = fresh_dir("training_step_refusals");
    const std::vector<std::vector<std::string>> cases = {{"--sizes", "S9"},         {"--sizes", "S1,S9"},
                                                         {"--implementations", "numpy"}, {"--repetitions", "0"},
                                                         {"--repetitions", "many"},  {"--no-such-option"},
                                                         {"--json", work + "/no-such-folder/out.json"}};
    for (const std::vector<std::string>& c : cases) {
        std::vector<std::string> argv{program};
        argv.insert(argv.end(), c.begin(), c.end());
        const process_result r = run(argv, work, 60);
        INFO("training_step " << c[0] << (c.size() > 1 ? " " + c[1] : "") << ": " << r.how() << "\n" << r.out << r.err);
        CHECK(r.exited_with(2));
        CHECK_FALSE(r.err.empty());
        CHECK(r.out.find("microseconds per step") == std::string::npos);
    }
    const process_result help = run({program, "--help"}, work, 60);
    CHECK(help.exited_with(0));
    CHECK(help.out.find("--smoke") != std::string::npos);
    CHECK(help.out.find("--json") != std::string::npos);
}
#endif

}  // namespace program_tests

namespace program_tests {

// TAPEGRAD_MATH (ops/math_mode.hpp) is read when a program starts: a value it
// does not know is refused before any work; the course's programs run glibc's
// math whatever it says, the others follow it.
TEST_CASE("the programs refuse an unknown TAPEGRAD_MATH and record the math they ran", "[programs][refusals]") {
    const std::string dir = fresh_dir("math_mode");
    run_options bad;
    bad.environment = {"TAPEGRAD_MATH=fast"};
    const process_result refused =
        run_process({example("multiclass"), "--epochs", "2", "--output-dir", dir + "/refused"}, bad);
    INFO(refused.how() << "\nstderr: " << refused.err);
    CHECK(refused.exited_with(2));
    CHECK(refused.err.find("multiclass: TAPEGRAD_MATH is \"fast\", expected \"vectorized\" or \"glibc\"") !=
          std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/refused/results.json"));

    run_options vectorized;
    vectorized.environment = {"TAPEGRAD_MATH=vectorized"};
    const process_result course = run_process(
        {example("initialization"), "--runs", "he", "--iterations", "30", "--quiet", "--output-dir", dir + "/course"},
        vectorized);
    INFO(course.how() << "\nstderr: " << course.err);
    REQUIRE(course.exited_with(0));
    CHECK(read_json(dir + "/course/results.json")["math"]["mode"] == "glibc");
    CHECK(course.out.find("Elementwise math: glibc's scalar functions") != std::string::npos);

    run_options glibc;
    glibc.environment = {"TAPEGRAD_MATH=glibc"};
    const process_result user = run_process(
        {example("multiclass"), "--epochs", "2", "--hidden", "8", "--points", "20", "--quiet", "--output-dir", dir + "/user"}, glibc);
    INFO(user.how() << "\nstderr: " << user.err);
    REQUIRE(user.exited_with(0));
    CHECK(read_json(dir + "/user/results.json")["math"]["mode"] == "glibc");
}

}  // namespace program_tests
