# Risk reference values for Sextant (component VaR, drawdown dates, stress windows, Ledoit-Wolf
# shrinkage, Monte Carlo VaR/ES limits), computed with base R only.
# Usage: Rscript make_risk_reference.R PRICES.csv ASSETS(comma) OUT.json
# Data conventions are those of ../portfolio/make_reference.R: rows with a missing price in any
# used column are dropped; simple returns; sample mean and covariance (n - 1); equal weights.
a <- commandArgs(TRUE)
px <- read.csv(a[1], check.names = FALSE)
assets <- strsplit(a[2], ",")[[1]]
px <- px[complete.cases(px[, c(assets, "SPI")]), ]   # the same rows as make_reference.R keeps
P <- as.matrix(px[, assets]); R <- P[-1, , drop = FALSE] / P[-nrow(P), , drop = FALSE] - 1
dates <- as.character(px$date[-1])
n <- nrow(R); k <- ncol(R); mu <- colMeans(R); S <- cov(R)
w <- rep(1 / k, k); r <- drop(R %*% w)
mp <- sum(w * mu); sp <- sqrt(drop(t(w) %*% S %*% w))

# --- Gaussian VaR and its Euler allocation --------------------------------------------------
# VaR(w) = -(w'mu + z sqrt(w'Sw)), z = qnorm(1 - c). Its gradient is checked against central
# differences of that function, so the component formula is not taken on trust.
gvar <- function(w, c) -(sum(w * mu) + qnorm(1 - c) * sqrt(drop(t(w) %*% S %*% w)))
components <- function(c) {
  marginal <- -(mu + qnorm(1 - c) * drop(S %*% w) / sp)
  fd <- sapply(1:k, function(i) { e <- replace(rep(0, k), i, 1e-6)
                                   (gvar(w + e, c) - gvar(w - e, c)) / 2e-6 })
  stopifnot(max(abs(fd - marginal)) < 1e-8, abs(sum(w * marginal) - gvar(w, c)) < 1e-15)
  list(marginal = marginal, component = w * marginal, total = gvar(w, c))
}
cv95 <- components(0.95); cv99 <- components(0.99)
vol_contrib <- w * drop(S %*% w) / sp   # volatility contributions, summing to sd_p

# --- drawdown of the equal-weight portfolio, Sextant's definition -----------------------------
# Wealth path W_0 = 1, W_t = prod(1 + r_1..r_t), indices 0..n. Max drawdown = max(1 - W/cummax W);
# trough = first index where it is reached; peak = last index <= trough where W equals the
# running maximum (a later equal high counts as the peak); recovery = first index after the
# trough with W >= W_peak, or -1; duration = (recovery, or n without one) - peak, in periods.
W <- c(1, cumprod(1 + r)); run <- cummax(W); dd <- 1 - W / run
trough <- which.max(dd) - 1
peak <- max(which(W[1:(trough + 1)] >= run[trough + 1])) - 1
after <- which(W[(trough + 2):(n + 1)] >= W[peak + 1])
recovery <- if (length(after)) trough + after[1] else -1
duration <- (if (recovery >= 0) recovery else n) - peak

# --- worst historical windows -----------------------------------------------------------------
# Loss of the window of N returns from index s (0-based) = 1 - prod(1 + r[s+1 .. s+N]). The worst
# window is taken first; then the worst among those sharing no period with any taken one; and so
# on (the earliest start wins a tie).
worst_windows <- function(N, m) {
  loss <- sapply(1:(n - N + 1), function(s) 1 - prod(1 + r[s:(s + N - 1)]))
  taken <- rep(FALSE, n); out <- NULL
  for (j in 1:m) {
    free <- sapply(1:(n - N + 1), function(s) !any(taken[s:(s + N - 1)]))
    if (!any(free)) break
    s <- which(free)[which.max(loss[free])]
    taken[s:(s + N - 1)] <- TRUE
    out <- rbind(out, c(s - 1, loss[s]))
  }
  out
}
stress <- lapply(c(1, 5, 21), function(N) list(N = N, w = worst_windows(N, 5)))

# --- Ledoit-Wolf shrinkage to the constant-correlation target ---------------------------------
# Ledoit and Wolf, "Honey, I shrunk the sample covariance matrix", J. Portfolio Management 30(4),
# 2004, Appendix B, in its matrix form. Like the paper, the sample covariance here divides by t.
X <- sweep(R, 2, mu); t_ <- n
Sm <- crossprod(X) / t_; v <- diag(Sm); sv <- sqrt(v)
rbar <- (sum(Sm / outer(sv, sv)) - k) / (k * (k - 1))
Fm <- rbar * outer(sv, sv); diag(Fm) <- v
pi_mat <- crossprod(X^2) / t_ - 2 * crossprod(X) * Sm / t_ + Sm^2
theta <- crossprod(X^3, X) / t_ - v * Sm            # theta_ii,ij = E[x_i^3 x_j] - s_ii s_ij
rho <- sum(diag(pi_mat)) + rbar * sum((outer(1 / sv, sv) * theta)[row(theta) != col(theta)])
gamma <- sum((Sm - Fm)^2)
delta <- max(0, min(1, (sum(pi_mat) - rho) / gamma / t_))
lw <- delta * Fm + (1 - delta) * Sm

# --- Monte Carlo limits -----------------------------------------------------------------------
# Sextant simulates w'x = mp + sp Z with Z standard normal, or with Z = T sqrt((nu - 2) / nu), T
# Student t with nu degrees of freedom (unit variance). With N scenarios the estimates converge to
# VaR = -(mp + sp q), q the (1 - c) quantile of Z, and ES = -(mp + sp E[Z | Z <= q]). The
# standard errors at N scenarios, tail probability p = 1 - c, density f of Z (Serfling 1980,
# 2.3.3, for the quantile; Chen, J. Financial Econometrics 6, 2008, for the tail mean) are
#   se(VaR) = sp sqrt(p (1 - p) / N) / f(q)
#   se(ES)  = sp sqrt((Var[Z | Z <= q] + (1 - p) (q - E[Z | Z <= q])^2) / (N p))
# The tail moments are integrated numerically and the closed forms checked against them.
N <- 200000L
mc <- function(dist, nu, c) {
  p <- 1 - c
  if (dist == "normal") { s <- 1; q <- qnorm(p); f <- function(z) dnorm(z)
                          es_closed <- -dnorm(q) / p }
  else { s <- sqrt((nu - 2) / nu); q <- qt(p, nu) * s; f <- function(z) dt(z / s, nu) / s
         es_closed <- -s * dt(q / s, nu) / p * (nu + (q / s)^2) / (nu - 1) }
  m1 <- integrate(function(z) z * f(z), -Inf, q, rel.tol = 1e-12)$value / p
  m2 <- integrate(function(z) z^2 * f(z), -Inf, q, rel.tol = 1e-12)$value / p
  stopifnot(abs(m1 - es_closed) < 1e-9 * abs(m1))
  c(var = -(mp + sp * q), es = -(mp + sp * m1),
    se_var = sp * sqrt(p * (1 - p) / N) / f(q),
    se_es = sp * sqrt((m2 - m1^2 + (1 - p) * (q - m1)^2) / (N * p)))
}
mc_rows <- list(list("normal", 0), list("student_t", 4), list("student_t", 5))

num <- function(x) sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(num(x), collapse = ","), "]")
obj <- function(x) paste0("{", paste(sprintf("\"%s\":%s", assets, num(x)), collapse = ","), "}")
comp <- function(cv) paste0("{\"marginal\":", obj(cv$marginal), ",\n  \"component\":", obj(cv$component),
                            ",\n  \"total\":", num(cv$total), "}")
win <- function(s) paste0("{\"window\":", s$N, ",\"start\":[", paste(s$w[, 1], collapse = ","),
                          "],\"start_date\":[", paste0("\"", dates[s$w[, 1] + 1], "\"", collapse = ","),
                          "],\"loss\":", vec(s$w[, 2]), "}")
mcs <- unlist(lapply(mc_rows, function(d) sapply(c(0.95, 0.99), function(c) {
  x <- mc(d[[1]], d[[2]], c)
  sprintf("{\"distribution\":\"%s\",\"dof\":%s,\"confidence\":%s,\"var\":%s,\"es\":%s,\"se_var\":%s,\"se_es\":%s}",
          d[[1]], d[[2]], c, num(x["var"]), num(x["es"]), num(x["se_var"]), num(x["se_es"])) })))
cat(file = a[3], sep = "", "{\n",
 "\"source\":\"", basename(a[1]), "\",\"assets\":", paste0("[", paste0("\"", assets, "\"", collapse = ","), "]"),
 ",\"weights\":\"equal\",\"n_obs\":", n, ",\"r_version\":\"", R.version.string, "\",\n",
 "\"portfolio_mean\":", num(mp), ",\"portfolio_sd\":", num(sp), ",\n",
 "\"gaussian_var_components_95\":", comp(cv95), ",\n",
 "\"gaussian_var_components_99\":", comp(cv99), ",\n",
 "\"volatility_contributions\":", obj(vol_contrib), ",\n",
 "\"drawdown\":{\"max_drawdown\":", num(dd[trough + 1]), ",\"peak\":", peak, ",\"trough\":", trough,
 ",\"recovery\":", recovery, ",\"duration\":", duration,
 ",\"note\":\"indices into the wealth path, 0 = the start before the first return\"},\n",
 "\"stress_worst_windows\":[", paste(sapply(stress, win), collapse = ",\n "), "],\n",
 "\"ledoit_wolf_constant_correlation\":{\"shrinkage\":", num(delta), ",\"mean_correlation\":", num(rbar),
 ",\"covariance\":", vec(t(lw)), "},\n",
 "\"monte_carlo_limits\":{\"n_scenarios\":", N, ",\"rows\":[\n  ", paste(mcs, collapse = ",\n  "), "]}\n",
 "}\n")
