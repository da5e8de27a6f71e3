// expect: use of deleted function.+mini_batches
// mini_batches keeps references to its data: temporary labels would dangle.
#include <tapegrad/tapegrad.hpp>

tapegrad::matrix load_labels();

void dangling(const tapegrad::matrix& X) { tapegrad::mini_batches batches(X, load_labels(), 64); }
