"""numpy as bench-shards' peer (issue 18): the same shard files merged in the same run.

    python3 shards-peer.py ROUNDS SHARD-FILE...

Each shard file is a magic line, a line of JSON, then little-endian doubles. Times, inside Python
(neither the interpreter's start-up nor the import counts), ROUNDS times:
  - read: every file read and its values concatenated in order (numpy.frombuffer past the two
    header lines, numpy.concatenate), what a merge must do at the least;
  - report: that, then numpy.sort and the seven percentiles and moments the report prints.
Prints the best wall time of each in seconds on the first line, the number of values and what ran
on the second. Prints "PEER UNAVAILABLE: ..." and exits with status 3 without numpy.
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


def read_all(paths):
    parts = []
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        start = data.index(b"\n", data.index(b"\n") + 1) + 1
        parts.append(numpy.frombuffer(data, dtype="<f8", offset=start))
    return numpy.concatenate(parts)


def main():
    rounds = int(sys.argv[1])
    paths = sys.argv[2:]
    best_read = best_report = float("inf")
    n = 0

    for _ in range(rounds):
        start = time.perf_counter()
        values = read_all(paths)
        best_read = min(best_read, time.perf_counter() - start)
        n = values.size
        del values

        start = time.perf_counter()
        values = numpy.sort(read_all(paths))
        numpy.percentile(values, [1, 5, 25, 50, 75, 95, 99])
        values.mean(), values.std(ddof=1), values[0], values[-1]
        best_report = min(best_report, time.perf_counter() - start)
        del values
    print(repr(best_read), repr(best_report))
    print(f"{n} values; numpy {numpy.__version__} on Python {platform.python_version()} ({sys.executable})")


if __name__ == "__main__":
    main()
