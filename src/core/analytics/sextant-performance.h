#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantDrawdown:
 * @max_drawdown: the largest fall from a peak of cumulative wealth, as a positive fraction
 * @peak: index in the wealth path of the peak before it (0 = the starting wealth of 1)
 * @trough: index of its trough (wealth after return t has index t + 1)
 * @recovery: index where wealth first regains the peak, or -1 if it never does
 * @duration: periods from the peak to the recovery (or to the end of the data)
 */
typedef struct
{
  double max_drawdown;
  gsize  peak;
  gsize  trough;
  gssize recovery;
  gsize  duration;
} SextantDrawdown;

/**
 * SextantBenchmarkStats:
 * @beta: cov(r, b) / var(b), sample moments
 * @alpha_annualised: (mean(r) − β mean(b)) × periods per year
 * @tracking_error_annualised: sd(r − b) × √(periods per year)
 * @information_ratio: mean(r − b) × periods per year / tracking error
 */
typedef struct
{
  double beta;
  double alpha_annualised;
  double tracking_error_annualised;
  double information_ratio;
} SextantBenchmarkStats;

gboolean sextant_max_drawdown      (const double           *returns,
                                    gsize                   n,
                                    SextantDrawdown        *drawdown,
                                    GError                **error);
gboolean sextant_drawdown_series   (const double           *returns,
                                    gsize                   n,
                                    double                 *drawdown,
                                    GError                **error);
gboolean sextant_sharpe_ratio      (const double           *returns,
                                    gsize                   n,
                                    double                  rf_per_period,
                                    double                  periods_per_year,
                                    double                 *sharpe,
                                    GError                **error);
gboolean sextant_sortino_ratio     (const double           *returns,
                                    gsize                   n,
                                    double                  mar_per_period,
                                    double                  periods_per_year,
                                    double                 *sortino,
                                    GError                **error);
gboolean sextant_volatility_annualised (const double       *returns,
                                    gsize                   n,
                                    double                  periods_per_year,
                                    double                 *volatility,
                                    GError                **error);
gboolean sextant_benchmark_stats   (const double           *returns,
                                    const double           *benchmark,
                                    gsize                   n,
                                    double                  periods_per_year,
                                    SextantBenchmarkStats  *stats,
                                    GError                **error);

G_END_DECLS
