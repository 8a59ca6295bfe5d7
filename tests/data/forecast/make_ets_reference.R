# Reference values for Sextant's damped-trend forecast, ETS(A,Ad,N) on log prices, computed with
# R's forecast package (ets(), pegelsresid.C, forecast.ets).
# Usage: Rscript make_ets_reference.R PRICES.csv COLUMN HORIZON OUT.json
#
# Sextant's conventions (src/core/analytics/sextant-forecast.c), which this script reproduces with
# forecast's own code rather than re-implementing the recursion:
# - y = log(price); the first log price is the initial level l0 = y[1] and the initial trend is
#   fixed, b0 = (y[k+1] - y[1]) / k with k = min(n - 1, 10): they are not fitted. In ets() terms
#   the series is y[2..n] and (l0, b0) is the state before its first value, passed with
#   use.initial.values = TRUE.
# - alpha in [1e-4, 0.9999], 0 <= beta <= alpha (ets's beta, the error-correction form
#   b <- phi b + beta e), phi in [0.8, 0.98]: ets's "usual" bounds, except that ets keeps
#   beta >= 1e-4 where Sextant lets beta approach 0.
# - the loss is the sum of squared one-step errors, ets's opt.crit = "mse" times the length.
# ets() itself cannot fix the initial states while it optimises, so the minimum is searched with
# R's optim (a grid over the box, then L-BFGS-B from its best points) around ets(model =, use.
# initial.values = TRUE), whose mse is forecast's C recursion. Point forecasts and intervals are
# forecast.ets at the optimum, in log space; exp() of them gives prices.
# The hold-out figures repeat the whole fit without the last HORIZON prices.
suppressMessages(library(forecast))
a <- commandArgs(TRUE)
px <- read.csv(a[1], check.names = FALSE)
p <- px[[a[2]]]
stopifnot(all(is.finite(p)), all(p > 0))
h <- as.integer(a[3])

lo <- c(1e-4, 0, 0.8); hi <- c(0.9999, 1, 0.98)   # alpha, beta / alpha, phi

fit_fixed_init <- function(y) {
  n <- length(y); k <- min(n - 1, 10)
  x <- ts(y[-1])
  init <- c(l = y[1], b = (y[k + 1] - y[1]) / k)
  template <- suppressWarnings(ets(x, model = "AAN", damped = TRUE, opt.crit = "mse", bounds = "usual"))
  model_at <- function(q) {
    m <- template
    q <- unname(q)
    m$par <- c(alpha = q[1], beta = q[1] * q[2], phi = q[3], init)
    m$initstate <- init
    ets(x, model = m, use.initial.values = TRUE)
  }
  sse <- function(q) model_at(q)$mse * length(x)
  grid <- expand.grid(a = seq(0.02, 0.9999, length.out = 25), s = seq(0, 1, length.out = 11),
                      f = seq(0.8, 0.98, length.out = 10))
  v <- apply(grid, 1, sse)
  starts <- grid[order(v)[1:8], ]
  best <- NULL
  for (i in seq_len(nrow(starts))) {
    o <- optim(unlist(starts[i, ]), sse, method = "L-BFGS-B", lower = lo, upper = hi,
               control = list(factr = 1, pgtol = 0, maxit = 1000))
    if (is.null(best) || o$value < best$value) best <- o
  }
  m <- model_at(best$par)
  list(model = m, sse = best$value, x = x, init = init)
}

full <- fit_fixed_init(log(p))
fc <- forecast(full$model, h = h, level = c(80, 95))
n <- length(p)
hold <- fit_fixed_init(log(p[1:(n - h)]))
hfc <- exp(as.numeric(forecast(hold$model, h = h)$mean))
actual <- p[(n - h + 1):n]; last <- p[n - h]
rmse <- sqrt(mean((hfc - actual)^2)); naive <- sqrt(mean((last - actual)^2))

# For comparison only: ets's own fit of the same model, which also fits l0 and b0 and by default
# maximises the likelihood. Sextant does not fit the initial states, so these are not its targets.
own <- ets(ts(log(p)), model = "AAN", damped = TRUE)

par <- full$model$par
vec <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ","), "]")
cat(file = a[4], sep = "", "{\n",
 "\"source\":\"", basename(a[1]), "\",\"column\":\"", a[2], "\",\"n_prices\":", n, ",\"horizon\":", h, ",\n",
 "\"model\":\"ETS(A,Ad,N) on log prices; l0 = first log price, b0 = mean change over the first min(n-1,10) steps, both fixed\",\n",
 "\"r_version\":\"", R.version.string, "\",\"forecast_version\":\"", as.character(packageVersion("forecast")), "\",\n",
 sprintf("\"initial_level\":%.17g,\"initial_trend\":%.17g,\n", full$init[1], full$init[2]),
 sprintf("\"alpha\":%.17g,\"beta\":%.17g,\"phi\":%.17g,\n", par["alpha"], par["beta"], par["phi"]),
 sprintf("\"sse\":%.17g,\"n_errors\":%d,\"sigma2_r\":%.17g,\"sigma2_r_denominator\":%d,\n",
         full$sse, length(full$x), full$model$sigma2, length(full$x) - length(par) - 1),
 sprintf("\"loglik_r\":%.17g,\n", full$model$loglik),
 "\"final_level\":", sprintf("%.17g", tail(full$model$states[, "l"], 1)),
 ",\"final_trend\":", sprintf("%.17g", tail(full$model$states[, "b"], 1)), ",\n",
 "\"log_mean\":", vec(fc$mean), ",\n",
 "\"log_lower80\":", vec(fc$lower[, 1]), ",\n\"log_upper80\":", vec(fc$upper[, 1]), ",\n",
 "\"log_lower95\":", vec(fc$lower[, 2]), ",\n\"log_upper95\":", vec(fc$upper[, 2]), ",\n",
 "\"point\":", vec(exp(fc$mean)), ",\n",
 "\"lower80\":", vec(exp(fc$lower[, 1])), ",\n\"upper80\":", vec(exp(fc$upper[, 1])), ",\n",
 "\"lower95\":", vec(exp(fc$lower[, 2])), ",\n\"upper95\":", vec(exp(fc$upper[, 2])), ",\n",
 sprintf("\"holdout_alpha\":%.17g,\"holdout_beta\":%.17g,\"holdout_phi\":%.17g,\"holdout_sse\":%.17g,\n",
         hold$model$par["alpha"], hold$model$par["beta"], hold$model$par["phi"], hold$sse),
 "\"holdout_point\":", vec(hfc), ",\n",
 sprintf("\"holdout_rmse\":%.17g,\"naive_rmse\":%.17g,\"skill_ratio\":%.17g,\n", rmse, naive, rmse / naive),
 sprintf("\"ets_own_fit\":{\"note\":\"ets() defaults: l0 and b0 fitted, likelihood maximised; not Sextant's objective\",\"alpha\":%.17g,\"beta\":%.17g,\"phi\":%.17g,\"l0\":%.17g,\"b0\":%.17g,\"sse\":%.17g,\"loglik\":%.17g}\n",
         own$par["alpha"], own$par["beta"], own$par["phi"], own$par["l"], own$par["b"], own$mse * length(p), own$loglik),
 "}\n")
