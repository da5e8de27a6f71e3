#!/usr/bin/python3
"""Writes the .npy fixtures tests/test_npy.cpp reads: arrays saved by numpy
itself in the dtypes and layouts load_npy accepts. Run once from this folder
with Debian's python3-numpy: /usr/bin/python3 make_npy_fixtures.py.
The tests know the values: element (i, j) of a 2-D fixture is i * 10 + j + 0.5
(integers and bools: (i * 10 + j) cast)."""
import numpy as np

rows, cols = 3, 4
grid = np.array([[i * 10 + j + 0.5 for j in range(cols)] for i in range(rows)])
np.save("npy/f8_c.npy", grid)
np.save("npy/f8_fortran.npy", np.asfortranarray(grid))
np.save("npy/f4.npy", grid.astype(np.float32))
np.save("npy/i8.npy", (grid - 0.5).astype(np.int64))
np.save("npy/i4.npy", (grid - 0.5).astype(np.int32))
np.save("npy/u1.npy", (grid - 0.5).astype(np.uint8))
np.save("npy/b1.npy", ((grid - 0.5).astype(np.int64) % 2 == 1))
np.save("npy/vector.npy", np.arange(5, dtype=np.float64) + 0.5)
np.save("npy/scalar.npy", np.float64(2.5))
np.save("npy/three_d.npy", np.zeros((2, 2, 2)))
np.save("npy/big_endian.npy", grid.astype(">f8"))
np.save("npy/empty_rows.npy", np.zeros((0, 3)))
