// Trains an mlp on generated circles for a few steps, saves its parameters as
// .npy files and loads them into a second network, through the package's
// headers and both libraries. Argument: a scratch folder.
#include <cstdio>
#include <string>

#include <tapegrad/data.hpp>
#include <tapegrad/tapegrad.hpp>

int main(int argc, char** argv) {
    using namespace tapegrad;
    if (argc != 2) {
        std::fprintf(stderr, "usage: downstream_data SCRATCH_FOLDER\n");
        return 2;
    }
    random_state rng(1);
    const dataset d = make_circles(60, rng);
    mlp a({2, 5, 1}, initialization::he, 3);
    training_options o;
    o.iterations = 50;
    o.learning_rate = 0.1;
    train(a, d.X, d.Y, o);
    save_parameters(a.parameters(), std::string(argv[1]) + "/params");
    mlp b({2, 5, 1}, initialization::zeros);
    load_parameters(b.parameters(), std::string(argv[1]) + "/params");
    const double acc_a = a.accuracy(d.X, d.Y), acc_b = b.accuracy(d.X, d.Y);
    std::printf("accuracy %g, after save and load %g\n", acc_a, acc_b);
    return acc_a == acc_b ? 0 : 1;
}
