#include <tapegrad/models/training.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <tapegrad/framework/error.hpp>
#include <tapegrad/framework/number_text.hpp>
#include <tapegrad/models/progress_line.hpp>

namespace tapegrad {

namespace {

const std::int64_t largest_seed = 4294967295;  // numpy's seeds are 32-bit

// The schedule's rate for `epoch`, refused unless finite and > 0.
double scheduled_rate(const learning_rate_schedule& schedule, std::int64_t epoch) {
    const double rate = schedule(epoch);
    if (!(rate > 0.0) || !std::isfinite(rate)) {
        throw value_error("train: the schedule's learning rate for epoch " + std::to_string(epoch) + " is " +
                          number_text(rate) + "; it must be finite and > 0 (a decay that reaches 0, like "
                          "cosine_decay past its epochs with min_rate 0, or a rate that underflows)");
    }
    return rate;
}

// Returns o after checking it. The schedule is tried on every epoch of the run
// (up to a million of them; later ones when they come).
train_options checked(train_options o) {
    if (o.epochs < 0) throw value_error("train: the number of epochs must be >= 0, got " + std::to_string(o.epochs));
    if (o.first_epoch < 0 || o.first_epoch > std::numeric_limits<std::int64_t>::max() - o.epochs) {
        throw value_error("train: first_epoch must be >= 0 (the epochs done before this run), got " +
                          std::to_string(o.first_epoch));
    }
    if (o.batch_size == 0) throw value_error("train: the batch size must be at least 1 (or full_batch), got 0");
    if (o.record_every < 1) {
        throw value_error("train: record_every must be >= 1, got " + std::to_string(o.record_every));
    }
    if (o.divergence_patience < 0) {
        throw value_error("train: divergence_patience must be >= 0 (0 turns it off), got " +
                          std::to_string(o.divergence_patience));
    }
    const std::int64_t last_epoch = o.first_epoch + std::max<std::int64_t>(o.epochs, 1) - 1;
    if (o.batch_size != train_options::full_batch &&
        (o.shuffle_seed < 0 || o.shuffle_seed > largest_seed - last_epoch)) {
        throw value_error("train: shuffle_seed + epoch must be a numpy seed, 0 .. 2^32 - 1, for every epoch; "
                          "shuffle_seed is " + std::to_string(o.shuffle_seed) + " and the last epoch " +
                          std::to_string(last_epoch));
    }
    if (o.sharded_data && o.combiner == nullptr) {
        throw value_error("train: sharded_data needs a combiner (the processes' parts of the set are combined by it)");
    }
    if (o.sharded_data && o.batch_size != train_options::full_batch) {
        throw value_error("train: sharded_data trains on full batches only (got a batch size of " +
                          std::to_string(o.batch_size) + "); for mini-batches give every process the whole set and "
                          "leave sharded_data false: each batch is then split over the processes");
    }
    if (o.schedule) {
        const std::int64_t tried = std::min<std::int64_t>(o.epochs, 1000000);
        for (std::int64_t e = o.first_epoch; e < o.first_epoch + std::max<std::int64_t>(tried, 1); ++e) {
            scheduled_rate(o.schedule, e);
        }
    }
    return o;
}

// FNV-1a over the bytes of X and Y: processes that hold different data (a
// shard passed without sharded_data) differ in it.
std::uint64_t fingerprint(const matrix& X, const matrix& Y) {
    std::uint64_t h = 14695981039346656037ull;
    for (const matrix* m : {&X, &Y}) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(m->data());
        for (std::size_t i = 0; i < m->size() * sizeof(double); ++i) h = (h ^ bytes[i]) * 1099511628211ull;
    }
    return h;
}

// The whole set's examples over the processes, after checking, with the same
// outcome on every process, that they agree on the settings and data a split
// run needs and that no shard is empty. Without a combiner: X's columns.
std::size_t whole_examples(const train_options& o, const matrix& X, const matrix& Y) {
    const std::size_t m = X.shape()[1];
    if (o.combiner == nullptr) return m;
    step_combiner& c = *o.combiner;
    auto same = [&c](const char* what, std::uint64_t v) {
        const std::uint64_t low = c.min(v), high = c.max(v);
        if (low != high) {
            throw value_error(std::string("train: the processes of a data-parallel run differ in ") + what +
                              " (from " + std::to_string(low) + " to " + std::to_string(high) +
                              "); every process must train with the same settings");
        }
    };
    same("batch_size", o.batch_size);
    same("epochs", static_cast<std::uint64_t>(o.epochs));
    same("first_epoch", static_cast<std::uint64_t>(o.first_epoch));
    same("shuffle_seed", static_cast<std::uint64_t>(o.shuffle_seed));
    same("sharded_data", o.sharded_data ? 1 : 0);
    same("batch_layout", static_cast<std::uint64_t>(o.batch_layout));
    same("the rows of X", X.shape()[0]);
    same("the rows of Y", Y.shape()[0]);
    if (!o.sharded_data) {
        same("the number of examples (without sharded_data every process holds the whole set)", m);
        same("the data X and Y (without sharded_data every process holds the whole set; for shards of it, set "
             "sharded_data)", fingerprint(X, Y));
        return m;
    }
    const std::size_t empty = c.total(m == 0 ? 1 : 0);
    const std::size_t whole = c.total(m);
    if (empty > 0) {
        throw value_error("train: " + std::to_string(empty) + " of the " + std::to_string(c.count()) +
                          " processes hold no examples (the set has " + std::to_string(whole) +
                          "); every shard needs at least one: use fewer processes than examples");
    }
    return whole;
}

// Each batch's part for this process: all of it, unless the batches are split.
shard batch_part(const train_options& o) {
    if (o.combiner == nullptr || o.sharded_data) return {};
    return {o.combiner->index(), o.combiner->count(), o.batch_layout};
}

}  // namespace

// What stops a broken training run (train_options::stop_on_non_finite).
class trainer::divergence_watch {
public:
    divergence_watch(const optimizer& opt, std::int64_t patience) : opt_(opt), patience_(patience) {}

    void check_cost(std::int64_t epoch, std::int64_t step, double cost) {
        if (std::isnan(cost)) {
            throw anomaly_error("train: the cost became NaN " + when(epoch, step) + " (the parameters are left as they "
                                "were before it); a learning rate too large for this problem (it is " + rate() +
                                ") or NaN in the data are the usual causes");
        }
        if (!std::isinf(cost)) {
            infinite_since_ = -1;
            return;
        }
        if (infinite_since_ < 0) infinite_since_ = step;
        if (patience_ > 0 && step - infinite_since_ + 1 >= patience_) {
            throw anomaly_error("train: the cost has been infinite for " + std::to_string(patience_) + " " +
                                (per_epoch_ ? "iterations" : "steps") + " in a row (since " +
                                (per_epoch_ ? "iteration " : "step ") + std::to_string(infinite_since_) +
                                "): training diverged; lower the learning rate (it is " + rate() + ")");
        }
    }

    void check_gradients(std::int64_t epoch, std::int64_t step, double cost) const {
        for (const parameter* p : opt_.parameters()) {
            if (!p->grad_current() || all_finite(p->grad)) continue;
            throw anomaly_error("train: the gradient of parameter '" + p->name + "' holds NaN or infinity " +
                                when(epoch, step) + " (cost " + number_text(cost) + "; the parameters are left as they "
                                "were before it). NaN or values too large in the data, or a learning rate too "
                                "large (it is " + rate() + "), are the usual causes");
        }
    }

    void check_parameters(std::int64_t epoch, std::int64_t step) const {
        for (const parameter* p : opt_.parameters()) {
            if (all_finite(p->value())) continue;
            throw anomaly_error("train: parameter '" + p->name + "' became NaN or infinite in the update " +
                                when(epoch, step) + ": the learning rate (" + rate() + ") is too large for this "
                                "problem");
        }
    }

    // With one batch an epoch, an epoch is an iteration and is called so.
    void one_batch_per_epoch(bool yes) { per_epoch_ = yes; }

private:
    std::string when(std::int64_t epoch, std::int64_t step) const {
        if (per_epoch_) return "at iteration " + std::to_string(epoch);
        return "at epoch " + std::to_string(epoch) + " (step " + std::to_string(step) + ")";
    }
    std::string rate() const { return number_text(opt_.learning_rate()); }

    const optimizer& opt_;
    std::int64_t patience_;
    std::int64_t infinite_since_ = -1;
    bool per_epoch_ = false;
};

trainer::trainer(batch_cost cost, optimizer& opt, const matrix& X, const matrix& Y, train_options options)
    : cost_(std::move(cost)),
      opt_(opt),
      options_(checked(std::move(options))),
      whole_examples_(whole_examples(options_, X, Y)),
      batches_(X, Y, options_.batch_size == train_options::full_batch ? X.shape()[1] : options_.batch_size,
               batch_part(options_)),
      whole_(options_.batch_size == train_options::full_batch),
      watch_(std::make_unique<divergence_watch>(opt, options_.divergence_patience)),
      bar_(options_.progress, options_.progress_label, options_.first_epoch + options_.epochs,
           batches_.count() == 1 ? "iteration" : "epoch"),
      epoch_(options_.first_epoch) {
    if (!cost_) throw value_error("train: no cost function given");
    watch_->one_batch_per_epoch(batches_.count() == 1);
    // The records of a usual run, so that epochs do not grow them (a longer run
    // grows them now and then, amortized).
    const auto records = static_cast<std::size_t>(std::min<std::int64_t>(
        options_.epochs / options_.record_every + 1, 4096));
    result_.costs.reserve(records);
    result_.learning_rates.reserve(records);
}

trainer::~trainer() = default;

double trainer::run_epoch() {
    const std::int64_t epoch = epoch_;
    if (options_.schedule) opt_.set_learning_rate(scheduled_rate(options_.schedule, epoch));
    if (whole_) {
        batches_.keep_order();
    } else {
        if (options_.shuffle_seed > largest_seed - epoch) {
            throw value_error("train: epoch " + std::to_string(epoch) + " would shuffle with seed " +
                              std::to_string(options_.shuffle_seed) + " + " + std::to_string(epoch) +
                              ", beyond numpy's 2^32 - 1");
        }
        batches_.shuffle(options_.shuffle_seed + epoch);
    }
    const bool watch = options_.stop_on_non_finite;
    double total = 0.0, last = 0.0;
    for (std::size_t k = 0; k < batches_.count(); ++k) {
        const batch part = batches_[k];
        const batch b{part.X, part.Y, part.index, options_.sharded_data ? whole_examples_ : part.whole_size};
        // A tape keeps its buffers when the shapes repeat: the smaller last batch
        // has a tape of its own, so neither reallocates from batch to batch.
        tape& t = k > 0 && b.whole_size < batches_[0].whole_size ? last_batch_tape_ : tape_;
        double c = 0.0;
        if (options_.combiner == nullptr) {
            t.clear();
            const var J = cost_(t, b);
            c = J.item();
            if (watch) watch_->check_cost(epoch, result_.steps, c);
            t.backward(J);
        } else {
            // This process's part (none when the batch has fewer examples than
            // processes), then the whole batch's cost and gradients. The checks
            // see the combined values, the same on every process, so all of
            // them stop together.
            double own = 0.0;
            if (b.size() > 0) {
                t.clear();
                const var J = cost_(t, b);
                own = J.item();
                t.backward(J);
            }
            const double weight = static_cast<double>(b.size()) / static_cast<double>(b.whole_size);
            c = options_.combiner->combine(opt_.parameters(), own, weight);
            if (watch) watch_->check_cost(epoch, result_.steps, c);
        }
        if (watch) watch_->check_gradients(epoch, result_.steps, c);
        opt_.step();
        if (watch) watch_->check_parameters(epoch, result_.steps);
        ++result_.steps;
        last = c;
        total += c * static_cast<double>(b.whole_size);
    }
    ++epoch_;
    // One batch: its cost as computed (so a full-batch run records exact costs).
    const double recorded = batches_.count() == 1 || options_.recorded == epoch_cost::last_batch
                                ? last
                                : total / static_cast<double>(whole_examples_);
    bar_.update(epoch, recorded);
    if (epoch % options_.record_every == 0) {
        result_.costs.emplace_back(epoch, recorded);
        result_.learning_rates.push_back(opt_.learning_rate());
        if (options_.on_record) {
            bar_.finish();
            options_.on_record(epoch, recorded);
        }
    }
    return recorded;
}

const train_result& trainer::run() {
    while (epochs_done() < options_.epochs) run_epoch();
    bar_.finish();
    return result_;
}

train_result train(const batch_cost& cost, optimizer& opt, const matrix& X, const matrix& Y,
                   const train_options& options) {
    trainer t(cost, opt, X, Y, options);
    return t.run();
}

}  // namespace tapegrad
