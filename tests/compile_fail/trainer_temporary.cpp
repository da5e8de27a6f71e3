// expect: use of deleted function.+trainer
// A trainer keeps references to its data between epochs: a temporary X (here
// a function's result, gone at the end of the statement) would dangle.
#include <tapegrad/tapegrad.hpp>

tapegrad::matrix load_examples();

void dangling(tapegrad::mlp& net, tapegrad::optimizer& opt, const tapegrad::matrix& Y) {
    tapegrad::trainer t(
        [&](tapegrad::tape& tp, const tapegrad::batch& b) { return net.cost(tp, tp.reference(b.X), tp.reference(b.Y)); },
        opt, load_examples(), Y);
}
