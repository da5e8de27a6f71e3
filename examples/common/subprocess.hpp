// Runs a program as a child process, without a shell: feeds its standard input,
// collects its standard output and error, and its exit. The programs run gnuplot
// this way (a script in, a picture out), and tests/programs runs the programs.
// Written here rather than taken from a library: Debian's C++ process libraries
// (Boost.Process) would add a large dependency for one fork, exec and poll loop.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tapegrad::examples {

struct process_result {
    int status = -1;            // the exit status, when the program exited
    int signal = 0;             // the signal that ended it, or 0
    bool timed_out = false;     // killed after the timeout
    bool input_refused = false; // it stopped reading its standard input before the end
    std::string out, err;       // everything it wrote on stdout and stderr

    bool exited_with(int s) const { return signal == 0 && !timed_out && status == s; }
    // "exit status 2", "killed by signal 11 (Segmentation fault)", "timed out".
    std::string how() const;
};

struct run_options {
    std::string input;                     // written to its standard input, which is then closed
    std::string working_dir;               // "" = this process's
    std::vector<std::string> environment;  // NAME=value entries added to (or replacing) this process's
    int timeout_seconds = 600;
    // Limits set in the child before exec (0 = unchanged): RLIMIT_AS and RLIMIT_FSIZE, in bytes.
    std::uint64_t address_space_limit = 0;
    std::uint64_t file_size_limit = 0;
    // Its standard output goes to this file instead of being collected (e.g.
    // /dev/full), or is closed.
    std::string stdout_path;
    bool close_stdout = false;
    // Sends SIGINT this many milliseconds after the start (0: never), as Ctrl-C would.
    int interrupt_after_ms = 0;
};

// argv[0] is looked up in PATH when it has no slash. Throws std::runtime_error
// when the child cannot be started at all (no pipe, no process); a program that
// cannot be executed exits with status 127.
process_result run_process(const std::vector<std::string>& argv, const run_options& options = {});

}  // namespace tapegrad::examples
