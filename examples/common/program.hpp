// What every example program does first and last, so that it fails with a
// message instead of hanging, dying silently or losing its output.
#pragma once

namespace tapegrad::examples {

// At the top of main:
// - standard output closed: a message and exit status 2 (a file the program
//   opened next would take its place and receive the console text);
// - SIGPIPE (a reader that went away, gnuplot or the terminal's pipe) and SIGXFSZ
//   (a file size limit) become write errors, reported where they happen, instead
//   of killing the program without a word;
// - under an address-space limit (ulimit -v, or -d), the program runs again with
//   OPENBLAS_NUM_THREADS=1: each OpenBLAS thread takes a 128 MB buffer as it
//   starts and spins forever when the limit refuses it, and the process can then
//   not even exit. (A product that still cannot get its buffer throws.)
// - OpenBLAS's generic kernels on a CPU with AVX2 (blas_kernel.hpp): a note on
//   stderr saying what to do.
void start_program(int argc, char** argv);

// At the end of main: flushes standard output; when it could not be written (a
// full disk, a closed pipe) says so on stderr and returns 1, else `status`.
int finish_program(const char* name, int status);

}  // namespace tapegrad::examples
