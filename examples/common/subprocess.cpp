#include "subprocess.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace tapegrad::examples {

std::string process_result::how() const {
    if (timed_out) return "timed out";
    if (signal != 0) return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
    return "exit status " + std::to_string(status);
}

namespace {

// This process's environment with `extra` entries added or replacing same-named ones.
std::vector<std::string> environment_with(const std::vector<std::string>& extra) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        const std::string name = entry.substr(0, entry.find('='));
        bool replaced = false;
        for (const std::string& x : extra) replaced = replaced || x.substr(0, x.find('=')) == name;
        if (!replaced) env.push_back(entry);
    }
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> p;
    for (std::string& s : strings) p.push_back(s.data());
    p.push_back(nullptr);
    return p;
}

struct pipe_pair {
    int read = -1, write = -1;
};

pipe_pair make_pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("cannot make a pipe: ") + std::strerror(errno));
    return {fds[0], fds[1]};
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// In the child, after fork: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(std::vector<char*>& argv, std::vector<char*>& env, const run_options& o, int in, int out,
                             int err) {
    if (dup2(in, 0) < 0 || dup2(err, 2) < 0) _exit(126);
    if (o.close_stdout) {
        ::close(1);
    } else if (!o.stdout_path.empty()) {
        const int f = ::open(o.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (f < 0 || dup2(f, 1) < 0) _exit(126);
    } else if (dup2(out, 1) < 0) {
        _exit(126);
    }
    if (!o.working_dir.empty() && chdir(o.working_dir.c_str()) != 0) _exit(126);
    if (o.address_space_limit != 0) {
        const rlimit r{o.address_space_limit, o.address_space_limit};
        if (setrlimit(RLIMIT_AS, &r) != 0) _exit(126);
    }
    if (o.file_size_limit != 0) {
        const rlimit r{o.file_size_limit, o.file_size_limit};
        if (setrlimit(RLIMIT_FSIZE, &r) != 0) _exit(126);
    }
    // Signals this process ignores or blocks are not the child's business.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    execvpe(argv[0], argv.data(), env.data());
    _exit(127);
}

}  // namespace

process_result run_process(const std::vector<std::string>& argv, const run_options& options) {
    if (argv.empty()) throw std::invalid_argument("run_process: no program given");
    std::vector<std::string> args = argv;
    std::vector<std::string> env = environment_with(options.environment);
    std::vector<char*> arg_pointers = pointers(args), env_pointers = pointers(env);
    pipe_pair in = make_pipe(), out = make_pipe(), err = make_pipe();
    // A child that stops reading its input must give this process EPIPE, not a
    // SIGPIPE that would end it: blocked for this thread while it writes.
    sigset_t pipe_signal, previous;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
    const pid_t pid = fork();
    if (pid == 0) exec_child(arg_pointers, env_pointers, options, in.read, out.write, err.write);
    close_fd(in.read);
    close_fd(out.write);
    close_fd(err.write);
    if (pid < 0) {
        const int error = errno;
        close_fd(in.write);
        close_fd(out.read);
        close_fd(err.read);
        pthread_sigmask(SIG_SETMASK, &previous, nullptr);
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(error));
    }
    process_result r;
    std::size_t written = 0;
    if (options.input.empty()) close_fd(in.write);
    // Partial writes when the pipe is full, so reading its outputs goes on meanwhile.
    if (in.write >= 0) fcntl(in.write, F_SETFL, fcntl(in.write, F_GETFL) | O_NONBLOCK);
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + std::chrono::seconds(options.timeout_seconds);
    const auto interrupt_at = start + std::chrono::milliseconds(options.interrupt_after_ms);
    bool interrupted = options.interrupt_after_ms <= 0;
    std::string* sinks[2] = {&r.out, &r.err};
    int readers[2] = {out.read, err.read};
    while (readers[0] >= 0 || readers[1] >= 0 || in.write >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            kill(pid, SIGKILL);
            r.timed_out = true;
            break;
        }
        long wait = left.count();
        if (!interrupted) {
            const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(interrupt_at - std::chrono::steady_clock::now());
            if (until.count() <= 0) {
                kill(pid, SIGINT);
                interrupted = true;
            } else {
                wait = std::min<long>(wait, until.count());
            }
        }
        pollfd fds[3] = {{readers[0], POLLIN, 0}, {readers[1], POLLIN, 0}, {in.write, POLLOUT, 0}};
        if (poll(fds, 3, static_cast<int>(wait)) < 0 && errno != EINTR) break;
        for (int k = 0; k < 2; ++k) {
            if (readers[k] < 0 || fds[k].revents == 0) continue;
            char buffer[65536];
            const ssize_t n = read(readers[k], buffer, sizeof buffer);
            if (n > 0) {
                sinks[k]->append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                close_fd(readers[k]);
            }
        }
        if (in.write >= 0 && fds[2].revents != 0) {
            const ssize_t n = write(in.write, options.input.data() + written, options.input.size() - written);
            if (n > 0) written += static_cast<std::size_t>(n);
            if (n < 0 && errno != EINTR && errno != EAGAIN) {
                r.input_refused = true;  // EPIPE: it closed its input
                close_fd(in.write);
            }
            if (written == options.input.size()) close_fd(in.write);
        }
    }
    close_fd(in.write);
    close_fd(readers[0]);
    close_fd(readers[1]);
    // Take back a SIGPIPE the writes raised, so unblocking does not deliver it.
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe_signal, nullptr, &zero) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    // A program may close its outputs and still run: wait for it until the deadline too.
    int wstatus = 0;
    while (true) {
        const pid_t done = waitpid(pid, &wstatus, r.timed_out ? 0 : WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR)) break;
        if (done == 0 && std::chrono::steady_clock::now() >= deadline) {
            kill(pid, SIGKILL);
            r.timed_out = true;
        } else if (done == 0) {
            usleep(10000);
        }
    }
    if (WIFEXITED(wstatus)) r.status = WEXITSTATUS(wstatus);
    if (WIFSIGNALED(wstatus)) r.signal = WTERMSIG(wstatus);
    if (r.timed_out) r.signal = 0;
    return r;
}

}  // namespace tapegrad::examples
