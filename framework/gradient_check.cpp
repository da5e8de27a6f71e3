#include <tapegrad/framework/gradient_check.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <system_error>
#include <thread>

#include <pthread.h>

#include <tapegrad/framework/detail/numeric_share.hpp>
#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/tape_audit.hpp>

namespace tapegrad {

namespace {

void check_params(const char* fn, const std::vector<parameter*>& params) {
    if (params.empty()) throw value_error(std::string(fn) + ": no parameters to check; pass at least one");
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (params[i] == nullptr) {
            throw value_error(std::string(fn) + ": parameter " + std::to_string(i) + " is a null pointer");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (params[j] == params[i]) {
                throw value_error(std::string(fn) + ": parameter '" + params[i]->name + "' is listed twice (at " +
                                  std::to_string(j) + " and " + std::to_string(i) + "); list each parameter once");
            }
        }
    }
}

// f built on a cleared tape; checks that its result is 1x1.
var build(const char* fn, const scalar_function& f, tape& t) {
    t.clear();
    var y = f(t);
    if (y.empty() || &y.owner() != &t) {
        throw value_error(std::string(fn) + ": the function returned " +
                          (y.empty() ? std::string("an empty var") : std::string("a var of another tape")) +
                          "; it must build its result on the tape it is given (the checker calls it with tapes of its "
                          "own), reaching the parameters through that tape's watch");
    }
    const matrix& v = y.value();
    if (v.shape()[0] != 1 || v.shape()[1] != 1) {
        throw shape_error(std::string(fn) + ": the function must return a 1x1 var, got shape " + shape_string(v));
    }
    return y;
}

double evaluate(const char* fn, const scalar_function& f, tape& t) { return build(fn, f, t).item(); }

// Analytic gradients of every parameter, flattened in order.
std::vector<double> analytic_gradient(const char* fn, const scalar_function& f,
                                      const std::vector<parameter*>& params, tape& t) {
    // Emptied first, so a parameter the function never watches shows as one
    // without a gradient instead of keeping an old one.
    for (parameter* p : params) p->grad = matrix();
    t.backward(build(fn, f, t));
    std::vector<double> g;
    for (parameter* p : params) {
        if (shape_of(p->grad) != shape_of(p->value())) {
            throw value_error(std::string(fn) + ": parameter '" + p->name +
                              "' got no gradient; the function must watch it on the tape it is given");
        }
        g.insert(g.end(), p->grad.begin(), p->grad.end());
    }
    return g;
}

// After a failed check: f recorded once more, at the parameters' own values, and
// its tape audited, so the report names the op whose backward is wrong.
void audit_function(const char* fn, const scalar_function& f, gradient_report& r) {
    try {
        tape t;
        build(fn, f, t);
        r.audit = audit_tape(t);
        r.audited = true;
    } catch (const std::exception& e) {
        r.note += std::string(r.note.empty() ? "" : "; ") + "the tape audit could not run: " + e.what();
    }
}

std::vector<gradient_block> blocks_of(const std::vector<parameter*>& params) {
    std::vector<gradient_block> b;
    for (parameter* p : params) b.push_back({p->name, shape_of(p->value())});
    return b;
}

// Copies of the parameters' values that an evaluation tape reads instead of the
// originals (tape::substitute), on a tape that records nothing: perturbed
// forward passes never touch the caller's parameters and build no backward state.
class evaluator {
public:
    evaluator(const scalar_function& f, const std::vector<parameter*>& params) : f_(f) {
        t_.set_recording(false);
        for (parameter* p : params) values_.push_back(p->value());
        for (std::size_t i = 0; i < params.size(); ++i) t_.substitute(*params[i], values_[i]);
    }
    std::vector<matrix>& values() noexcept { return values_; }
    double operator()(const char* fn) { return evaluate(fn, f_, t_); }

private:
    const scalar_function& f_;
    tape t_;
    std::vector<matrix> values_;
};

// J with some parameters moved by +eps, either for real (the caller's values,
// restored bit for bit afterwards, also on an exception; evaluated on `plain`,
// a tape that does not record) or through the evaluator's substitutes (restored
// to the parameters' values afterwards). Tapes are reused: a fresh one would
// allocate and fault in every buffer again.
double moved_for_real(const char* fn, const scalar_function& f, const std::vector<parameter*>& params,
                      const std::vector<std::size_t>& which, double eps, tape& plain) {
    std::vector<matrix> originals;
    for (std::size_t i : which) originals.push_back(params[i]->value());
    auto restore = [&] {
        for (std::size_t k = 0; k < which.size(); ++k) params[which[k]]->set_value(originals[k]);
    };
    try {
        for (std::size_t i : which) {
            for (double& x : params[i]->mutable_value()) x += eps;
        }
        const double j = evaluate(fn, f, plain);
        restore();
        return j;
    } catch (...) {
        restore();
        throw;
    }
}

void reset_substitutes(evaluator& eval, const std::vector<parameter*>& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
        std::copy(params[i]->value().begin(), params[i]->value().end(), eval.values()[i].begin());
    }
}

double moved_by_substitutes(const char* fn, const std::vector<parameter*>& params, const std::vector<std::size_t>& which,
                            double eps, evaluator& eval) {
    for (std::size_t i : which) {
        for (double& x : eval.values()[i]) x += eps;
    }
    const double j = eval(fn);
    reset_substitutes(eval, params);
    return j;
}

bool same_value(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// The perturbed evaluations move substitutes of the watched parameters (so they
// can run in parallel without touching the caller's values). Two things would
// make that differ from moving the parameters themselves, and the check
// meaningless: a function that reads a parameter some other way
// (tape.reference(W.value())), whose use neither gradient would see, and a
// function that is not deterministic (a fresh dropout mask per call). Two
// evaluations rule both out; a mismatch is then narrowed down and named.
void check_function_is_checkable(const char* fn, const scalar_function& f, const std::vector<parameter*>& params,
                                 double eps, tape& plain, evaluator& eval) {
    std::vector<std::size_t> all(params.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    if (same_value(moved_for_real(fn, f, params, all, eps, plain), moved_by_substitutes(fn, params, all, eps, eval))) {
        return;
    }
    if (!same_value(evaluate(fn, f, plain), evaluate(fn, f, plain))) {
        throw value_error(std::string(fn) + ": the function gives different values for the same parameters (a fresh "
                          "random draw on every call, such as a new dropout mask?); hold its randomness fixed, e.g. "
                          "reseed its generator inside the function, so central differences mean something");
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (!same_value(moved_for_real(fn, f, params, {i}, eps, plain), moved_by_substitutes(fn, params, {i}, eps, eval))) {
            throw value_error(std::string(fn) + ": the function reads parameter '" + params[i]->name +
                              "' without tape.watch (for example through tape.reference(" + params[i]->name +
                              ".value())); gradients flow only through watched parameters, so watch it");
        }
    }
}

unsigned worker_count(unsigned requested, std::size_t work) {
    unsigned n = requested != 0 ? requested : std::max(1u, std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(work, 1)));
}

// Waits until ready() holds: first by polling it for up to `spin`, yielding
// the core between polls (a thread asleep takes 30-60 us to wake on this kind
// of virtual machine, several of S2's evaluations; yielding, it leaves the core
// to the thread it waits for when the two share one), then by blocking on `cv`
// under `mutex`. ready() must be safe to call without the mutex.
template <class Ready>
void wait_until(Ready ready, std::chrono::microseconds spin, std::mutex& mutex, std::condition_variable& cv) {
    const auto until = std::chrono::steady_clock::now() + spin;
    while (!ready()) {
        if (std::chrono::steady_clock::now() > until) {
            std::unique_lock<std::mutex> lock(mutex);
            cv.wait(lock, ready);
            return;
        }
        std::this_thread::yield();
    }
}

constexpr std::chrono::microseconds spin_time{200};

// Helper threads kept between checks (at most one per core but the caller's).
// A thread started and joined for every check cost S2's two-worker check about
// 0.13 of its 1.8 ms on two otherwise idle cores: 40 us on the caller's path to
// start it, 55 us waiting for it to exit at the join, and 30 us for it to wake
// when the check released it. A kept helper sleeps between checks, polls while
// it waits within one, and leaves at exit; a forked child, which has none of
// them, starts its own.
class helper_pool {
public:
    // One lend()'s helpers: `pending` counts those still running its task.
    struct lease {
        std::atomic<unsigned> pending{0};
        std::condition_variable finished;  // with the pool's mutex
    };
    using task = void (*)(void* context, unsigned index);

    static helper_pool& instance() {
        // Never destroyed (a check during static destruction finds it closed, not
        // gone); `closer` stops and joins the threads at exit.
        static helper_pool* const pool = new helper_pool;
        static struct closer {
            ~closer() { pool->close(); }
        } close_at_exit;
        return *pool;
    }

    // Runs fn(context, 0), fn(context, 1), ... on up to n idle helpers, starting
    // new ones while there are fewer than the limit; returns how many took it
    // (0 when none is free and none can be started). Wait with wait().
    unsigned lend(unsigned n, task fn, void* context, lease& l) {
        std::vector<helper*> woken;
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            if (closing_) return 0;
            woken.reserve(std::min(n, limit_));
            while (woken.size() < n) {
                if (idle_.empty() && !start_helper()) break;
                helper* h = idle_.back();
                idle_.pop_back();
                h->job = {fn, context, static_cast<unsigned>(woken.size()), &l};
                l.pending.fetch_add(1, std::memory_order_relaxed);
                woken.push_back(h);
            }
        }
        // After unlocking: a helper woken under the lock would only block on it
        // (and on a loaded machine the lender, preempted holding it, kept its
        // helper waiting for a whole time slice: 1 ms).
        for (helper* h : woken) h->wake.notify_one();
        return static_cast<unsigned>(woken.size());
    }

    // Until every helper of `l` has finished its task.
    void wait(lease& l) {
        wait_until([&] { return l.pending.load(std::memory_order_acquire) == 0; }, spin_time, mutex_, l.finished);
        // The last helper decremented `pending` under the mutex: once this thread
        // has held it, that helper no longer touches `l`.
        const std::lock_guard<std::mutex> lock(mutex_);
    }

private:
    struct assignment {
        task fn = nullptr;
        void* context = nullptr;
        unsigned index = 0;
        lease* owner = nullptr;
    };
    struct helper {
        std::condition_variable wake;
        assignment job;
        std::thread thread;
    };

    helper_pool() {
        const unsigned cores = std::thread::hardware_concurrency();
        limit_ = cores > 1 ? cores - 1 : 1;
        helpers_.reserve(limit_);  // so that neither list allocates once a thread runs
        idle_.reserve(limit_);
        pthread_atfork([] { instance().mutex_.lock(); }, [] { instance().mutex_.unlock(); },
                       [] { instance().after_fork_in_child(); });
    }

    // With the mutex held. False when no helper can be started (the limit, a
    // pids limit, too little memory for a stack).
    bool start_helper() {
        if (helpers_.size() >= limit_) return false;
        try {
            helpers_.push_back(std::make_unique<helper>());
        } catch (const std::bad_alloc&) {
            return false;
        }
        helper* h = helpers_.back().get();
        try {
            h->thread = std::thread([this, h] { serve(*h); });
        } catch (const std::exception&) {  // std::system_error, or std::bad_alloc for the thread's state
            helpers_.pop_back();
            return false;
        }
        idle_.push_back(h);
        return true;
    }

    void serve(helper& h) {
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            h.wake.wait(lock, [&] { return h.job.fn != nullptr || closing_; });
            if (h.job.fn == nullptr) return;
            const assignment job = h.job;
            lock.unlock();
            job.fn(job.context, job.index);  // a task catches its own exceptions
            lock.lock();
            h.job = {};
            idle_.push_back(&h);  // before the lender hears of it, so its next check finds the helper idle
            if (job.owner->pending.fetch_sub(1, std::memory_order_release) == 1) job.owner->finished.notify_all();
        }
    }

    void close() {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            closing_ = true;
        }
        for (const auto& h : helpers_) h->wake.notify_one();
        for (const auto& h : helpers_) h->thread.join();
    }

    // The child has only the forking thread: the helpers' objects stay untouched
    // (their threads and waits do not exist here) and new ones are started.
    void after_fork_in_child() {
        for (auto& h : helpers_) h.release();  // leaked: destroying them would wait for absent threads
        helpers_.clear();
        idle_.clear();
        mutex_.unlock();
    }

    std::mutex mutex_;
    std::vector<std::unique_ptr<helper>> helpers_;
    std::vector<helper*> idle_;
    unsigned limit_ = 1;
    bool closing_ = false;
};

// Central differences over every scalar of every parameter, on workers with a
// tape and copies each; the caller is one of them.
//
// The workers take the scalars from a shared counter, in runs that shrink as the
// work runs out (half the remainder over the workers, down to one scalar),
// rather than a fixed share each: a worker that starts late or runs on a core
// that another process is using leaves its share to the others instead of
// holding up the check. Every numeric[k] is one evaluation at theta +- eps e_k
// whichever worker makes it, so the bits do not depend on the split.
//
// The workers are the pool's kept helpers, then (beyond the pool's limit, or
// while another check holds them) threads of this check's own. They are
// engaged before the analytic pass and wait for run(): their wake-up overlaps
// the caller's serial work. They may not evaluate f before run(): until the
// checkability check has passed, f may read the parameters it moves.
class numeric_workers {
public:
    // Evaluates the scalars [share.begin, share.end) of the flattened parameters.
    numeric_workers(const char* fn, const scalar_function& f, const std::vector<parameter*>& params, double eps,
                    unsigned threads, const detail::numeric_share& share)
        : fn_(fn), f_(f), params_(params), eps_(eps) {
        offsets_.push_back(0);
        for (parameter* p : params) offsets_.push_back(offsets_.back() + p->value().size());
        total_ = offsets_.back();
        end_ = std::min(share.end, total_);
        begin_ = std::min(share.begin, end_);
        next_.store(begin_, std::memory_order_relaxed);
        workers_ = worker_count(threads, end_ - begin_);
        numeric_.resize(total_);
        results_.resize(workers_);
        if (workers_ > 1) lent_ = helper_pool::instance().lend(workers_ - 1, &numeric_workers::serve, this, lease_);
        // Workers that cannot be started (a pids limit, too little memory for
        // their stacks) are run by the caller instead, in run(): the same
        // results, more slowly, rather than std::terminate. Nothing may throw
        // from here on: the lent helpers already wait on this object.
        try {
            own_.reserve(workers_ - 1 - lent_);
            while (lent_ + own_.size() + 1 < workers_) {
                const unsigned w = lent_ + static_cast<unsigned>(own_.size());
                own_.emplace_back([this, w] { serve(this, w); });
            }
        } catch (const std::exception&) {  // std::system_error, or std::bad_alloc for the thread's state
        }
    }

    ~numeric_workers() {
        release(false);  // an exception before run(): the workers leave without evaluating
        finish();
    }

    numeric_workers(const numeric_workers&) = delete;
    numeric_workers& operator=(const numeric_workers&) = delete;

    // The numeric gradient; `scale` gets the largest |J| seen. `own` (a warm
    // evaluator at the parameters' values) serves the caller's share. If
    // evaluations throw, the error of the lowest scalar is rethrown, as one
    // worker would: the runs are handed out in order and the scalars below a
    // failure are all evaluated, those above it skipped.
    std::vector<double> run(evaluator& own, double& scale) {
        release(true);
        const unsigned started = lent_ + static_cast<unsigned>(own_.size());
        work(started, &own);
        for (unsigned w = started + 1; w < workers_; ++w) work(w, nullptr);
        finish();
        const worker_result* failed = nullptr;
        for (const worker_result& r : results_) {
            if (r.error && (failed == nullptr || r.failed_at < failed->failed_at)) failed = &r;
        }
        if (failed != nullptr) {
            failed_at_value_ = failed->failed_at;
            std::rethrow_exception(failed->error);
        }
        scale = 0.0;
        for (const worker_result& r : results_) scale = std::max(scale, r.scale);
        return std::move(numeric_);
    }

    // The scalar whose evaluation failed in run() (the lowest), after run() threw.
    std::size_t failed_at() const noexcept { return failed_at_value_; }

private:
    struct worker_result {
        double scale = 0.0;
        std::size_t failed_at = 0;
        std::exception_ptr error;
    };

    enum state : int { waiting, running, cancelled };

    // A worker's life: it waits for run() and, unless the check was cancelled,
    // works. A worker that cannot wait leaves its share to the others.
    static void serve(void* self, unsigned w) {
        numeric_workers& me = *static_cast<numeric_workers*>(self);
        try {
            wait_until([&] { return me.state_.load(std::memory_order_acquire) != waiting; }, spin_time, me.mutex_,
                       me.started_);
        } catch (const std::system_error&) {
            return;
        }
        if (me.state_.load(std::memory_order_acquire) == running) me.work(w, nullptr);
    }

    void release(bool go) {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            if (state_.load(std::memory_order_relaxed) != waiting) return;
            state_.store(go ? running : cancelled, std::memory_order_release);
        }
        started_.notify_all();
    }

    // Until every worker has left (once).
    void finish() {
        if (lent_ > 0) helper_pool::instance().wait(lease_);
        lent_ = 0;
        for (std::thread& th : own_) th.join();
        own_.clear();
    }

    // [begin, end) of the next run; false when the work is done.
    bool take(std::size_t& begin, std::size_t& end) {
        std::size_t k = next_.load(std::memory_order_relaxed);
        std::size_t n = 0;
        do {
            if (k >= std::min(end_, failed_at_.load(std::memory_order_relaxed))) return false;
            n = std::max<std::size_t>(1, (end_ - k) / (2 * workers_));
        } while (!next_.compare_exchange_weak(k, k + n, std::memory_order_relaxed));
        begin = k;
        end = k + n;
        return true;
    }

    void work(unsigned w, evaluator* own) {
        std::size_t k = begin_;  // a failure before the first evaluation counts as this share's first scalar
        double worker_scale = 0.0;  // kept local: the workers' results share a cache line
        try {
            std::optional<evaluator> mine;
            evaluator& eval = own != nullptr ? *own : mine.emplace(f_, params_);
            std::size_t begin = 0, end = 0;
            while (take(begin, end)) {
                std::size_t pi = 0;
                for (k = begin; k < end && k < failed_at_.load(std::memory_order_relaxed); ++k) {
                    while (k >= offsets_[pi + 1]) ++pi;
                    double& x = eval.values()[pi].data()[k - offsets_[pi]];
                    const double x0 = x;
                    x = x0 + eps_;
                    const double plus = eval(fn_);
                    x = x0 - eps_;
                    const double minus = eval(fn_);
                    x = x0;
                    numeric_[k] = (plus - minus) / (2.0 * eps_);
                    worker_scale = std::max({worker_scale, std::fabs(plus), std::fabs(minus)});
                }
            }
        } catch (...) {
            results_[w].error = std::current_exception();
            results_[w].failed_at = k;
            std::size_t lowest = failed_at_.load(std::memory_order_relaxed);
            while (k < lowest && !failed_at_.compare_exchange_weak(lowest, k, std::memory_order_relaxed)) {
            }
        }
        results_[w].scale = worker_scale;
    }

    const char* fn_;
    const scalar_function& f_;
    const std::vector<parameter*>& params_;
    double eps_;
    std::vector<std::size_t> offsets_;
    std::size_t total_ = 0;
    std::size_t begin_ = 0, end_ = 0;  // this share
    std::size_t failed_at_value_ = std::numeric_limits<std::size_t>::max();
    unsigned workers_ = 1;
    std::vector<double> numeric_;
    std::vector<worker_result> results_;
    std::atomic<std::size_t> next_{0};
    std::atomic<std::size_t> failed_at_{std::numeric_limits<std::size_t>::max()};  // the lowest failed scalar
    std::mutex mutex_;
    std::condition_variable started_;
    std::atomic<int> state_{waiting};
    helper_pool::lease lease_;
    unsigned lent_ = 0;              // workers 0 .. lent_ - 1 are the pool's helpers
    std::vector<std::thread> own_;  // last: its threads use everything above
};

}  // namespace

gradient_report check_gradients(const scalar_function& f, const std::vector<parameter*>& params,
                                const gradient_check_options& options) {
    return detail::check_gradients_shared("check_gradients", f, params, options, {});
}

gradient_report detail::check_gradients_shared(const char* fn, const scalar_function& f,
                                               const std::vector<parameter*>& params,
                                               const gradient_check_options& options, const numeric_share& share) {
    check_tolerances(fn, options.epsilon, options.threshold);
    check_params(fn, params);
    numeric_workers workers(fn, f, params, options.epsilon, options.threads, share);
    tape t;
    const std::vector<double> analytic = analytic_gradient(fn, f, params, t);
    t.set_recording(false);  // the analytic pass's tape serves the plain evaluations
    evaluator eval(f, params);
    check_function_is_checkable(fn, f, params, options.epsilon, t, eval);
    double scale = 0.0;
    std::vector<double> numeric;
    if (!share.gather) {
        numeric = workers.run(eval, scale);  // eval is back at the parameters' values
    } else {
        // The other processes wait in gather for this one: a failed evaluation
        // is passed to it, not thrown past it.
        std::exception_ptr error;
        std::size_t failed_at = std::numeric_limits<std::size_t>::max();
        try {
            numeric = workers.run(eval, scale);
        } catch (...) {
            error = std::current_exception();
            // An error no worker recorded (the threads' synchronization) still
            // counts as this share's: the others must hear of it.
            failed_at = workers.failed_at();
            if (failed_at == std::numeric_limits<std::size_t>::max()) {
                failed_at = std::min(share.begin, analytic.size());
            }
            numeric.assign(analytic.size(), 0.0);
        }
        if (share.gather(numeric, scale, failed_at) == failed_at && error) std::rethrow_exception(error);
    }
    gradient_report r =
        compare_gradients("full", blocks_of(params), analytic, numeric, options.epsilon, options.threshold, scale);
    r.evaluations = 3 + 2 * numeric.size();
    if (!r.passed) audit_function(fn, f, r);
    return r;
}

gradient_report check_gradients_fast(const scalar_function& f, const std::vector<parameter*>& params,
                                     const fast_check_options& options) {
    const char* fn = "check_gradients_fast";
    check_tolerances(fn, options.epsilon, options.threshold);
    check_params(fn, params);
    if (options.directions == 0) throw value_error(std::string(fn) + ": directions must be at least 1, got 0");
    tape t;
    const std::vector<double> analytic = analytic_gradient(fn, f, params, t);

    std::mt19937_64 rng(options.seed);
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    const double eps = options.epsilon;
    double worst = 0.0;
    double scale = 0.0;
    std::size_t evaluations = 3;
    t.set_recording(false);  // the analytic pass's tape serves the plain evaluations
    evaluator eval(f, params);
    check_function_is_checkable(fn, f, params, eps, t, eval);
    std::vector<double> u(analytic.size());
    bool failed = false, passed_by_noise = false;
    for (std::size_t d = 0; d < options.directions; ++d) {
        // A unit direction: the step eps u then moves the whole parameter vector by
        // eps, however many parameters there are, so few ReLU kinks are crossed
        // (with |u_i| ~ 1 a large network crosses thousands and the difference is
        // dominated by them).
        double length = 0.0;
        for (double& x : u) {
            x = uniform(rng);
            length += x * x;
        }
        length = std::sqrt(length);
        for (double& x : u) x /= length;
        double directional = 0.0, magnitude = 0.0;
        for (std::size_t i = 0; i < u.size(); ++i) {
            directional += analytic[i] * u[i];
            magnitude += std::fabs(analytic[i] * u[i]);
        }
        // The copies moved to theta +- eps u (the caller's parameters stay as they are).
        auto shift = [&](double sign) {
            std::size_t k = 0;
            for (std::size_t i = 0; i < params.size(); ++i) {
                const double* original = params[i]->value().data();
                double* x = eval.values()[i].data();
                for (std::size_t e = 0; e < params[i]->value().size(); ++e, ++k) x[e] = original[e] + sign * eps * u[k];
            }
        };
        shift(+1.0);
        const double plus = eval(fn);
        shift(-1.0);
        const double minus = eval(fn);
        evaluations += 2;
        const double numeric = (plus - minus) / (2.0 * eps);
        scale = std::max({scale, std::fabs(plus), std::fabs(minus)});
        const double diff = relative_difference({directional}, {numeric});
        if (!(diff <= worst)) worst = diff;  // keeps a NaN
        // Over many parameters g . u is small while the rounding of J(theta +- eps u)
        // is not: a difference within that noise (and the sum's own rounding,
        // about sqrt(n) ulp of its terms) says nothing against the gradient.
        const double noise = noise_floor(std::max(std::fabs(plus), std::fabs(minus)), eps) +
                             16.0 * 0x1.0p-52 * std::sqrt(static_cast<double>(u.size())) * magnitude;
        const bool within = diff <= options.threshold;
        const bool within_noise = std::fabs(directional - numeric) <= noise;
        if (!within && within_noise) passed_by_noise = true;
        if (!within && !within_noise) failed = true;
    }

    if (!failed || analytic.size() > options.full_check_limit) {
        gradient_report r;
        r.method = "fast";
        r.difference = worst;
        r.threshold = options.threshold;
        r.epsilon = eps;
        r.passed = !failed;
        if (r.passed && passed_by_noise) {
            r.note = "the difference is above the threshold but within the rounding noise of central differences "
                     "over " + std::to_string(analytic.size()) + " scalars (the directional derivative is small): "
                     "no evidence against the gradient";
        }
        r.evaluations = evaluations;
        r.gradient_norm = euclidean_norm(analytic);
        r.noise_floor = noise_floor(scale, eps);
        if (!r.passed) {
            r.note = "no full check followed: " + std::to_string(analytic.size()) + " scalars is more than "
                     "full_check_limit (" + std::to_string(options.full_check_limit) + "); run check_gradients on "
                     "the parameters you suspect to name the culprit";
            audit_function(fn, f, r);
        }
        return r;
    }
    gradient_report r = check_gradients(f, params, {options.epsilon, options.threshold, options.threads});
    r.method = "fast, then full";
    r.evaluations += evaluations;
    return r;
}

}  // namespace tapegrad
