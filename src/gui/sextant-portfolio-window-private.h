#pragma once

#include "sextant-chart-view.h"
#include "sextant-compute-job-monitor.h"
#include "sextant-portfolio-choices.h"
#include "sextant-price-fetch.h"
#include "sextant-portfolio-window.h"

G_BEGIN_DECLS

typedef struct
{
  char   *symbol;
  double  quantity;
  double  min_weight;
  double  max_weight;
  double  cost_basis;   /* price paid per share in the holding's currency, NaN when not recorded */
  SextantHoldingKind kind;
  SextantBond        bond;      /* a bond's terms; its face amount held is @quantity */
  double             spread;    /* a bond's spread over its curve, NaN for none */
  char              *currency;  /* a bond's or cash's currency; NULL for an instrument (its own) */
} SextantHoldingEdit;

typedef enum
{
  SEXTANT_PORTFOLIO_RUN_NONE,
  SEXTANT_PORTFOLIO_RUN_OPTIMIZATION,
  SEXTANT_PORTFOLIO_RUN_SCENARIOS,
} SextantPortfolioRunKind;

struct _SextantPortfolioWindow
{
  SextantWorkspaceWindow      parent_instance;

  AdwToastOverlay            *toast_overlay;
  AdwViewSwitcherTitle       *switcher_title;
  GtkMenuButton              *menu_button;
  GtkProgressBar             *progress_bar;
  GtkLabel                   *status_label;
  AdwViewStack               *view_stack;
  GtkWidget                  *run_button;
  GtkDropDown                *portfolio_dropdown;
  AdwPreferencesGroup        *holdings_group;
  GtkListBox                 *holdings_list;
  GtkSearchEntry             *add_entry;
  GtkRevealer                *search_revealer;
  GtkListBox                 *search_list;
  GtkLabel                   *search_status;
  GtkWidget                  *fetch_box;
  GtkProgressBar             *fetch_progress;
  GtkWidget                  *import_problems_box;
  GtkLabel                   *import_problems_label;
  GtkLabel                   *total_label;
  AdwComboRow                *currency_row;
  AdwComboRow                *objective_row;
  AdwActionRow               *target_row;
  GtkSpinButton              *target_spin;
  GtkEntry                   *from_entry;
  GtkEntry                   *to_entry;
  GtkLabel                   *range_label;
  GtkWidget                  *stale_banner;
  GtkLabel                   *stale_label;
  GtkLabel                   *return_label;
  GtkLabel                   *volatility_label;
  GtkLabel                   *sharpe_label;
  SextantChartView           *frontier_view;
  GtkGrid                    *weights_grid;
  GtkWidget                  *report_button;
  GtkWidget                  *export_button;
  GtkMenuButton              *saved_button;
  GtkListBox                 *saved_list;
  GtkWidget                  *saved_banner;
  GtkLabel                   *saved_label;
  GtkDropDown                *scenario_model_dropdown;
  GtkSpinButton              *paths_spin;
  GtkSpinButton              *horizon_spin;
  GtkLabel                   *scenario_label;
  GtkDropDown                *drift_dropdown;
  GtkSpinButton              *drift_spin;
  GtkSpinButton              *volatility_spin;
  GtkSpinButton              *kappa_spin;
  GtkSpinButton              *theta_spin;
  GtkSpinButton              *xi_spin;
  GtkSpinButton              *rho_spin;
  GtkSpinButton              *v0_spin;
  GtkLabel                   *scenario_params_label;
  SextantScenarioDefaults     scenario_defaults;
  SextantChartView           *fan_view;
  GtkDropDown                *run_on_dropdown;
  GtkStringList              *run_on_choices;
  gboolean                    updating_run_on;
  GtkWidget                  *batch_box;
  GtkLabel                   *batch_status_label;
  GtkProgressBar             *batch_progress;
  GtkWidget                  *batch_cancel_button;
  GtkLabel                   *batch_result_label;
  SextantComputeJobMonitor   *monitor;            /* the workspace's: jobs outlive the window */
  GCancellable               *keys_cancellable;
  GtkDropDown                *rebalance_dropdown;
  GtkLabel                   *backtest_label;
  GtkDropDown                *evaluation_dropdown;
  GtkSpinButton              *train_spin;
  GtkSpinButton              *every_spin;
  GtkSpinButton              *window_spin;
  SextantChartView           *backtest_view;

  GArray                     *holdings;
  SextantHoldingEdit          removed;
  guint                       removed_index;
  SextantValuation           *valuation;
  gboolean                    loaded;

  SextantPortfolioRunKind     running;
  GCancellable               *cancellable;
  SextantRunProgress         *progress;
  guint                       progress_source;
  SextantOptimizationResult  *result;
  SextantScenarioOutcome     *scenario;
  SextantScenarioModel        scenario_model;     /* the model @scenario was simulated with */
  SextantBacktestOutcome     *backtest;
  gboolean                    writing_report;
  gint64                      saved_id;

  SextantPriceTable          *range_prices;       /* the holdings' closes for the data range, NaN where one has none */
  char                       *range_symbols;      /* the symbols @range_prices was collected for */
  gboolean                    range_fetched;      /* @range_prices are stored bars, not the demo closes */
  gint32                      range_first;        /* the data range asked for */
  gint32                      range_last;
  const char                 *range_preset;       /* "1y" … "max", or NULL for explicit dates */
  gboolean                    run_failed;         /* the last run failed: the result shown is not of the inputs */

  GtkStringList              *portfolio_names;    /* the dropdown's choices */
  char                       *portfolio_name;     /* the one being edited, or NULL */
  gboolean                    updating_choices;
  gboolean                    saving;
  SextantPortfolio           *deleted;            /* for Undo */
  GArray                     *deleted_jobs;       /* its saved results' jobs, for Undo */

  /* Finding instruments and their prices (sextant-portfolio-window-prices.c) */
  SextantPriceTable          *prices;             /* demo closes and the holdings' cached ones */
  GHashTable                 *price_errors;       /* symbol → why its last fetch failed */
  GPtrArray                  *search_matches;     /* SextantSymbolMatch, as the rows show them */
  GCancellable               *search_cancellable;
  SextantPriceFetch          *fetch;        /* while prices are fetched */

  /* The base currency and the ECB's rates (sextant-portfolio-window-currency.c) */
  char                       *base_currency;      /* every amount and close is in it */
  gboolean                    updating_currency;
  GCancellable               *rates_cancellable;  /* a fetch of rates under way */
  char                       *rates_key;          /* what was last fetched: no second try at once */
  char                       *rates_problem;      /* why the rates could not be fetched, or NULL */
};

void _sextant_portfolio_window_class_init_run    (GtkWidgetClass         *widget_class);
void _sextant_portfolio_window_class_init_import (GtkWidgetClass         *widget_class);
void _sextant_portfolio_window_class_init_report (GtkWidgetClass         *widget_class);
void _sextant_portfolio_window_class_init_saved  (GtkWidgetClass         *widget_class);
void _sextant_portfolio_window_init_saved        (SextantPortfolioWindow *self);
void _sextant_portfolio_window_class_init_book   (GtkWidgetClass         *widget_class);
void _sextant_portfolio_window_init_book         (SextantPortfolioWindow *self);
void _sextant_portfolio_window_connect_book      (SextantPortfolioWindow *self);
void _sextant_portfolio_window_dispose_book      (SextantPortfolioWindow *self);
void _sextant_portfolio_window_update_choices    (SextantPortfolioWindow *self);
void _sextant_portfolio_window_class_init_prices (GtkWidgetClass         *widget_class);
void _sextant_portfolio_window_init_prices       (SextantPortfolioWindow *self);
void _sextant_portfolio_window_dispose_prices    (SextantPortfolioWindow *self);
void _sextant_portfolio_window_update_prices     (SextantPortfolioWindow *self);
SextantPriceTable *_sextant_portfolio_window_get_prices (SextantPortfolioWindow *self);
void _sextant_portfolio_window_add_symbol        (SextantPortfolioWindow *self,
                                                  const char             *symbol);
void _sextant_portfolio_window_holdings_changed  (SextantPortfolioWindow *self);
gboolean _sextant_portfolio_window_get_fetching  (SextantPortfolioWindow *self);
const char *_sextant_portfolio_window_price_error (SextantPortfolioWindow *self,
                                                  const char             *symbol);
SextantPortfolio *_sextant_portfolio_window_with_quantities (SextantPortfolio   *portfolio,
                                                             SextantPriceTable  *prices,
                                                             double              notional,
                                                             GError            **error);
void _sextant_portfolio_window_set_holdings      (SextantPortfolioWindow *self,
                                                  SextantPortfolio       *portfolio);
void _sextant_portfolio_window_update_actions    (SextantPortfolioWindow *self);
void _sextant_portfolio_window_cancel            (SextantPortfolioWindow *self);
void _sextant_portfolio_window_abandon_run       (SextantPortfolioWindow *self);
void _sextant_portfolio_window_set_status        (SextantPortfolioWindow *self,
                                                  const char             *text);
void _sextant_portfolio_window_show_result       (SextantPortfolioWindow    *self,
                                                  SextantOptimizationResult *r,
                                                  GDateTime                 *saved_at);
void _sextant_portfolio_window_save_result       (SextantPortfolioWindow    *self,
                                                  SextantOptimizationResult *r);
void _sextant_portfolio_window_show_saved_banner (SextantPortfolioWindow    *self,
                                                  GDateTime                 *saved_at);
void _sextant_portfolio_window_class_init_range  (GtkWidgetClass         *widget_class);
void _sextant_portfolio_window_init_range        (SextantPortfolioWindow *self);
void _sextant_portfolio_window_dispose_range     (SextantPortfolioWindow *self);
void _sextant_portfolio_window_update_coverage   (SextantPortfolioWindow *self);
void _sextant_portfolio_window_set_range         (SextantPortfolioWindow *self,
                                                  gint32                  first_day,
                                                  gint32                  last_day);
void _sextant_portfolio_window_class_init_currency (GtkWidgetClass       *widget_class);
void _sextant_portfolio_window_init_currency     (SextantPortfolioWindow *self);
void _sextant_portfolio_window_dispose_currency  (SextantPortfolioWindow *self);
void _sextant_portfolio_window_set_base_currency (SextantPortfolioWindow *self,
                                                  const char             *currency);
char *_sextant_portfolio_window_dup_currency_of  (SextantPortfolioWindow *self,
                                                  const char             *symbol);
SextantPriceTable *_sextant_portfolio_window_to_base (SextantPortfolioWindow *self,
                                                  SextantPriceTable      *table);
void _sextant_portfolio_window_class_init_stale  (GtkWidgetClass         *widget_class);
void _sextant_portfolio_window_init_stale        (SextantPortfolioWindow *self);
void _sextant_portfolio_window_inputs_changed    (SextantPortfolioWindow *self);
void _sextant_portfolio_window_prices_changed    (SextantPortfolioWindow *self);
gboolean _sextant_portfolio_window_is_stale      (SextantPortfolioWindow *self);
void _sextant_portfolio_window_class_init_batch  (GtkWidgetClass         *widget_class);
void _sextant_portfolio_window_init_batch        (SextantPortfolioWindow *self);
void _sextant_portfolio_window_connect_batch     (SextantPortfolioWindow *self);
void _sextant_portfolio_window_dispose_batch     (SextantPortfolioWindow *self);
gboolean _sextant_portfolio_window_runs_on_batch (SextantPortfolioWindow *self);
gboolean _sextant_portfolio_window_batch_busy    (SextantPortfolioWindow *self);
void _sextant_portfolio_window_class_init_bonds  (GtkWidgetClass         *widget_class);
char *_sextant_portfolio_window_dup_bond_terms   (const SextantHoldingEdit *edit);
void _sextant_portfolio_window_put_bond          (SextantPortfolioWindow *self,
                                                  const char             *replaced,
                                                  const char             *name,
                                                  const SextantBond      *bond,
                                                  const char             *currency);
void _sextant_portfolio_window_submit_batch      (SextantPortfolioWindow       *self,
                                                  const SextantScenarioRequest *request);

G_END_DECLS
