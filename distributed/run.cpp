#include <tapegrad/distributed/run.hpp>

#include <cstdio>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include <tapegrad/distributed/errors.hpp>

namespace tapegrad::distributed {

namespace {

struct outcome {
    bool failed = false;
    bool remote = false;  // failed only because another process did
    std::string message;  // empty for a body that returned a non-zero status (it said why itself)
};

// Waits for every process to reach the end, at most `wait` for a failed one
// (a process that finished waits as long as it takes: a failed one aborts the
// job if the others do not come). `ended` is a communicator of its own, so no
// message of the body can match this barrier.
bool all_reached_end(MPI_Comm ended, bool failed, std::chrono::milliseconds wait) {
    MPI_Request request;
    if (MPI_Ibarrier(ended, &request) != MPI_SUCCESS) return false;
    if (!failed) return MPI_Wait(&request, MPI_STATUS_IGNORE) == MPI_SUCCESS;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
        int done = 0;
        if (MPI_Test(&request, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) return false;
        if (done) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

// Every process got here: process 0 prints each distinct message once (those of
// the processes that failed themselves; a remote_error only echoes one).
void print_once(const communicator& ended, const outcome& o, const std::string& program) {
    const std::string mine = !o.failed || o.message.empty() ? "" : (o.remote ? "R" : "F") + o.message;
    const std::vector<std::string> all = ended.all_gather(mine);
    if (ended.rank() != 0) return;
    std::vector<std::string> printed;
    bool any_own = false;
    for (const std::string& m : all) any_own = any_own || (!m.empty() && m[0] == 'F');
    for (const std::string& m : all) {
        if (m.empty() || (any_own && m[0] == 'R')) continue;
        const std::string text = m.substr(1);
        bool seen = false;
        for (const std::string& p : printed) seen = seen || p == text;
        if (seen) continue;
        printed.push_back(text);
        std::fprintf(stderr, "%s: %s\n", program.c_str(), text.c_str());
    }
    std::fflush(stderr);
}

}  // namespace

int run(int& argc, char**& argv, const std::function<int(communicator& world)>& body, const run_options& options) {
    int provided = 0;
    // The gradient checker's worker threads never call MPI: only the main thread does.
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        std::fprintf(stderr, "%s: MPI_Init_thread failed\n", options.program.c_str());
        return 1;
    }
    MPI_Comm ended_handle = MPI_COMM_NULL;
    outcome o;
    int status = 0;
    try {
        communicator ended(MPI_COMM_WORLD);  // before the body: every process makes it
        try {
            if (provided < MPI_THREAD_FUNNELED) {
                throw mpi_error("MPI_Init_thread: this MPI gives thread level " + std::to_string(provided) +
                                "; tapegrad needs MPI_THREAD_FUNNELED (the checker's threads beside MPI)");
            }
            communicator world(MPI_COMM_WORLD);
            status = body(world);
            // A process that stops early, with a status, while the others go on
            // into collective operations would leave them waiting: it is a
            // failure like an exception, without a message of its own.
            if (status != 0) o.failed = true;
        } catch (const remote_error& e) {
            o = {true, true, e.what()};
        } catch (const std::exception& e) {
            o = {true, false, e.what()};
        } catch (...) {
            o = {true, false, "an exception that is not a std::exception"};
        }
        ended_handle = ended.handle();
        if (all_reached_end(ended_handle, o.failed, options.failure_wait)) {
            // Every process exits with the largest status: 1 for an exception.
            int worst = o.failed && status == 0 ? 1 : status;
            check_mpi(MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_INT, MPI_MAX, ended_handle), "MPI_Allreduce");
            if (worst != 0) print_once(ended, o, options.program);
            status = worst;
        } else {
            const std::string why = !o.message.empty() ? o.message
                                                       : "returned exit status " + std::to_string(status) +
                                                             " while the other processes went on";
            std::fprintf(stderr, "%s: process %d of %d: %s\n", options.program.c_str(), ended.rank(), ended.size(),
                         why.c_str());
            std::fflush(stderr);
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
    } catch (const std::exception& e) {  // MPI itself failed while ending: end the job
        std::fprintf(stderr, "%s: %s%s%s\n", options.program.c_str(), o.message.c_str(),
                     o.message.empty() ? "" : "; then ", e.what());
        std::fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Finalize();
    return status;
}

}  // namespace tapegrad::distributed
