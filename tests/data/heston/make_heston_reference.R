#!/usr/bin/Rscript
# Heston variance-process estimates by the moments of realized variance: an independent
# implementation, in base R, of the estimator documented at the top of
# src/core/analytics/sextant-heston-estimate.c, applied to real closes.
#
#   Rscript make_heston_reference.R OUT.json PRICES.csv [PRICES.csv ...]
#
# Each file's `close` column gives log returns r_t = ln(p_t / p_{t-1}); they are cut into J
# blocks of m = 21 returns aligned to the end of the series, P = 252 periods a year, Δ = m / P:
#   RV_j = (P/m) Σ (r_t − r̄)² (r̄ the mean of the returns kept), R_j = Σ r_t
#   θ = mean RV;  Var v̄ = (var RV − 2θ²/m) / (1 + 2/m)  (var with n − 1)
#   C1 = Σ_{j<J} (RV_j − θ)(RV_{j+1} − θ) / (J − 1);  φ = C1 / Var v̄
#   a = κΔ solves φ = (1 − e^{−a})² / (2(a − 1 + e^{−a}))  (uniroot on [1e-4, 200], tol 1e-14)
#   Var v = Var v̄ · a² / (2(a − 1 + e^{−a}));  ξ = √(2κ Var v / θ)
#   ρ = Cov(R_j, RV_j − RV_{j−1}) / (ξ θ Δ c(a)),  summed over j = 2 … J, divided by J − 2,
#       R_j centred on the mean of all J block returns,  c(a) = (1 − (1 − e^{−a})/a) / a
#   v₀ = RV_J (at least θ/1000).
# When C1 / var RV < 2/√J (no persistence distinguishable from noise) the variance is taken as
# constant: κ = 50, ξ = 0, ρ = 0, "clamped"; κ is held to [0.05, 50], ξ to ≤ 3, ρ to [−1, 1].
# Numbers are printed with 17 significant digits. GPL-3.0-or-later, like Sextant.

m <- 21
P <- 252
KAPPA_MIN <- 0.05
KAPPA_MAX <- 50
XI_MAX <- 3

estimate <- function(r) {
  n <- length(r)
  J <- n %/% m
  kept <- r[(n - J * m + 1):n]
  mu <- mean(kept)
  blocks <- matrix(kept, nrow = m)           # one column per block, oldest first
  rv <- colSums((blocks - mu)^2) * P / m
  ret <- colSums(blocks)
  delta <- m / P
  theta <- mean(rv)
  v <- var(rv)
  c1 <- sum((rv[-J] - theta) * (rv[-1] - theta)) / (J - 1)
  c_rho <- sum((ret[-1] - mean(ret)) * diff(rv)) / (J - 2)
  var_bar <- (v - 2 * theta^2 / m) / (1 + 2 / m)
  clamped <- FALSE
  out <- list(n_returns = n, n_blocks = J, theta = theta, v0 = max(rv[J], 1e-3 * theta))
  if (var_bar <= 0 || c1 / v < 2 / sqrt(J)) {
    return(c(out, list(kappa = KAPPA_MAX, xi = 0, rho = 0, clamped = TRUE)))
  }
  phi <- c1 / var_bar
  ratio <- function(a) (1 - exp(-a))^2 / (2 * (a - 1 + exp(-a)))
  # Below a = 1e-4 the ratio loses its digits to cancellation; such an a is a κ below the
  # lower limit anyway (κ = a/Δ < 0.0012), held to it below.
  if (phi >= ratio(1e-4)) {
    clamped <- TRUE
    a <- KAPPA_MIN * delta
  } else {
    a <- uniroot(function(a) ratio(a) - phi, c(1e-4, 200), tol = 1e-14)$root
  }
  kappa <- a / delta
  if (kappa < KAPPA_MIN || kappa > KAPPA_MAX) {
    clamped <- TRUE
    kappa <- min(max(kappa, KAPPA_MIN), KAPPA_MAX)
    a <- kappa * delta
  }
  var_v <- max(var_bar, 0) * a^2 / (2 * (a - 1 + exp(-a)))
  xi <- sqrt(2 * kappa * var_v / theta)
  if (xi > XI_MAX) {
    clamped <- TRUE
    xi <- XI_MAX
  }
  weight <- (1 - (1 - exp(-a)) / a) / a
  rho <- c_rho / (xi * theta * delta * weight)
  if (abs(rho) > 1) {
    clamped <- TRUE
    rho <- min(max(rho, -1), 1)
  }
  c(out, list(kappa = kappa, xi = xi, rho = rho, clamped = clamped))
}

fmt <- function(x) {
  if (is.logical(x)) return(if (x) "true" else "false")
  if (x == round(x) && abs(x) < 1e15) return(format(x, scientific = FALSE))
  formatC(x, digits = 17, format = "g")
}

args <- commandArgs(trailingOnly = TRUE)
entries <- character(0)
for (path in args[-1]) {
  prices <- read.csv(path)
  est <- estimate(diff(log(prices$close)))
  fields <- paste0('    "', names(est), '": ', vapply(est, fmt, ""), collapse = ",\n")
  entries <- c(entries, paste0('  "', basename(path), '": {\n', fields, "\n  }"))
}
writeLines(c("{", paste(entries, collapse = ",\n"), "}"), args[1])
