// staged_file: nothing half-written under a final name, temporaries created
// exclusively and never through a link, and removed on failure and on Ctrl-C.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <tapegrad/data.hpp>

#include "test_support.hpp"

using namespace tapegrad;
namespace fs = std::filesystem;

namespace {

std::size_t temporaries(const fs::path& dir) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir)) n += e.path().filename().string().find(".tmp-") != std::string::npos;
    return n;
}

}  // namespace

TEST_CASE("a staged file appears under its name only when committed", "[staged_file]") {
    const test_support::scratch_dir dir("staged");
    {
        staged_file f(dir / "out.txt");
        f.write("half");
        CHECK_FALSE(fs::exists(dir / "out.txt"));
        CHECK(temporaries(dir.path()) == 1);
        // Two at once get different temporaries.
        staged_file g(dir / "out.txt");
        CHECK(g.temporary() != f.temporary());
        g.write("second");
        g.commit();
        CHECK(test_support::read_bytes(dir / "out.txt") == "second");
    }  // f is dropped uncommitted
    CHECK(temporaries(dir.path()) == 0);
    CHECK(test_support::read_bytes(dir / "out.txt") == "second");
}

TEST_CASE("a staged file replaces a link planted at its name without touching the link's target", "[staged_file]") {
    const test_support::scratch_dir dir("staged_links");
    const std::string victim = test_support::write_bytes(dir / "victim", "keep me");
    fs::create_symlink(victim, dir / "out.json");
    write_file_atomically(dir / "out.json", "{}");
    CHECK(test_support::read_bytes(victim) == "keep me");
    CHECK(fs::is_regular_file(fs::symlink_status(dir / "out.json")));
}

TEST_CASE("a failed write removes the temporary and says why", "[staged_file]") {
    const test_support::scratch_dir dir("staged_fail");
    CHECK_THROWS_MATCHES(staged_file(dir / "no_such_folder/x"), file_error,
                         test_support::message_contains({"no_such_folder", "cannot open the file for writing"}));
    staged_file f(dir / "y");
    f.commit();
    CHECK_THROWS_AS(f.write("late"), file_error);
    CHECK(temporaries(dir.path()) == 0);
}

TEST_CASE("SIGINT removes every staged file not yet committed, then ends the program", "[staged_file]") {
    const test_support::scratch_dir dir("staged_interrupt");
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {  // the child: two files half-written, one committed, then Ctrl-C
        remove_staged_files_on_interrupt();
        staged_file a(dir / "a"), b(dir / "b"), c(dir / "c");
        a.write("half");
        b.write("half");
        c.write("whole");
        c.commit();
        std::raise(SIGINT);
        _exit(0);  // not reached
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGINT);
    CHECK(temporaries(dir.path()) == 0);
    CHECK_FALSE(fs::exists(dir / "a"));
    CHECK(test_support::read_bytes(dir / "c") == "whole");
}
