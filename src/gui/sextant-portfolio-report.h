#pragma once

#include <gio/gio.h>

#include "sextant-portfolio-run.h"

G_BEGIN_DECLS

/**
 * SextantPortfolioReportInput:
 * @result: the optimization; its request gives the holdings, bounds and data range
 * @scenario: (nullable): a simulation of the optimized portfolio
 * @backtest: (nullable): a backtest of the optimized against the current weights
 * @summary: (nullable): the assistant's committee summary, Markdown
 * @cited: (nullable) (element-type SextantCitedPassage): the knowledge base's passages the
 *   summary cites
 * @date: the report's date, as the reader should see it
 */
typedef struct
{
  SextantOptimizationResult *result;
  SextantScenarioOutcome    *scenario;
  SextantBacktestOutcome    *backtest;
  const char                *summary;
  GPtrArray                 *cited;
  const char                *date;
} SextantPortfolioReportInput;

typedef struct _SextantPortfolioReport SextantPortfolioReport;

SextantPortfolioReport *sextant_portfolio_report_new         (const SextantPortfolioReportInput *input,
                                                              GError                          **error);
void                    sextant_portfolio_report_free        (SextantPortfolioReport           *self);
guint                   sextant_portfolio_report_count_pages (SextantPortfolioReport           *self);
gboolean                sextant_portfolio_report_write       (SextantPortfolioReport           *self,
                                                              GFile                            *file,
                                                              GError                          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantPortfolioReport, sextant_portfolio_report_free)

G_END_DECLS
