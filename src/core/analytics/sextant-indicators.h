#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Technical indicators over plain arrays, oldest first. Every function writes n values into
 * caller-allocated arrays, NaN where the lookback leaves no value, and follows TA-Lib's
 * conventions (lookback, seeding, output alignment) so that figures match TA-Lib's to rounding.
 * On error the output arrays hold unspecified values. */

#define SEXTANT_INDICATOR_MAX_PERIOD 100000

gboolean sextant_sma_compute                (const double  *values,
                                             gsize          n,
                                             guint          period,
                                             double        *out,
                                             GError       **error);
gboolean sextant_ema_compute                (const double  *values,
                                             gsize          n,
                                             guint          period,
                                             double        *out,
                                             GError       **error);
gboolean sextant_wma_compute                (const double  *values,
                                             gsize          n,
                                             guint          period,
                                             double        *out,
                                             GError       **error);
gboolean sextant_rsi_compute                (const double  *values,
                                             gsize          n,
                                             guint          period,
                                             double        *out,
                                             GError       **error);
gboolean sextant_macd_compute               (const double  *values,
                                             gsize          n,
                                             guint          fast_period,
                                             guint          slow_period,
                                             guint          signal_period,
                                             double        *macd,
                                             double        *signal,
                                             double        *hist,
                                             GError       **error);
gboolean sextant_bbands_compute             (const double  *values,
                                             gsize          n,
                                             guint          period,
                                             double         k,
                                             double        *upper,
                                             double        *middle,
                                             double        *lower,
                                             GError       **error);
gboolean sextant_atr_compute                (const double  *high,
                                             const double  *low,
                                             const double  *close,
                                             gsize          n,
                                             guint          period,
                                             double        *out,
                                             GError       **error);
gboolean sextant_stoch_compute              (const double  *high,
                                             const double  *low,
                                             const double  *close,
                                             gsize          n,
                                             guint          fastk_period,
                                             guint          slowk_period,
                                             guint          slowd_period,
                                             double        *slowk,
                                             double        *slowd,
                                             GError       **error);
gboolean sextant_obv_compute                (const double  *close,
                                             const double  *volume,
                                             gsize          n,
                                             double        *out,
                                             GError       **error);
gboolean sextant_rolling_volatility_compute (const double  *prices,
                                             gsize          n,
                                             guint          window,
                                             double         periods_per_year,
                                             double        *out,
                                             GError       **error);

G_END_DECLS
