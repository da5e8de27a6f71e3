// Trains a tiny model data-parallel on the processes mpirun started, and checks
// that every process ends with process 0's parameters, bit for bit.
#include <cstdio>
#include <vector>

#include <tapegrad/distributed.hpp>
#include <tapegrad/tapegrad.hpp>

using namespace tapegrad;
namespace dist = tapegrad::distributed;

int main(int argc, char** argv) {
    return dist::run(argc, argv, [](dist::communicator& world) {
        random_state rng(1);
        const matrix X = rng.randn(2, 30), Y = make_matrix(1, 30, 1.0);
        const shard mine{static_cast<std::size_t>(world.rank()), static_cast<std::size_t>(world.size())};
        const matrix Xs = take_shard(X, mine), Ys = take_shard(Y, mine);
        mlp model({2, 4, 1});
        dist::broadcast_parameters(world, model.parameters());
        gradient_descent gd(model.parameters(), 0.1);
        dist::gradient_allreduce allreduce(world, model.parameters());
        train_options o;
        o.epochs = 20;
        o.combiner = &allreduce;
        o.sharded_data = true;
        const train_result r = train([&](tape& t, const batch& b) {
            return model.cost(t, t.reference(b.X), t.reference(b.Y));
        }, gd, Xs, Ys, o);
        std::vector<double> mine_values, first;
        for (const parameter* p : model.parameters()) {
            mine_values.insert(mine_values.end(), p->value().begin(), p->value().end());
        }
        first = mine_values;
        world.broadcast(first.data(), first.size(), 0);
        if (first != mine_values) throw value_error("process " + std::to_string(world.rank()) + " drifted");
        if (world.rank() == 0) std::printf("cost %.6f after %lld epochs on %d processes\n", r.costs.back().second,
                                           static_cast<long long>(r.costs.back().first), world.size());
        return r.costs.back().second < r.costs.front().second ? 0 : 1;
    });
}
