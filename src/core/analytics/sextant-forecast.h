#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SextantForecastMethod:
 * @SEXTANT_FORECAST_DAMPED_TREND: Holt's damped-trend exponential smoothing, ETS(A,Ad,N), on log
 *   prices, fitted by least squares
 * @SEXTANT_FORECAST_GBM: a Monte Carlo cone of geometric Brownian motion paths with the drift and
 *   volatility of the data's log returns
 */
typedef enum
{
  SEXTANT_FORECAST_DAMPED_TREND,
  SEXTANT_FORECAST_GBM,
} SextantForecastMethod;

/* A fit needs at least this many prices besides the held-out ones. */
#define SEXTANT_FORECAST_MIN_FIT 20

/**
 * SextantForecast:
 * @method: how it was made
 * @horizon: steps ahead (in the data's periods)
 * @point: (array length=horizon): the point forecast (the median price)
 * @lower80: (array length=horizon): 10th percentile
 * @upper80: (array length=horizon): 90th percentile
 * @lower95: (array length=horizon): 2.5th percentile
 * @upper95: (array length=horizon): 97.5th percentile
 * @alpha: damped trend: level smoothing α
 * @beta: damped trend: trend smoothing β (error-correction form, as R's ets; 0 < β < α)
 * @phi: damped trend: damping φ, 0.8 … 0.98
 * @sigma: the standard deviation of one-step errors of log prices (damped trend) or of log
 *   returns (GBM)
 * @drift: GBM: the mean log return per period
 * @n_paths: GBM: paths simulated
 * @holdout: how many final prices were held out (= @horizon)
 * @rmse: root mean square error of the forecast made without the held-out prices
 * @mae: mean absolute error of that forecast
 * @naive_rmse: the same for the naive random-walk forecast (the last price, held flat)
 * @naive_mae: the naive forecast's mean absolute error
 * @skill_ratio: @rmse / @naive_rmse: below 1 the method beat the naive forecast on the hold-out,
 *   at or above 1 it showed no skill (NaN when the naive error is 0)
 */
typedef struct
{
  SextantForecastMethod method;
  guint    horizon;
  double  *point;
  double  *lower80;
  double  *upper80;
  double  *lower95;
  double  *upper95;
  double   alpha;
  double   beta;
  double   phi;
  double   sigma;
  double   drift;
  guint    n_paths;
  guint    holdout;
  double   rmse;
  double   mae;
  double   naive_rmse;
  double   naive_mae;
  double   skill_ratio;
} SextantForecast;

SextantForecast *sextant_forecast_damped_trend       (const double  *prices,
                                                      gsize          n,
                                                      guint          horizon,
                                                      GError       **error);
SextantForecast *sextant_forecast_gbm                (const double  *prices,
                                                      gsize          n,
                                                      guint          horizon,
                                                      guint          n_paths,
                                                      guint64        seed,
                                                      GCancellable  *cancellable,
                                                      GError       **error);
void             sextant_forecast_free               (SextantForecast *self);
double           sextant_damped_trend_sse            (const double  *y,
                                                      gsize          n,
                                                      double         alpha,
                                                      double         beta,
                                                      double         phi,
                                                      double        *level,
                                                      double        *trend);
double           sextant_damped_trend_variance_factor (double        alpha,
                                                      double         beta,
                                                      double         phi,
                                                      guint          h);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantForecast, sextant_forecast_free)

G_END_DECLS
