#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SextantCurveModel:
 * @SEXTANT_CURVE_MODEL_NELSON_SIEGEL: β0 + β1 (1 − e^{−t/τ})/(t/τ) + β2 [(1 − e^{−t/τ})/(t/τ) − e^{−t/τ}]
 * @SEXTANT_CURVE_MODEL_SVENSSON: Nelson-Siegel on τ1 plus β3 [(1 − e^{−t/τ2})/(t/τ2) − e^{−t/τ2}]
 */
typedef enum
{
  SEXTANT_CURVE_MODEL_NELSON_SIEGEL,
  SEXTANT_CURVE_MODEL_SVENSSON,
} SextantCurveModel;

/* The decay times are searched in [0.1, 30] years. */
#define SEXTANT_CURVE_FIT_TAU_MIN 0.1
#define SEXTANT_CURVE_FIT_TAU_MAX 30.0

/**
 * SextantCurveFit:
 * @model: the model
 * @beta: β0 … β3 in the unit of the fitted rates (β3 is 0 for Nelson-Siegel)
 * @tau: τ1, τ2 in years (τ2 is 0 for Nelson-Siegel)
 * @rmse: root mean square of the residuals, in the unit of the fitted rates
 */
typedef struct
{
  SextantCurveModel model;
  double            beta[4];
  double            tau[2];
  double            rmse;
} SextantCurveFit;

gboolean    sextant_curve_fit            (SextantCurveModel       model,
                                          const double           *time,
                                          const double           *rate,
                                          gsize                   n,
                                          SextantCurveFit        *fit,
                                          GError                **error);
double      sextant_curve_fit_value      (const SextantCurveFit  *fit,
                                          double                  time);
gboolean    sextant_curve_model_from_name (const char            *name,
                                          SextantCurveModel      *model);
const char *sextant_curve_model_name     (SextantCurveModel       model);

G_END_DECLS
