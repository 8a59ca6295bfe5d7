# R quadprog as bench-optimizer's peer (issue 13): solves the benchmark's own long-only
# minimum-variance problems with solve.QP, in the same run, and gives back its best time and
# its weights so that the benchmark prints a ratio and checks that both solutions agree.
#
#   Rscript --vanilla quadprog-peer.R INPUT OUTPUT REPEATS
#
# INPUT (little-endian doubles, written by bench-optimizer.c): the number of problems, then for
# each problem n, the number of targets t, the mean (n), the covariance (n × n, row-major) and
# t target returns. t = 0 asks for the minimum-variance portfolio (1'w = 1, w ≥ 0); t > 0 for
# t frontier points, each the least variance with 1'w = 1, μ'w ≥ target, w ≥ 0 (the same as
# μ'w = target on the efficient side of the frontier, which every target is, and solve.QP
# then need not meet the highest return exactly). OUTPUT (same encoding): for each problem, the
# best CPU time in milliseconds for all its programmes, then its weights (n × max (t, 1)).
#
# Only the solve.QP calls are timed, in process CPU time (user + system from proc.time (), as
# the benchmark times Sextant): R's start-up, reading the file and building the constraint
# matrices are not. CPU time rather than wall time, since other work on a shared machine
# stretches the latter. proc.time () counts whole milliseconds, so when one round takes less
# than 50 ms the round is repeated until it does, and its time divided.
# Prints "PEER UNAVAILABLE: …" and exits with status 3 when quadprog is missing.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3)
  stop("usage: quadprog-peer.R INPUT OUTPUT REPEATS")
if (!suppressWarnings(requireNamespace("quadprog", quietly = TRUE))) {
  cat("PEER UNAVAILABLE: the R package quadprog is not installed",
      "(tests/bench/install-peers.sh installs r-cran-quadprog)\n")
  quit(save = "no", status = 3)
}
repeats <- as.integer(args[3])

input <- file(args[1], "rb")
read_doubles <- function(count) {
  values <- readBin(input, "double", n = count, size = 8, endian = "little")
  if (length(values) != count)
    stop("quadprog-peer.R: ", args[1], " ends early")
  values
}

# One round: every programme of a problem once. Returns the weights, one column per programme.
solve_round <- function(dmat, dvec, amat, bvec, mean, targets) {
  if (length(targets) == 0)
    return(matrix(quadprog::solve.QP(dmat, dvec, amat, bvec, meq = 1)$solution))
  sapply(targets, function(target) {
    bvec[2] <- target
    quadprog::solve.QP(dmat, dvec, amat, bvec, meq = 1)$solution
  })
}

cpu_seconds <- function() {
  now <- proc.time()
  now[["user.self"]] + now[["sys.self"]]
}

# The best time of REPEATS rounds, in milliseconds, and the last round's weights.
time_problem <- function(n, mean, cov, targets) {
  dvec <- rep(0, n)
  if (length(targets) == 0) {
    amat <- cbind(rep(1, n), diag(n))
    bvec <- c(1, rep(0, n))
  } else {
    amat <- cbind(rep(1, n), mean, diag(n))
    bvec <- c(1, 0, rep(0, n))
  }
  inner <- 1
  best <- Inf
  for (r in seq_len(repeats)) {
    repeat {
      start <- cpu_seconds()
      for (i in seq_len(inner))
        weights <- solve_round(cov, dvec, amat, bvec, mean, targets)
      elapsed <- cpu_seconds() - start
      if (elapsed >= 0.05 || inner >= 1024)
        break
      inner <- inner * 2
    }
    best <- min(best, 1000 * elapsed / inner)
  }
  list(ms = best, weights = weights)
}

n_problems <- read_doubles(1)
output <- file(args[2], "wb")
for (p in seq_len(n_problems)) {
  sizes <- read_doubles(2)
  n <- sizes[1]
  mean <- read_doubles(n)
  cov <- matrix(read_doubles(n * n), n, n, byrow = TRUE)
  targets <- read_doubles(sizes[2])
  result <- time_problem(n, mean, cov, targets)
  writeBin(c(result$ms, as.vector(result$weights)), output, size = 8, endian = "little")
}
close(output)
close(input)
cat(sprintf("quadprog %s on %s\n", as.character(packageVersion("quadprog")),
            R.version.string))
