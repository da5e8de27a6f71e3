// Runs a program as a child process and collects what it did: exit status,
// stdout, stderr. The program tests run the example programs and the benchmark
// this way. Written here rather than taken from a library: Debian's C++
// process libraries (Boost.Process) would add a large dependency for one
// fork, exec and poll loop.
#pragma once

#include <string>
#include <vector>

namespace program_tests {

struct process_result {
    int status = -1;          // the exit status, when the program exited
    int signal = 0;           // the signal that ended it, or 0
    bool timed_out = false;   // killed after the timeout
    std::string out, err;     // everything it wrote on stdout and stderr

    bool exited_with(int s) const { return signal == 0 && !timed_out && status == s; }
    // "exit status 2", "killed by signal 11", "timed out": for failure messages.
    std::string how() const;
};

struct run_options {
    std::string working_dir;              // "" = the test's own
    std::vector<std::string> environment;  // NAME=value entries added to (or replacing) the test's
    int timeout_seconds = 600;
};

// argv[0] is the program's path. stdin is /dev/null.
process_result run(const std::vector<std::string>& argv, const run_options& options = {});

}  // namespace program_tests
