"""numpy as bench-scenarios' peer (issue 13): standard normals drawn in the same run.

    python3 numpy-peer.py COUNT ROUNDS SEED

Times numpy.random.default_rng(SEED).standard_normal(COUNT) (PCG64 and numpy's ziggurat, one
thread) ROUNDS times, inside Python around that call only, so neither the interpreter's start-up
nor the import counts. Prints the best wall time and the best process CPU time in seconds on the
first line, and what ran on the second. Prints "PEER UNAVAILABLE: ..." and exits with status 3 when
this interpreter cannot import numpy.
"""
import platform
import sys
import time

try:
    import numpy
except ImportError:
    print(f"PEER UNAVAILABLE: {sys.executable} cannot import numpy "
          "(tests/bench/install-peers.sh installs python3-numpy)")
    sys.exit(3)


def main():
    count, rounds, seed = (int(arg) for arg in sys.argv[1:4])
    best_wall = best_cpu = float("inf")

    for _ in range(rounds):
        generator = numpy.random.default_rng(seed)
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        normals = generator.standard_normal(count)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
        best_wall = min(best_wall, time.perf_counter() - start_wall)
        # Drop the array before the next round, so that no round runs with two in memory.
        del normals
    print(repr(best_wall), repr(best_cpu))
    print(f"numpy {numpy.__version__} on Python {platform.python_version()} ({sys.executable})")


if __name__ == "__main__":
    main()
