// expect: tape::reference refers to a matrix without copying
// A temporary matrix would be freed while the tape still reads it.
#include <tapegrad/tapegrad.hpp>

tapegrad::var f(tapegrad::tape& t) { return t.reference(tapegrad::make_matrix(2, 3, 1.0)); }
