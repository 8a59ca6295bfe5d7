#pragma once

#include <adwaita.h>

#include "sextant-portfolio-run.h"
#include "sextant-workspace-window.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_PORTFOLIO_WINDOW (sextant_portfolio_window_get_type ())

G_DECLARE_FINAL_TYPE (SextantPortfolioWindow, sextant_portfolio_window, SEXTANT, PORTFOLIO_WINDOW, SextantWorkspaceWindow)

SextantPortfolioWindow    *sextant_portfolio_window_new         (GtkApplication         *application,
                                                                 SextantWorkspace       *workspace);
gboolean                   sextant_portfolio_window_get_busy    (SextantPortfolioWindow *self);
SextantOptimizationResult *sextant_portfolio_window_get_result  (SextantPortfolioWindow *self);
SextantOptimizationRequest *sextant_portfolio_window_dup_request (SextantPortfolioWindow *self);
gboolean                   sextant_portfolio_window_import_prices   (SextantPortfolioWindow *self,
                                                                     const char             *symbol,
                                                                     const char             *path,
                                                                     GError                **error);
gboolean                   sextant_portfolio_window_get_fetching    (SextantPortfolioWindow *self);
gboolean                   sextant_portfolio_window_get_searching   (SextantPortfolioWindow *self);
gboolean                   sextant_portfolio_window_get_fetching_rates (SextantPortfolioWindow *self);
const char                *sextant_portfolio_window_get_base_currency (SextantPortfolioWindow *self);
gboolean                   sextant_portfolio_window_import_holdings (SextantPortfolioWindow *self,
                                                                     const char             *path,
                                                                     GError                **error);
void                       sextant_portfolio_window_export_report_async  (SextantPortfolioWindow *self,
                                                                          GFile                  *file,
                                                                          GCancellable           *cancellable,
                                                                          GAsyncReadyCallback     callback,
                                                                          gpointer                user_data);
gboolean                   sextant_portfolio_window_export_trades (SextantPortfolioWindow *self,
                                                                   GFile                  *file,
                                                                   GError                **error);
gboolean                   sextant_portfolio_window_export_report_finish (SextantPortfolioWindow *self,
                                                                          GAsyncResult           *result,
                                                                          GError                **error);
gboolean                   sextant_portfolio_window_open_saved_result    (SextantPortfolioWindow *self,
                                                                          gint64                  result_id,
                                                                          GError                **error);
gint64                     sextant_portfolio_window_get_saved_id         (SextantPortfolioWindow *self);
gboolean                   sextant_portfolio_window_load_portfolio       (SextantPortfolioWindow *self,
                                                                          const char             *name,
                                                                          GError                **error);
const char                *sextant_portfolio_window_get_portfolio_name   (SextantPortfolioWindow *self);
gboolean                   sextant_portfolio_window_save_as              (SextantPortfolioWindow *self,
                                                                          const char             *name,
                                                                          GError                **error);

G_END_DECLS
