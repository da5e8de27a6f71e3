// A distributed program that fails on purpose, for tests/distributed/run_mpi.cmake:
//   one      process 1 (the last one) throws in the middle of data-parallel
//            training while the others wait for it in the gradient allreduce;
//   all      every process throws the same error (a bad input every process checks);
//   mismatch the last process builds a different model;
//   status   the last process returns 3 at once while the others start training.
// The job must end with a non-zero status and the message printed once.
#include <cstring>
#include <string>

#include <tapegrad/distributed.hpp>
#include <tapegrad/tapegrad.hpp>

using namespace tapegrad;
namespace dist = tapegrad::distributed;

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    return dist::run(argc, argv, [&](dist::communicator& world) {
        if (mode == "all") throw value_error("every process refuses this input");
        // One process stops with a status of its own while the others go on into the allreduce.
        if (mode == "status" && world.rank() == world.size() - 1) return 3;
        const bool last = world.rank() == world.size() - 1;
        mlp model({2, mode == "mismatch" && last ? 4u : 3u, 1});
        dist::broadcast_parameters(world, model.parameters());
        gradient_descent gd(model.parameters(), 0.1);
        dist::gradient_allreduce allreduce(world, model.parameters());
        random_state rng(1);
        const matrix X = rng.randn(2, 40), Y = make_matrix(1, 40, 1.0);
        train_options o;
        o.epochs = 1000000;  // long enough that the others are waiting when one fails
        o.combiner = &allreduce;
        std::int64_t calls = 0;
        train([&](tape& t, const batch& b) {
            if (mode == "one" && last && ++calls == 50) throw value_error("process " + std::to_string(world.rank()) +
                                                                            " failed on purpose at step 50");
            return model.cost(t, t.reference(b.X), t.reference(b.Y));
        }, gd, X, Y, o);
        return 0;
    }, {"failure", std::chrono::milliseconds(2000)});
}
