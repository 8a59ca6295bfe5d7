#pragma once

#include <gio/gio.h>

#include "sextant-rates-figures.h"
#include "sextant-rates-shock.h"
#include "sextant-risk-figures.h"

G_BEGIN_DECLS

typedef struct _SextantRiskReport SextantRiskReport;

SextantRiskReport *sextant_risk_report_new         (SextantRiskFigures  *figures,
                                                    const char          *prices_note,
                                                    const char          *date);
void               sextant_risk_report_add_rates   (SextantRiskReport   *self,
                                                    SextantRatesFigures *rates,
                                                    SextantRatesShock   *shock);
void               sextant_risk_report_free        (SextantRiskReport   *self);
guint              sextant_risk_report_count_pages (SextantRiskReport   *self);
gboolean           sextant_risk_report_write       (SextantRiskReport   *self,
                                                    GFile               *file,
                                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantRiskReport, sextant_risk_report_free)

G_END_DECLS
