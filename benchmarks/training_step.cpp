// training_step: times one full-batch training step (forward, the course's
// cost, backward, W -= lr * dW) of tapegrad's mlp against a hand-written floor
// (cblas_dgemm and plain loops on preallocated buffers) and, when Debian's
// libtorch-dev was found at configure time, libtorch's autograd, on three
// sizes; on S4 a network that is not an mlp (tanh layers with a skip
// connection and binary_cross_entropy_with_logits, tapegrad in plain ops); and
// on S5 an epoch of mini-batch Adam (train()'s loop, the floor's loops with
// Adam, torch::optim::Adam on the same batches). Every (size, implementation)
// runs in its own forked process, which builds its data and model, checks its
// cost after 3 steps, counts heap allocations per step in steady state and
// warms up; then the parent has the processes of a size time one batch of N
// steps each in turn (A B C A B C ..., R rounds), so the machine's drift
// reaches every implementation alike; last each process times its optimizer
// alone and reads its peak resident memory. The parent compares the costs and
// prints the tables: medians with the quartiles and extremes of the batches.
//
// No timing is asserted anywhere: the exit status is 0 when every
// implementation computed tapegrad's costs (1e-12 relative) and tapegrad
// allocated nothing in steady state, 1 when not or a measurement failed, 2 for
// bad options.
#include <cblas.h>
#include <dlfcn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <tapegrad/framework/blas_kernel.hpp>
#include <tapegrad/ops/math_mode.hpp>

#include "allocation_counter.hpp"
#include "implementations.hpp"
#include "problems.hpp"

namespace tapegrad::bench {

namespace {

using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

const std::vector<std::string> all_implementations = {"tapegrad", "floor", "libtorch"};

std::vector<std::string> size_names() {
    std::vector<std::string> names;
    for (const size_spec& spec : size_specs()) names.push_back(spec.name);
    return names;
}
constexpr int correctness_steps = 3;
constexpr double same_cost_tolerance = 1e-12;
// A timed batch is N steps, N for about this long and at least 1; a slow size
// gets 1-step batches, still `repetitions` of them.
constexpr double batch_seconds = 0.025;

struct settings {
    std::vector<std::string> sizes = size_names();
    std::vector<std::string> implementations = all_implementations;
    int repetitions = 21;  // batches per measurement: the median and quartiles of at least 20 samples
    bool repetitions_given = false;
    bool smoke = false;
    std::string json_path;
};

// ---- where libtorch comes from ----------------------------------------------

#ifdef TAPEGRAD_BENCH_LIBTORCH_MODULE
constexpr const char* libtorch_module = TAPEGRAD_BENCH_LIBTORCH_MODULE;
#else
constexpr const char* libtorch_module = nullptr;
#endif

// Empty when libtorch can be measured, else why not.
std::string libtorch_unavailable() {
    if (libtorch_module == nullptr) {
        return "libtorch-dev was not found when CMake configured this build (install it, e.g. with "
               "scripts/benchmark.sh --with-libtorch, and reconfigure)";
    }
    if (!std::filesystem::exists(libtorch_module)) {
        return std::string("the libtorch module ") + libtorch_module + " is missing";
    }
    return "";
}

// ---- one measurement, in a child process -------------------------------------

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

long max_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;  // KiB on Linux
}

// The number of threads of this process (/proc/self/status), 0 if unknown.
int process_threads() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
    }
    return 0;
}

// The q-quantile of v, interpolated linearly between order statistics (numpy's
// default): q = 0.5 is the median, 0.25 and 0.75 the quartiles.
double quantile(std::vector<double> v, double q) {
    if (v.empty()) throw std::logic_error("quantile of no values");
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

// A checksum of W1 for the same-cost check: its sum, in one fixed order for
// every implementation.
double checksum(const std::vector<double>& w) {
    double s = 0.0;
    for (double v : w) s += v;
    return s;
}

// dlopen handles stay open until the process ends: the implementation's code lives there.
std::unique_ptr<implementation> make_libtorch(const problem_view& view) {
    const std::string why = libtorch_unavailable();
    if (!why.empty()) throw std::runtime_error(why);
    void* handle = dlopen(libtorch_module, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) throw std::runtime_error(std::string("dlopen failed: ") + dlerror());
    auto make = reinterpret_cast<make_libtorch_fn>(dlsym(handle, make_libtorch_symbol));
    if (make == nullptr) throw std::runtime_error(std::string("dlsym failed: ") + dlerror());
    std::string error;
    implementation* impl = make(view, error);
    if (impl == nullptr) throw std::runtime_error("libtorch: " + error);
    return std::unique_ptr<implementation>(impl);
}

// A measurement, in the child process that owns it: prepare() builds the data
// and the model, checks the costs, warms up, counts allocations and chooses the
// batch length; batch() times one batch; finish() times the optimizer alone and
// returns everything. The parent calls batch() of every implementation of a
// size in turn (A B C A B C ...), so drift of the machine's speed reaches all
// of them alike.
class measurement {
public:
    measurement(const size_spec& spec, const std::string& name, const settings& s)
        : spec_(spec), s_(s), p_(make_problem(spec)), view_(p_.view()) {
        r_["size"] = spec.name;
        r_["implementation"] = name;
        impl_ = name == "tapegrad" ? make_tapegrad(p_) : name == "floor" ? make_floor(view_) : make_libtorch(view_);
    }

    void prepare() {
        // Correctness: the costs of the first steps from the shared initial
        // weights, and W1 after them.
        std::vector<double> costs;
        for (int i = 0; i < correctness_steps; ++i) costs.push_back(impl_->step());
        r_["costs"] = costs;
        r_["w1_checksum"] = checksum(impl_->w1());

        // Warm-up: caches, page faults, buffers that grow on first use.
        const double warmup_seconds = s_.smoke ? 0.0 : 0.2;
        const int warmup_min_steps = s_.smoke ? 2 : 5;
        int warmup_steps = 0;
        const auto w0 = clock_type::now();
        while (warmup_steps < warmup_min_steps || seconds_since(w0) < warmup_seconds) {
            impl_->step();
            ++warmup_steps;
        }
        const double step_estimate = seconds_since(w0) / warmup_steps;

        // Heap allocations per step in steady state.
        const int alloc_steps = s_.smoke ? 2 : std::clamp(static_cast<int>(0.05 / step_estimate), 3, 20);
        allocations::start();
        for (int i = 0; i < alloc_steps; ++i) impl_->step();
        const allocations::counts c = allocations::stop();
        r_["allocation_steps"] = alloc_steps;
        r_["allocations_per_step"] = static_cast<double>(c.operator_new) / alloc_steps;
        if (allocations::counts_c_allocations()) {
            r_["c_allocations_per_step"] = static_cast<double>(c.c_alloc) / alloc_steps;
        } else {
            r_["c_allocations_per_step"] = nullptr;
        }

        // A batch of N steps, N for about batch_seconds, at least 1.
        batch_ = s_.smoke ? 1 : std::max(1, static_cast<int>(std::lround(batch_seconds / step_estimate)));
    }

    // One untimed step first: the process that ran before this one filled the
    // caches with its own data. Returns microseconds per step.
    double batch() {
        impl_->step();
        const auto t0 = clock_type::now();
        for (int i = 0; i < batch_; ++i) impl_->step();
        const double us = seconds_since(t0) * 1e6 / batch_;
        us_per_step_.push_back(us);
        return us;
    }

    json finish() {
        r_["steps_per_batch"] = batch_;
        r_["repetitions"] = static_cast<int>(us_per_step_.size());
        r_["us_per_step"] = us_per_step_;
        // The optimizer's update alone: its share of the step.
        if (const std::function<void()> update = impl_->optimizer_step()) {
            update();
            const auto u0 = clock_type::now();
            int probe = 0;
            while (probe < 10 || seconds_since(u0) < (s_.smoke ? 0.0 : 0.02)) {
                update();
                ++probe;
            }
            const int n = s_.smoke ? 1 : std::max(1, static_cast<int>(std::lround(0.02 * probe / seconds_since(u0))));
            std::vector<double> us;
            for (int rep = 0; rep < s_.repetitions; ++rep) {
                const auto t0 = clock_type::now();
                for (int i = 0; i < n; ++i) update();
                us.push_back(seconds_since(t0) * 1e6 / n);
            }
            r_["optimizer_step_us"] = quantile(us, 0.5);
            // Optimizer steps per training step: one per batch.
            r_["optimizer_steps_per_step"] =
                spec_.batch_size > 0 ? (spec_.examples + spec_.batch_size - 1) / spec_.batch_size : std::size_t{1};
        }
        json info = json::object();
        info["openblas_num_threads"] = openblas_get_num_threads();
        info["process_threads"] = process_threads();
        for (const auto& [key, value] : impl_->info()) info[key] = value;
        r_["info"] = info;
        r_["peak_rss_kib"] = max_rss_kib();
        return r_;
    }

    json& result() { return r_; }

private:
    const size_spec& spec_;
    const settings& s_;
    const problem p_;
    const problem_view view_;
    std::unique_ptr<implementation> impl_;
    json r_;
    int batch_ = 1;
    std::vector<double> us_per_step_;
};

bool write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// The next line from fd (without its newline), reading into `buffer`; false at
// the end of the input or on an error.
bool read_line(int fd, std::string& buffer, std::string& line) {
    for (;;) {
        const std::size_t nl = buffer.find('\n');
        if (nl != std::string::npos) {
            line = buffer.substr(0, nl);
            buffer.erase(0, nl + 1);
            return true;
        }
        char buf[65536];
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        buffer.append(buf, static_cast<std::size_t>(n));
    }
}

// The child's side: a measurement that answers the parent's commands, one JSON
// line each: after start-up {"ready": true} (or {"error": ...}), for 'b' the
// batch's {"us": ...}, for 'f' the whole result, after which it exits.
[[noreturn]] void serve(int commands, int replies, const size_spec& spec, const std::string& name,
                        const settings& s) {
    // Inherited from the parent: normally a no-op (see run()).
    if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
    json r;
    r["start_rss_kib"] = max_rss_kib();
    std::optional<measurement> m;
    int status = 1;
    try {
        m.emplace(spec, name, s);
        m->result()["start_rss_kib"] = r["start_rss_kib"];
        m->prepare();
        if (write_all(replies, json{{"ready", true}}.dump() + "\n")) {
            std::string buffer, line;
            while (read_line(commands, buffer, line)) {
                if (line == "b") {
                    if (!write_all(replies, json{{"us", m->batch()}}.dump() + "\n")) break;
                } else if (line == "f") {
                    if (write_all(replies, m->finish().dump() + "\n")) status = 0;
                    break;
                } else {
                    write_all(replies, json{{"error", "unknown command '" + line + "'"}}.dump() + "\n");
                    break;
                }
            }
        }
    } catch (const std::exception& e) {
        write_all(replies, json{{"error", e.what()}}.dump() + "\n");
    }
    close(replies);
    close(commands);
    std::fflush(nullptr);
    _exit(status);
}

// The parent's handle on one measuring process.
struct child {
    std::string name;
    pid_t pid = -1;
    int commands = -1;  // the parent writes commands here
    int replies = -1;   // and reads the child's lines here
    std::string buffer;
    std::string error;  // set when the measurement failed
};

// Closes the parent's ends and waits for the process; on a failure, says how it ended.
void end_child(child& c) {
    if (c.commands >= 0) close(c.commands);
    if (c.replies >= 0) close(c.replies);
    c.commands = c.replies = -1;
    if (c.pid <= 0) return;
    int status = 0;
    while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
    }
    c.pid = -1;
    if (!c.error.empty() && WIFSIGNALED(status)) {
        c.error += std::string(" (killed by signal ") + strsignal(WTERMSIG(status)) + ")";
    }
}

// The child's next line as JSON; on failure sets c.error, ends the child and returns null.
json next_reply(child& c) {
    std::string line;
    json r;
    if (read_line(c.replies, c.buffer, line)) {
        try {
            r = json::parse(line);
        } catch (const std::exception&) {
            r = nullptr;
        }
    }
    if (!r.is_object() || r.contains("error")) {
        c.error = r.is_object() ? r["error"].get<std::string>() : "no result";
        end_child(c);
        return nullptr;
    }
    return r;
}

json request(child& c, const char* command) {
    if (c.pid <= 0) return nullptr;
    if (!write_all(c.commands, std::string(command) + "\n")) {
        c.error = std::string("cannot reach the measuring process: ") + std::strerror(errno);
        end_child(c);
        return nullptr;
    }
    return next_reply(c);
}

// Forks the process measuring (spec, name) and waits until it is ready (built,
// checked, warmed up). `others` are the parent's ends of the processes already
// running: the new one closes its copies, so each child's pipes have one reader
// and one writer and a child's end is seen as soon as it exits.
void start_child(child& c, const size_spec& spec, const settings& s, const std::vector<child>& others) {
    int to_child[2], from_child[2];
    if (pipe(to_child) != 0) {
        c.error = std::string("pipe failed: ") + std::strerror(errno);
        return;
    }
    if (pipe(from_child) != 0) {
        c.error = std::string("pipe failed: ") + std::strerror(errno);
        close(to_child[0]);
        close(to_child[1]);
        return;
    }
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
        c.error = std::string("fork failed: ") + std::strerror(errno);
        for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1]}) close(fd);
        return;
    }
    if (pid == 0) {
        for (const child& o : others) {
            if (o.commands >= 0) close(o.commands);
            if (o.replies >= 0) close(o.replies);
        }
        close(to_child[1]);
        close(from_child[0]);
        serve(to_child[0], from_child[1], spec, c.name, s);
    }
    close(to_child[0]);
    close(from_child[1]);
    c.pid = pid;
    c.commands = to_child[1];
    c.replies = from_child[0];
    next_reply(c);  // {"ready": true}, or the error
}

// Measures every implementation in `names` on one size: each in its own
// process, their batches interleaved. Returns one result per name, {"error": ...}
// for a failed one.
std::vector<json> measure_interleaved(const size_spec& spec, const std::vector<std::string>& names,
                                      const settings& s) {
    std::vector<child> children(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        children[i].name = names[i];
        std::fprintf(stderr, "training_step: %s %s: preparing ...\n", spec.name.c_str(), names[i].c_str());
        start_child(children[i], spec, s, children);
    }
    std::fprintf(stderr, "training_step: %s: %d rounds of one batch each ...\n", spec.name.c_str(), s.repetitions);
    for (int rep = 0; rep < s.repetitions; ++rep) {
        for (child& c : children) request(c, "b");
    }
    std::vector<json> results;
    for (child& c : children) {
        json r = request(c, "f");
        end_child(c);
        results.push_back(c.error.empty() ? r : json{{"error", c.error}});
    }
    return results;
}

// ---- report --------------------------------------------------------------------

// An environment variable's value, or null when it is not set.
json env_value(const char* name) {
    const char* v = std::getenv(name);
    return v ? json(v) : json(nullptr);
}

std::string env_text(const json& v) { return v.is_null() ? "unset" : v.get<std::string>(); }

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0) {
            const std::size_t colon = line.find(':');
            if (colon != std::string::npos) return line.substr(colon + 2);
        }
    }
    return "unknown";
}

double relative_difference(double a, double b) {
    if (a == b) return 0.0;
    if (!std::isfinite(a) || !std::isfinite(b)) return INFINITY;
    return std::fabs(a - b) / std::max(std::fabs(a), std::fabs(b));
}

std::string format(const char* fmt, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

std::string format_or_dash(const json& j, const char* key, const char* fmt) {
    if (!j.contains(key) || j[key].is_null()) return "-";
    return format(fmt, j[key].get<double>());
}

// "lo-hi" from two keys, or "-".
std::string range(const json& j, const char* lo, const char* hi, const char* fmt) {
    if (!j.contains(lo) || j[lo].is_null() || !j.contains(hi) || j[hi].is_null()) return "-";
    return format(fmt, j[lo].get<double>()) + "-" + format(fmt, j[hi].get<double>());
}

// "1.10 (1.08-1.12)": the ratio of the medians and the quartiles of the paired batches' ratios.
std::string ratio(const json& j, const std::string& key) {
    if (!j.contains(key) || j[key].is_null()) return "-";
    return format("%.2f", j[key].get<double>()) + " (" + range(j, (key + "_q1").c_str(), (key + "_q3").c_str(), "%.2f") +
           ")";
}

struct table {
    std::vector<std::vector<std::string>> rows;
    void print(std::FILE* out) const {
        std::vector<std::size_t> width;
        for (const auto& row : rows) {
            width.resize(std::max(width.size(), row.size()), 0);
            for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
        }
        for (const auto& row : rows) {
            std::string line = " ";
            for (std::size_t c = 0; c < row.size(); ++c) {
                const std::string& cell = row[c];
                const std::string pad(width[c] - cell.size(), ' ');
                line += "  " + (c == 0 ? cell + pad : pad + cell);  // names left, numbers right
            }
            std::fprintf(out, "%s\n", line.c_str());
        }
    }
};

// Writes through a temporary name and a rename: the file is never half-written.
void write_file_atomically(const std::string& path, const std::string& content) {
    const std::string tmp = path + ".tmp." + std::to_string(getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
        out << content;
        out.close();
        if (!out) throw std::runtime_error("cannot write " + tmp);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw std::runtime_error("cannot rename " + tmp + " to " + path);
    }
}

// Before any work: can FILE be written? (Its folder exists and takes a file.)
std::string check_writable(const std::string& path) {
    const std::string tmp = path + ".tmp." + std::to_string(getpid());
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return "--json: cannot write " + path + " (" + std::strerror(errno) + ")";
    out.close();
    std::filesystem::remove(tmp);
    return "";
}

std::optional<int> parse_options(int argc, char** argv, settings& s) {
    CLI::App app{
        "Times one full-batch training step (forward, the course's cost, backward, W -= lr * dW) of tapegrad's "
        "mlp against a hand-written BLAS floor and libtorch (when built with it), on four sizes:\n"
        "  S1  [2, 10, 5, 1], 300 examples (the course's circles), He init, lr 0.01\n"
        "  S2  [2, 20, 3, 1], 211 examples (generated_field), scaled init, L2 lambda 0.7, lr 0.3\n"
        "  S3  [784, 256, 256, 1], 512 random examples, He init, lr 0.01\n"
        "  S4  [2, 16, 16, 1] tanh with a skip connection (h2 = tanh(W2 h1 + b2) + h1), 300 examples (the course's "
        "moons), He init, binary_cross_entropy_with_logits, lr 0.1\n"
        "and an epoch of the optimization exercise (a step is an epoch of 5 Adam updates):\n"
        "  S5  [2, 5, 2, 1], 300 examples (the course's moons), He init, Adam lr 0.0007, mini-batches of 64\n"
        "Each measurement runs in its own process; the processes of a size time their batches in turn (A B C A B "
        "C ...). Exit status: 0 when every implementation's cost after 3 "
        "steps equals tapegrad's to 1e-12 relative and tapegrad allocates nothing in steady state, 1 otherwise, "
        "2 for bad options.",
        "training_step"};
    app.add_option("--sizes", s.sizes, "The sizes to run, comma-separated")
        ->delimiter(',')
        ->check(CLI::IsMember(size_names()))
        ->type_name("S1,S2,...")
        ->capture_default_str();
    app.add_option("--implementations", s.implementations, "The implementations to run, comma-separated")
        ->delimiter(',')
        ->check(CLI::IsMember(all_implementations))
        ->type_name("NAME,NAME")
        ->capture_default_str();
    app.add_option("--repetitions", s.repetitions,
                   "Rounds of timed batches (each implementation one batch a round; median, quartiles, min, max "
                   "over them)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    app.add_flag("--smoke", s.smoke,
                 "A few steps only (for CI): the same-cost check, 2 repetitions of 1 step unless --repetitions");
    app.add_option("--json", s.json_path, "Also write the results to FILE as JSON")->type_name("FILE");
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    s.repetitions_given = app.count("--repetitions") > 0;
    if (s.smoke && !s.repetitions_given) s.repetitions = 2;
    // Sizes and implementations once each, in the canonical order.
    auto canonical = [](std::vector<std::string>& chosen, const std::vector<std::string>& order) {
        std::vector<std::string> out;
        for (const std::string& n : order) {
            if (std::find(chosen.begin(), chosen.end(), n) != chosen.end()) out.push_back(n);
        }
        chosen = out;
    };
    canonical(s.sizes, size_names());
    canonical(s.implementations, all_implementations);
    if (!s.json_path.empty()) {
        const std::string why = check_writable(s.json_path);
        if (!why.empty()) {
            std::fprintf(stderr, "%s\n", why.c_str());
            return 2;
        }
    }
    return std::nullopt;
}

int run(int argc, char** argv) {
    settings s;
    if (const std::optional<int> status = parse_options(argc, argv, s)) return *status;

    // One OpenBLAS thread everywhere: set here, before forking; the measuring
    // processes inherit it. (Calling openblas_set_num_threads again in a forked
    // child restarts OpenBLAS's thread pool there: an idle worker spinning in
    // sched_yield on the other core.)
    openblas_set_num_threads(1);
    // A measuring process that dies must not kill the parent with SIGPIPE when
    // it next sends a command: the write fails and the measurement is reported.
    std::signal(SIGPIPE, SIG_IGN);
    const std::string libtorch_why = libtorch_unavailable();

    json threads;
    threads["setting"] = "openblas_set_num_threads(1) before forking the measuring processes (which inherit it); "
                         "torch::set_num_threads(1) in the libtorch process";
    threads["openblas_num_threads"] = openblas_get_num_threads();
    threads["OPENBLAS_NUM_THREADS"] = env_value("OPENBLAS_NUM_THREADS");
    threads["OMP_NUM_THREADS"] = env_value("OMP_NUM_THREADS");
    threads["OPENBLAS_CORETYPE"] = env_value("OPENBLAS_CORETYPE");
    threads["openblas_core"] = openblas_get_corename();
    threads["openblas_config"] = openblas_get_config();
    threads["openblas_generic_on_avx2"] = tapegrad::current_blas_kernel().generic();
    threads["torch_num_threads"] = nullptr;
    threads["torch_num_interop_threads"] = nullptr;
    // tapegrad's and the floor's elementwise math (TAPEGRAD_MATH=glibc measures glibc's).
    json math = {{"mode", tapegrad::math_mode_name(tapegrad::current_math_mode())},
                 {"target", tapegrad::vector_math_target()}};

    json out;
    out["math"] = math;
    out["smoke"] = s.smoke;
    out["repetitions"] = s.repetitions;
    out["cpu"] = cpu_model();
    out["sizes"] = json::array();
    out["skipped"] = json::array();
    bool same_cost = true;
    bool all_measured = true;
    std::vector<std::string> allocating;  // sizes where tapegrad allocates in steady state

    for (const std::string& size_name : s.sizes) {
        const size_spec& spec = find_size(size_name);
        json size_out;
        size_out["name"] = spec.name;
        size_out["description"] = describe(spec);
        size_out["layers"] = spec.layer_sizes;
        size_out["examples"] = spec.examples;
        size_out["implementations"] = json::array();
        std::vector<std::string> names;
        for (const std::string& name : s.implementations) {
            if (name == "libtorch" && !libtorch_why.empty()) {
                out["skipped"].push_back({{"size", spec.name}, {"name", name}, {"reason", libtorch_why}});
                continue;
            }
            names.push_back(name);
        }
        const std::vector<json> results = measure_interleaved(spec, names, s);
        for (std::size_t k = 0; k < names.size(); ++k) {
            const std::string& name = names[k];
            json r = results[k];
            if (r.contains("error")) {
                std::fprintf(stderr, "training_step: %s %s failed: %s\n", spec.name.c_str(), name.c_str(),
                             r["error"].get<std::string>().c_str());
                all_measured = false;
                out["skipped"].push_back(
                    {{"size", spec.name}, {"name", name}, {"reason", "failed: " + r["error"].get<std::string>()}});
                continue;
            }
            // The spread of the per-batch times: quartiles and extremes.
            const std::vector<double> us = r["us_per_step"].get<std::vector<double>>();
            r["median_us"] = quantile(us, 0.5);
            r["q1_us"] = quantile(us, 0.25);
            r["q3_us"] = quantile(us, 0.75);
            r["min_us"] = *std::min_element(us.begin(), us.end());
            r["max_us"] = *std::max_element(us.begin(), us.end());
            json impl{{"name", name}, {"process_threads", r["info"]["process_threads"]},
                      {"openblas_num_threads", r["info"]["openblas_num_threads"]}};
            for (const char* key : {"median_us", "q1_us", "q3_us", "min_us", "max_us", "allocations_per_step",
                                    "c_allocations_per_step",
                                    "peak_rss_kib", "start_rss_kib", "steps_per_batch", "repetitions",
                                    "allocation_steps", "us_per_step", "costs", "w1_checksum"}) {
                impl[key] = r[key];
            }
            for (const char* key : {"optimizer_step_us", "optimizer_steps_per_step"}) {
                if (r.contains(key)) impl[key] = r[key];
            }
            if (name == "libtorch") {
                for (const char* key : {"torch_num_threads", "torch_num_interop_threads"}) {
                    if (r["info"].contains(key)) threads[key] = std::stoi(r["info"][key].get<std::string>());
                }
                if (r["info"].contains("torch_version")) threads["torch_version"] = r["info"]["torch_version"];
            }
            size_out["implementations"].push_back(impl);
        }

        // Same cost: every implementation against tapegrad (or the first one run).
        json& impls = size_out["implementations"];
        if (!impls.empty()) {
            const json& ref = impls[0];
            for (json& impl : impls) {
                double worst = 0.0;
                for (int i = 0; i < correctness_steps; ++i) {
                    worst = std::max(worst, relative_difference(impl["costs"][i].get<double>(),
                                                                ref["costs"][i].get<double>()));
                }
                worst = std::max(worst, relative_difference(impl["w1_checksum"].get<double>(),
                                                            ref["w1_checksum"].get<double>()));
                impl["max_relative_difference"] = worst;
                impl["same_cost"] = worst <= same_cost_tolerance;
                if (!(worst <= same_cost_tolerance)) same_cost = false;
            }
            size_out["reference"] = ref["name"];
        }
        for (const json& impl : impls) {
            if (impl["name"] == "tapegrad" && impl["allocations_per_step"].get<double>() > 0.0) {
                allocating.push_back(spec.name);
            }
        }
        // Ratios to the floor and to libtorch: of the medians, and the quartiles
        // of the ratios of batches run one right after the other (round by round).
        for (const std::string base : {"floor", "libtorch"}) {
            const json* b = nullptr;
            for (const json& impl : impls) {
                if (impl["name"] == base) b = &impl;
            }
            for (json& impl : impls) {
                const std::string key = "ratio_" + base;
                if (b == nullptr) {
                    impl[key] = impl[key + "_q1"] = impl[key + "_q3"] = nullptr;
                    continue;
                }
                impl[key] = impl["median_us"].get<double>() / (*b)["median_us"].get<double>();
                const std::vector<double> mine = impl["us_per_step"].get<std::vector<double>>();
                const std::vector<double> theirs = (*b)["us_per_step"].get<std::vector<double>>();
                std::vector<double> paired;
                for (std::size_t i = 0; i < std::min(mine.size(), theirs.size()); ++i) {
                    paired.push_back(mine[i] / theirs[i]);
                }
                impl[key + "_q1"] = quantile(paired, 0.25);
                impl[key + "_q3"] = quantile(paired, 0.75);
            }
        }
        out["sizes"].push_back(size_out);
    }
    out["threads"] = threads;
    out["same_cost"] = same_cost;
    out["all_measured"] = all_measured;

    // ---- the report ----
    std::printf("training_step: one full-batch training step (forward, the course's cost, backward, W -= lr * dW); "
                "S4: the same with tanh layers, a skip connection and binary_cross_entropy_with_logits; "
                "S5: one epoch of mini-batch Adam\n");
    std::printf("cpu: %s\n", out["cpu"].get<std::string>().c_str());
    std::printf("threads: %s\n", threads["setting"].get<std::string>().c_str());
    std::printf("  openblas_get_num_threads() = %d, OpenBLAS core %s (%s)\n",
                threads["openblas_num_threads"].get<int>(), threads["openblas_core"].get<std::string>().c_str(),
                threads["openblas_config"].get<std::string>().c_str());
    std::printf("  OPENBLAS_NUM_THREADS=%s OMP_NUM_THREADS=%s OPENBLAS_CORETYPE=%s\n",
                env_text(threads["OPENBLAS_NUM_THREADS"]).c_str(),
                env_text(threads["OMP_NUM_THREADS"]).c_str(),
                env_text(threads["OPENBLAS_CORETYPE"]).c_str());
    const std::string blas_warning = tapegrad::current_blas_kernel().warning();
    if (!blas_warning.empty()) std::printf("  note: %s\n", blas_warning.c_str());
    if (math["mode"] == "glibc") {
        std::printf("elementwise math (tapegrad and the floor): glibc's scalar functions\n");
    } else {
        std::printf("elementwise math (tapegrad and the floor): vectorized (SLEEF, %s)\n",
                    math["target"].get<std::string>().c_str());
    }
    if (threads["torch_num_threads"].is_null()) {
        std::printf("  libtorch: not measured\n");
    } else {
        std::printf("  libtorch %s: torch::get_num_threads() = %s, interop threads %s\n",
                    threads.value("torch_version", std::string("?")).c_str(),
                    threads["torch_num_threads"].dump().c_str(), threads["torch_num_interop_threads"].dump().c_str());
    }
    std::printf("timing: warm-up, then %d rounds in which each implementation, in its own process, times one batch "
                "of N steps (N for about %.0f ms, at least 1; one untimed step before each batch), one after "
                "another; microseconds per step: the median, quartiles and extremes of the %d batches; x floor and "
                "x libtorch: the ratio of the medians (the quartiles of the ratios of the batches of the same round)%s\n",
                s.repetitions, batch_seconds * 1e3, s.repetitions,
                s.smoke ? " (--smoke: 1-step batches, not a measurement)" : "");
    std::printf("allocs/step: operator new calls per step in steady state; mallocs/step: C allocation calls "
                "(malloc, posix_memalign, ...; operator new's included)\n");
    std::printf("same cost after %d steps (costs and a checksum of W1, %g relative): %s\n", correctness_steps,
                same_cost_tolerance, same_cost ? "yes" : "NO");
    for (const json& size_out : out["sizes"]) {
        std::printf("\n%s: %s\n", size_out["name"].get<std::string>().c_str(),
                    size_out["description"].get<std::string>().c_str());
        table t;
        t.rows.push_back({"implementation", "median_us", "q1-q3 us", "min-max us", "x floor (q1-q3)",
                          "x libtorch (q1-q3)", "allocs/step", "mallocs/step", "peak RSS KiB", "start RSS KiB",
                          "N x R"});
        for (const json& impl : size_out["implementations"]) {
            t.rows.push_back({impl["name"].get<std::string>(), format_or_dash(impl, "median_us", "%.1f"),
                              range(impl, "q1_us", "q3_us", "%.1f"), range(impl, "min_us", "max_us", "%.1f"),
                              ratio(impl, "ratio_floor"), ratio(impl, "ratio_libtorch"),
                              format_or_dash(impl, "allocations_per_step", "%.1f"),
                              format_or_dash(impl, "c_allocations_per_step", "%.1f"),
                              format_or_dash(impl, "peak_rss_kib", "%.0f"),
                              format_or_dash(impl, "start_rss_kib", "%.0f"),
                              std::to_string(impl["steps_per_batch"].get<int>()) + " x " +
                                  std::to_string(impl["repetitions"].get<int>())});
        }
        t.print(stdout);
        for (const json& impl : size_out["implementations"]) {
            if (!impl.contains("optimizer_step_us")) continue;
            const double us = impl["optimizer_step_us"].get<double>();
            const int per_step = impl["optimizer_steps_per_step"].get<int>();
            std::printf("  %s's optimizer step alone: %.3f us; %d per step: %.1f%% of its median step\n",
                        impl["name"].get<std::string>().c_str(), us, per_step,
                        100.0 * us * per_step / impl["median_us"].get<double>());
        }
        for (const json& impl : size_out["implementations"]) {
            std::printf("  %-9s cost %.17g %.17g %.17g, W1 sum %.17g, max relative difference %.3g%s; "
                        "%d thread(s)\n",
                        impl["name"].get<std::string>().c_str(), impl["costs"][0].get<double>(),
                        impl["costs"][1].get<double>(), impl["costs"][2].get<double>(),
                        impl["w1_checksum"].get<double>(), impl["max_relative_difference"].get<double>(),
                        impl["same_cost"].get<bool>() ? "" : "  <-- DIFFERENT", impl["process_threads"].get<int>());
        }
        for (const json& sk : out["skipped"]) {
            if (sk["size"] == size_out["name"]) {
                std::printf("  %s: skipped: %s\n", sk["name"].get<std::string>().c_str(),
                            sk["reason"].get<std::string>().c_str());
            }
        }
    }

    if (!s.json_path.empty()) {
        try {
            write_file_atomically(s.json_path, out.dump(2) + "\n");
            std::printf("\nwrote %s\n", s.json_path.c_str());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "training_step: %s\n", e.what());
            return 1;
        }
    }
    if (!same_cost) std::fprintf(stderr, "training_step: the implementations disagree on the cost\n");
    if (!all_measured) std::fprintf(stderr, "training_step: some measurements failed\n");
    for (const std::string& size : allocating) {
        std::fprintf(stderr, "training_step: tapegrad allocates in steady state on %s (it must not)\n", size.c_str());
    }
    return same_cost && all_measured && allocating.empty() ? 0 : 1;
}

}  // namespace

}  // namespace tapegrad::bench

int main(int argc, char** argv) {
    try {
        return tapegrad::bench::run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "training_step: %s\n", e.what());
        return 1;
    }
}
