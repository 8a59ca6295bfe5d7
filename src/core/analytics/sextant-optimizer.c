#define G_LOG_DOMAIN "sextant-optimizer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/sextant-analytics-error.h"
#include "analytics/sextant-optimizer.h"
#include "analytics/sextant-qp.h"
#include "analytics/sextant-risk-parity.h"

struct _SextantOptimizer
{
  gsize       k;
  double     *mean;
  double     *covariance;
  char      **names;
  double     *lower;
  double     *upper;
  double     *ones;      /* row 0: 1'w = 1; row 1: μ'w = target */
  SextantQp  *qp;
  double      periods_per_year;   /* > 0: messages speak annualised percent */
};

void
sextant_optimizer_free (SextantOptimizer *self)
{
  if (self == NULL)
    return;

  g_free (self->mean);
  g_free (self->covariance);
  g_strfreev (self->names);
  g_free (self->lower);
  g_free (self->upper);
  g_free (self->ones);
  sextant_qp_free (self->qp);
  g_free (self);
}

/**
 * sextant_optimizer_set_periods_per_year:
 * @self: an optimizer
 * @periods_per_year: the periods of the returns in a year (252 for daily returns), or 0
 *
 * The optimizer works per period; a window shows annualised percentages. With @periods_per_year
 * set, the messages of its errors speak the window's units: returns × @periods_per_year and
 * volatilities × √@periods_per_year, in percent (“the target return 90 % a year exceeds the
 * largest achievable 41.7 %”), and weights in percent. With 0 (the default) they give the
 * per-period fractions the caller passed in. Targets are always given per period.
 */
void
sextant_optimizer_set_periods_per_year (SextantOptimizer *self,
                                        double            periods_per_year)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (periods_per_year >= 0);

  self->periods_per_year = periods_per_year;
}

/* “90 %”, “41.7 %”, “0.0417 %”: three significant figures, whole numbers from 100 up. */
static char *
format_percent (double fraction)
{
  double percent = 100 * fraction;

  if (fabs (percent) >= 100)
    /* Translators: a percentage */
    return g_strdup_printf (_("%.0f %%"), percent);

  /* Translators: a percentage */
  return g_strdup_printf (_("%.3g %%"), percent);
}

static char *
annual_return (SextantOptimizer *self,
               double            per_period)
{
  return format_percent (per_period * self->periods_per_year);
}

static char *
annual_volatility (SextantOptimizer *self,
                   double            per_period)
{
  return format_percent (per_period * sqrt (self->periods_per_year));
}

static gboolean
annualised (SextantOptimizer *self)
{
  return self->periods_per_year > 0;
}

static gboolean
check_inputs (const double        *mean,
              const double        *covariance,
              gsize                k,
              const char * const  *names,
              GError             **error)
{
  for (gsize i = 0; i < k; i++)
    {
      if (!isfinite (mean[i]))
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_NON_FINITE,
                       _("%s: its mean return is not a number"), names[i]);
          return FALSE;
        }
      if (!(covariance[i * k + i] > 0))
        {
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_ZERO_VARIANCE,
                       _("%s: its returns do not vary (variance %g), so it cannot be weighed "
                         "against the others"), names[i], covariance[i * k + i]);
          return FALSE;
        }
    }

  return TRUE;
}

/* A singular covariance most often comes from two columns that are the same series (a duplicate,
 * or an index and its tracker): name them when that is the cause. */
static void
name_identical_pair (SextantOptimizer  *self,
                     GError           **error)
{
  gsize k = self->k;

  for (gsize i = 0; i < k; i++)
    for (gsize j = i + 1; j < k; j++)
      {
        double c = self->covariance[i * k + j] /
                   sqrt (self->covariance[i * k + i] * self->covariance[j * k + j]);

        if (c > 1 - 1e-10)
          {
            g_prefix_error (error, _("%s and %s move identically (correlation %.12g). "),
                            self->names[i], self->names[j], c);
            return;
          }
      }
  g_prefix_error (error, _("Cannot optimise over these %zu assets (an asset may be a "
                    "combination of others, or there are fewer returns than assets): "), (size_t) k);
}

/**
 * sextant_optimizer_new:
 * @mean: (array length=k): mean return per period of each asset
 * @covariance: (array): k × k covariance, row-major
 * @k: number of assets, at least 1
 * @names: (array zero-terminated=1): asset names, used in error messages
 * @error: ZERO_VARIANCE naming the asset, SINGULAR if the covariance is not positive definite
 *
 * Returns: (transfer full) (nullable): an optimizer with long-only bounds
 */
SextantOptimizer *
sextant_optimizer_new (const double        *mean,
                       const double        *covariance,
                       gsize                k,
                       const char * const  *names,
                       GError             **error)
{
  g_autoptr(SextantOptimizer) self = NULL;

  g_return_val_if_fail (mean != NULL && covariance != NULL && names != NULL, NULL);
  g_return_val_if_fail (g_strv_length ((char **) names) == k, NULL);

  if (k == 0)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   _("No assets to optimise"));
      return NULL;
    }
  if (!check_inputs (mean, covariance, k, names, error))
    return NULL;

  self = g_new0 (SextantOptimizer, 1);
  self->k = k;
  self->mean = g_memdup2 (mean, sizeof (double) * k);
  self->covariance = g_memdup2 (covariance, sizeof (double) * k * k);
  self->names = g_strdupv ((char **) names);
  self->lower = g_new0 (double, k);
  self->upper = g_new (double, k);
  self->ones = g_new (double, 2 * k);
  for (gsize i = 0; i < k; i++)
    {
      self->upper[i] = 1;
      self->ones[i] = 1;
      self->ones[k + i] = mean[i];
    }

  self->qp = sextant_qp_new (covariance, k, error);
  if (self->qp == NULL)
    {
      name_identical_pair (self, error);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * sextant_optimizer_set_bounds:
 * @self: an optimizer
 * @lower: (array) (nullable): minimum weight per asset, %NULL for 0
 * @upper: (array) (nullable): maximum weight per asset, %NULL for 1
 * @error: INFEASIBLE when the bounds cannot sum to one, saying by how much
 */
gboolean
sextant_optimizer_set_bounds (SextantOptimizer  *self,
                              const double      *lower,
                              const double      *upper,
                              GError           **error)
{
  double sum_lo = 0, sum_hi = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  for (gsize i = 0; i < self->k; i++)
    {
      double lo = lower != NULL ? lower[i] : 0, hi = upper != NULL ? upper[i] : 1;

      if (isnan (lo) || isnan (hi) || lo > hi)
        {
          if (annualised (self))
            {
              g_autofree char *lo_text = format_percent (lo);
              g_autofree char *hi_text = format_percent (hi);

              /* Translators: an instrument, then two weights in percent */
              g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                           _("%s: the minimum weight %s exceeds the maximum %s"), self->names[i],
                           lo_text, hi_text);
            }
          else
            g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                         _("%s: the minimum weight %g exceeds the maximum %g"), self->names[i], lo, hi);
          return FALSE;
        }
      sum_lo += lo;
      sum_hi += hi;
    }
  if (sum_hi < 1 - 1e-12 || sum_lo > 1 + 1e-12)
    {
      g_autofree char *sum_text = format_percent (sum_hi < 1 - 1e-12 ? sum_hi : sum_lo);

      if (annualised (self) && sum_hi < 1 - 1e-12)
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("The maximum weights sum to %s, less than 100 %%: the portfolio cannot be "
                       "fully invested"), sum_text);
      else if (annualised (self))
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("The minimum weights sum to %s, more than 100 %%: the portfolio cannot be "
                       "fully invested"), sum_text);
      else if (sum_hi < 1 - 1e-12)
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("The maximum weights sum to %g < 1: the portfolio cannot be fully invested"),
                     sum_hi);
      else
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("The minimum weights sum to %g > 1: the portfolio cannot be fully invested"),
                     sum_lo);
      return FALSE;
    }

  for (gsize i = 0; i < self->k; i++)
    {
      self->lower[i] = lower != NULL ? lower[i] : 0;
      self->upper[i] = upper != NULL ? upper[i] : 1;
    }

  return TRUE;
}

/**
 * sextant_optimizer_evaluate:
 * @self: an optimizer
 * @weights: (array): portfolio weights
 * @expected_return: (out) (optional): w'μ per period
 * @volatility: (out) (optional): √(w'Σw) per period
 */
void
sextant_optimizer_evaluate (SextantOptimizer *self,
                            const double     *weights,
                            double           *expected_return,
                            double           *volatility)
{
  double ret = 0, var = 0;
  gsize k = self->k;

  for (gsize i = 0; i < k; i++)
    {
      double row = 0;

      for (gsize j = 0; j < k; j++)
        row += self->covariance[i * k + j] * weights[j];
      var += weights[i] * row;
      ret += weights[i] * self->mean[i];
    }
  if (expected_return != NULL)
    *expected_return = ret;
  if (volatility != NULL)
    *volatility = sqrt (MAX (var, 0));
}

/* Active-set solutions sit on their bounds up to rounding, and a bound left out of the final
 * active set can leave a weight at ±1e-17: snap anything within 1e-12 of a bound onto it (the
 * `clean` step of make_reference.R), so that a weight printed as 0 is 0. */
static void
snap_to_bounds (SextantOptimizer *self,
                double           *w)
{
  for (gsize i = 0; i < self->k; i++)
    {
      w[i] = CLAMP (w[i], self->lower[i], self->upper[i]);
      if (w[i] - self->lower[i] < 1e-12)
        w[i] = self->lower[i];
      else if (self->upper[i] - w[i] < 1e-12)
        w[i] = self->upper[i];
    }
}

typedef struct
{
  const double *key;
  gboolean      descending;
} Order;

static int
compare_by_key (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const Order *o = user_data;
  double x = o->key[*(const gsize *) a], y = o->key[*(const gsize *) b];

  return o->descending ? (x < y) - (x > y) : (x > y) - (x < y);
}

/* Starts at the lower bounds and fills the assets in the order of @key up to their maximum until
 * fully invested. Ordered by mean this solves the linear programme max (or min) w'μ under the
 * bounds; ordered by variance it is a cheap feasible start for minimum variance. */
static void
greedy_portfolio (SextantOptimizer *self,
                  const double     *key,
                  gboolean          descending,
                  double           *w)
{
  g_autofree gsize *order = g_new (gsize, self->k);
  Order o = { key, descending };
  double left = 1;

  for (gsize i = 0; i < self->k; i++)
    {
      order[i] = i;
      w[i] = self->lower[i];
      left -= self->lower[i];
    }
  g_qsort_with_data (order, self->k, sizeof (gsize), compare_by_key, &o);
  for (gsize r = 0; r < self->k && left > 0; r++)
    {
      gsize i = order[r];
      double add = MIN (self->upper[i] - self->lower[i], left);

      w[i] += add;
      left -= add;
    }
}

static double
extreme_return (SextantOptimizer *self,
                gboolean          highest)
{
  g_autofree double *w = g_new (double, self->k);
  double ret = 0;

  greedy_portfolio (self, self->mean, highest, w);
  for (gsize i = 0; i < self->k; i++)
    ret += w[i] * self->mean[i];

  return ret;
}

/* A feasible start for the target-return programme: the mix of the lowest- and highest-return
 * greedy portfolios (or of @from and the highest) that earns @target. */
static void
target_start (SextantOptimizer *self,
              const double     *from,
              double            target,
              double           *w)
{
  g_autofree double *hi = g_new (double, self->k);
  double r_from = 0, r_hi = 0, theta;

  greedy_portfolio (self, self->mean, TRUE, hi);
  if (from == NULL)
    greedy_portfolio (self, self->mean, FALSE, w);
  else
    memcpy (w, from, sizeof (double) * self->k);
  for (gsize i = 0; i < self->k; i++)
    {
      r_from += w[i] * self->mean[i];
      r_hi += hi[i] * self->mean[i];
    }
  theta = r_hi > r_from ? CLAMP ((target - r_from) / (r_hi - r_from), 0.0, 1.0) : 0.5;
  for (gsize i = 0; i < self->k; i++)
    w[i] = CLAMP ((1 - theta) * w[i] + theta * hi[i], self->lower[i], self->upper[i]);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* At the largest achievable return the feasible set is the linear programme's optimal face;
 * when no two assets have the same mean that face is one point, the greedy portfolio, and there
 * is nothing to minimise (the end of every frontier). Ties leave a face for the QP. */
static gboolean
highest_return_is_unique (SextantOptimizer *self,
                          double            target,
                          double           *weights)
{
  g_autofree double *sorted = g_memdup2 (self->mean, sizeof (double) * self->k);
  double r_hi = 0;

  greedy_portfolio (self, self->mean, TRUE, weights);
  for (gsize i = 0; i < self->k; i++)
    r_hi += weights[i] * self->mean[i];
  if (target < r_hi - 1e-12 * fabs (r_hi))
    return FALSE;
  qsort (sorted, self->k, sizeof (double), compare_doubles);
  for (gsize i = 1; i < self->k; i++)
    if (sorted[i] == sorted[i - 1])
      return FALSE;

  return TRUE;
}

/* Minimum variance, with w'μ = @target when @with_target. @start is a feasible point to warm
 * the solver with (the previous frontier point), or %NULL for a greedy one. */
static gboolean
solve_fully_invested (SextantOptimizer  *self,
                      gboolean           with_target,
                      double             target,
                      const double      *start,
                      double            *weights,
                      GError           **error)
{
  double b[2] = { 1, target };
  SextantQpConstraints cons = { with_target ? 2 : 1, with_target ? 2 : 1, self->ones, b,
                                self->lower, self->upper };
  g_autofree double *x0 = g_new (double, self->k);
  g_autofree double *variance = NULL;

  if (with_target && highest_return_is_unique (self, target, weights))
    return TRUE;
  if (with_target)
    target_start (self, start, target, x0);
  else
    {
      variance = g_new (double, self->k);
      for (gsize i = 0; i < self->k; i++)
        variance[i] = self->covariance[i * self->k + i];
      greedy_portfolio (self, variance, FALSE, x0);
    }

  if (!sextant_qp_solve_from (self->qp, NULL, &cons, x0, weights, error))
    return FALSE;
  snap_to_bounds (self, weights);

  return TRUE;
}

/**
 * sextant_optimizer_min_variance:
 * @self: an optimizer
 * @weights: (out caller-allocates) (array): the minimum-variance weights
 * @error: return location for an error
 */
gboolean
sextant_optimizer_min_variance (SextantOptimizer  *self,
                                double            *weights,
                                GError           **error)
{
  g_return_val_if_fail (self != NULL && weights != NULL, FALSE);

  return solve_fully_invested (self, FALSE, 0, NULL, weights, error);
}

/**
 * sextant_optimizer_return_range:
 * @self: an optimizer
 * @lowest: (out) (optional): the smallest w'μ the bounds allow
 * @highest: (out) (optional): the largest w'μ the bounds allow
 *
 * Returns: %TRUE
 */
gboolean
sextant_optimizer_return_range (SextantOptimizer *self,
                                double           *lowest,
                                double           *highest)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (lowest != NULL)
    *lowest = extreme_return (self, FALSE);
  if (highest != NULL)
    *highest = extreme_return (self, TRUE);

  return TRUE;
}

/**
 * sextant_optimizer_target_return:
 * @self: an optimizer
 * @target: the expected return per period wanted
 * @weights: (out caller-allocates) (array): the least-variance weights with w'μ = @target
 * @error: INFEASIBLE when the bounds cannot reach @target, naming the achievable range
 */
gboolean
sextant_optimizer_target_return (SextantOptimizer  *self,
                                 double             target,
                                 double            *weights,
                                 GError           **error)
{
  double lo, hi, slack;

  g_return_val_if_fail (self != NULL && weights != NULL, FALSE);

  sextant_optimizer_return_range (self, &lo, &hi);
  slack = 1e-12 * MAX (fabs (lo), fabs (hi));
  if (!isfinite (target) || target > hi + slack || target < lo - slack)
    {
      gboolean above = !(target < lo - slack);
      g_autofree char *target_text = annual_return (self, target);
      g_autofree char *limit_text = annual_return (self, above ? hi : lo);

      if (annualised (self) && above)
        /* Translators: two annual returns in percent, “90 %” and “41.7 %” */
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("The target return %s a year exceeds the largest achievable %s under these "
                       "bounds"), target_text, limit_text);
      else if (annualised (self))
        /* Translators: two annual returns in percent */
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("The target return %s a year is below the smallest achievable %s under these "
                       "bounds"), target_text, limit_text);
      else if (above)
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("The target return %g exceeds the largest achievable %g under these bounds"),
                     target, hi);
      else
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("The target return %g is below the smallest achievable %g under these bounds"),
                     target, lo);
      return FALSE;
    }

  return solve_fully_invested (self, TRUE, CLAMP (target, lo, hi), NULL, weights, error);
}

/* Homogeneous form of the bounds for max Sharpe, in y with w = y / Σy: y_i − lo_i Σy ≥ 0 and
 * hi_i Σy − y_i ≥ 0. Bounds 0 and ≥ 1 need no row (y ≥ 0 is a plain bound, w ≤ 1 always holds
 * when every w ≥ 0). */
static gsize
homogeneous_bound_rows (SextantOptimizer *self,
                        double           *rows,
                        gboolean          long_only)
{
  gsize k = self->k, m = 0;

  for (gsize i = 0; i < k; i++)
    {
      if (self->lower[i] != 0)
        {
          for (gsize j = 0; j < k; j++)
            rows[m * k + j] = (j == i) - self->lower[i];
          m++;
        }
      if (self->upper[i] < 1 || !long_only)
        {
          for (gsize j = 0; j < k; j++)
            rows[m * k + j] = self->upper[i] - (j == i);
          m++;
        }
    }

  return m;
}

/**
 * sextant_optimizer_max_sharpe:
 * @self: an optimizer
 * @rf: the risk-free return per period
 * @weights: (out caller-allocates) (array): the tangency portfolio
 * @error: INFEASIBLE when no portfolio within the bounds beats @rf
 *
 * Solved as make_reference.R does: min y'Σy subject to (μ − rf)'y = 1 and the bounds in
 * homogeneous form, then w = y / Σy — a convex programme whose answer maximises the Sharpe ratio.
 */
gboolean
sextant_optimizer_max_sharpe (SextantOptimizer  *self,
                              double             rf,
                              double            *weights,
                              GError           **error)
{
  gsize k = self->k, m;
  gboolean long_only = TRUE;
  g_autofree double *rows = NULL, *b = NULL, *lower = NULL, *upper = NULL;
  SextantQpConstraints cons;
  double hi, sum = 0;

  g_return_val_if_fail (self != NULL && weights != NULL, FALSE);

  sextant_optimizer_return_range (self, NULL, &hi);
  if (!(hi > rf))
    {
      g_autofree char *rf_text = annual_return (self, rf);
      g_autofree char *hi_text = annual_return (self, hi);

      if (annualised (self))
        /* Translators: two annual returns in percent */
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("No portfolio within the bounds earns more than the risk-free rate of %s a "
                       "year (the largest achievable return is %s): the maximum Sharpe ratio is "
                       "undefined"), rf_text, hi_text);
      else
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("No portfolio within the bounds earns more than the risk-free rate %g (the "
                       "largest achievable return is %g): the maximum Sharpe ratio is undefined"),
                     rf, hi);
      return FALSE;
    }

  for (gsize i = 0; i < k; i++)
    long_only = long_only && self->lower[i] >= 0;
  rows = g_new (double, (2 * k + 2) * k);
  b = g_new0 (double, 2 * k + 2);
  for (gsize j = 0; j < k; j++)
    rows[j] = self->mean[j] - rf;
  b[0] = 1;
  m = 1 + homogeneous_bound_rows (self, rows + k, long_only);
  if (!long_only)
    {
      /* With short positions allowed, Σy ≥ 0 keeps the scale positive. */
      for (gsize j = 0; j < k; j++)
        rows[m * k + j] = 1;
      m++;
    }

  lower = g_new (double, k);
  upper = g_new (double, k);
  for (gsize i = 0; i < k; i++)
    {
      lower[i] = long_only ? 0 : -INFINITY;
      upper[i] = INFINITY;
    }
  cons = (SextantQpConstraints) { m, 1, rows, b, lower, upper };
  if (!sextant_qp_solve (self->qp, NULL, &cons, weights, error))
    return FALSE;

  for (gsize i = 0; i < k; i++)
    sum += weights[i];
  for (gsize i = 0; i < k; i++)
    weights[i] /= sum;
  snap_to_bounds (self, weights);

  return TRUE;
}

/**
 * sextant_optimizer_target_volatility:
 * @self: an optimizer
 * @target: the volatility per period wanted
 * @weights: (out caller-allocates) (array): the highest-return weights with that volatility
 * @error: INFEASIBLE when @target lies outside the efficient frontier's range
 *
 * Volatility rises monotonically along the efficient frontier from the minimum-variance return to
 * the largest achievable one, so bisection on the target return finds the point; it stops when
 * the volatility matches to 1e-12 relative or the return interval is below 1e-15 of its width.
 */
gboolean
sextant_optimizer_target_volatility (SextantOptimizer  *self,
                                     double             target,
                                     double            *weights,
                                     GError           **error)
{
  double r_lo, r_hi, vol_lo, vol_hi, lo, hi;

  g_return_val_if_fail (self != NULL && weights != NULL, FALSE);

  if (!sextant_optimizer_target_return (self, extreme_return (self, TRUE), weights, error))
    return FALSE;
  sextant_optimizer_evaluate (self, weights, &r_hi, &vol_hi);
  if (!sextant_optimizer_min_variance (self, weights, error))
    return FALSE;
  sextant_optimizer_evaluate (self, weights, &r_lo, &vol_lo);

  if (!(target >= vol_lo * (1 - 1e-12)) || target > vol_hi * (1 + 1e-12))
    {
      gboolean below = !(target >= vol_lo * (1 - 1e-12));
      g_autofree char *target_text = annual_volatility (self, target);
      g_autofree char *limit_text = annual_volatility (self, below ? vol_lo : vol_hi);

      if (annualised (self) && below)
        /* Translators: two annual volatilities in percent */
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("The target volatility %s a year is below the smallest achievable %s (the "
                       "minimum-variance portfolio)"), target_text, limit_text);
      else if (annualised (self))
        /* Translators: two annual volatilities in percent */
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("The target volatility %s a year exceeds %s, the volatility of the "
                       "highest-return portfolio the bounds allow"), target_text, limit_text);
      else if (below)
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("The target volatility %g is below the smallest achievable %g (the "
                       "minimum-variance portfolio)"), target, vol_lo);
      else
        g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INFEASIBLE,
                     _("The target volatility %g exceeds %g, the volatility of the highest-return "
                       "portfolio the bounds allow"), target, vol_hi);
      return FALSE;
    }
  if (target <= vol_lo)
    return TRUE;

  lo = r_lo;
  hi = r_hi;
  for (guint it = 0; it < 200 && hi - lo > 1e-15 * (r_hi - r_lo); it++)
    {
      double mid = 0.5 * (lo + hi), vol;

      if (!solve_fully_invested (self, TRUE, mid, NULL, weights, error))
        return FALSE;
      sextant_optimizer_evaluate (self, weights, NULL, &vol);
      if (fabs (vol - target) <= 1e-12 * target)
        return TRUE;
      if (vol < target)
        lo = mid;
      else
        hi = mid;
    }

  return solve_fully_invested (self, TRUE, lo, NULL, weights, error);
}

/**
 * sextant_optimizer_frontier:
 * @self: an optimizer
 * @n_points: at least 2
 * @target_returns: (out caller-allocates) (array length=n_points): evenly spaced from the
 *   minimum-variance portfolio's return to the largest achievable return
 * @volatilities: (out caller-allocates) (array length=n_points): each point's volatility
 * @weights: (out caller-allocates) (array): n_points × k weights, row-major
 * @error: return location for an error
 *
 * The points share Σ, so its factorisation is done once for all of them, and each point is
 * warm-started from the previous one.
 */
gboolean
sextant_optimizer_frontier (SextantOptimizer  *self,
                            gsize              n_points,
                            double            *target_returns,
                            double            *volatilities,
                            double            *weights,
                            GError           **error)
{
  g_autofree double *min_var = NULL;
  double r_lo, r_hi;
  gsize k;

  g_return_val_if_fail (self != NULL, FALSE);

  k = self->k;
  if (n_points < 2)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                   _("A frontier needs at least 2 points, not %zu"), n_points);
      return FALSE;
    }
  min_var = g_new (double, k);
  if (!sextant_optimizer_min_variance (self, min_var, error))
    return FALSE;
  sextant_optimizer_evaluate (self, min_var, &r_lo, NULL);
  r_hi = extreme_return (self, TRUE);

  /* Each point starts from the previous one, mixed with the highest-return portfolio to reach
   * its target: neighbouring points share most of their active bounds, so few steps remain. */
  for (gsize p = 0; p < n_points; p++)
    {
      double target = r_lo + (r_hi - r_lo) * p / (n_points - 1);

      target_returns[p] = target;
      if (!solve_fully_invested (self, TRUE, target, p == 0 ? min_var : weights + (p - 1) * k,
                                 weights + p * k, error))
        return FALSE;
      sextant_optimizer_evaluate (self, weights + p * k, NULL, &volatilities[p]);
    }

  return TRUE;
}

/**
 * sextant_optimizer_risk_parity:
 * @self: an optimizer
 * @weights: (out caller-allocates) (array): long-only weights with equal risk contributions
 * @error: INVALID_ARGUMENT when bounds other than long-only are set; NOT_CONVERGED
 */
gboolean
sextant_optimizer_risk_parity (SextantOptimizer  *self,
                               double            *weights,
                               GError           **error)
{
  g_return_val_if_fail (self != NULL && weights != NULL, FALSE);

  for (gsize i = 0; i < self->k; i++)
    if (self->lower[i] != 0 || self->upper[i] < 1)
      {
        {
          g_autofree char *lo_text = format_percent (self->lower[i]);
          g_autofree char *hi_text = format_percent (self->upper[i]);

          /* Translators: an instrument and its weight bounds in percent */
          g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_INVALID_ARGUMENT,
                       _("Risk parity is long-only and takes no other bounds (%s has %s … %s)"),
                       self->names[i], lo_text, hi_text);
        }
        return FALSE;
      }

  return sextant_risk_parity_weights (self->covariance, self->k, NULL, weights, error);
}
