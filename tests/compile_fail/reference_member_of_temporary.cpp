// expect: tape::reference refers to a matrix without copying
// make_batch(...).X dies at the end of the statement (the mini-batch bug).
#include <tapegrad/tapegrad.hpp>

struct batch {
    tapegrad::matrix X, Y;
};
batch make_batch();

tapegrad::var f(tapegrad::tape& t) { return t.reference(make_batch().X); }
