#define G_LOG_DOMAIN "sextant-portfolio-window-run"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-money-format.h"
#include "sextant-portfolio-window-private.h"

/* Runs of the portfolio window: one at a time, in a GTask thread, with a progress bar the
 * window polls (the worker only writes a number) and a GCancellable behind Cancel. */

#define PROGRESS_INTERVAL_MS 100

typedef struct
{
  SextantPriceTable          *prices;
  SextantOptimizationRequest *optimization;
  SextantScenarioRequest      scenario;
  SextantRunProgress         *progress;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->prices, sextant_price_table_unref);
  g_clear_pointer (&data->optimization, sextant_optimization_request_free);
  g_clear_pointer (&data->progress, g_atomic_rc_box_release);
  g_free (data);
}

void
_sextant_portfolio_window_set_status (SextantPortfolioWindow *self,
                                      const char             *text)
{
  gtk_label_set_text (self->status_label, text);
}

void
_sextant_portfolio_window_update_actions (SextantPortfolioWindow *self)
{
  gboolean busy = self->running != SEXTANT_PORTFOLIO_RUN_NONE;
  gboolean stale = _sextant_portfolio_window_is_stale (self);
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "win.run", !busy && self->valuation != NULL);
  gtk_widget_action_set_enabled (widget, "win.cancel", busy);
  gtk_widget_action_set_enabled (widget, "win.run-scenarios", !busy && self->result != NULL &&
                                 !(self->run_on_dropdown != NULL && _sextant_portfolio_window_runs_on_batch (self) &&
                                   _sextant_portfolio_window_batch_busy (self)));
  gtk_widget_action_set_enabled (widget, "win.cancel-batch", _sextant_portfolio_window_batch_busy (self));
  gtk_widget_action_set_enabled (widget, "win.run-backtest", !busy && self->result != NULL);
  gtk_widget_action_set_enabled (widget, "win.copy-result", self->result != NULL);
  gtk_widget_action_set_enabled (widget, "win.ask-assistant", self->result != NULL);
  gtk_widget_action_set_enabled (widget, "win.export-report",
                                 self->result != NULL && !stale && !self->writing_report);
  gtk_widget_action_set_enabled (widget, "win.export-trades", self->result != NULL && !stale);
  gtk_widget_action_set_enabled (widget, "win.add-holding", !busy);
  gtk_widget_action_set_enabled (widget, "win.remove-holding", !busy);
  gtk_widget_action_set_enabled (widget, "win.open-saved-result", !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);

  /* An insensitive button still shows its tooltip: it says why. */
  gtk_widget_set_visible (self->stale_banner, stale);
  gtk_label_set_text (self->stale_label, self->run_failed
                                           ? _("Out of date — run again: the last run failed")
                                           : _("Out of date — run again: the holdings, dates or constraints changed"));
  gtk_widget_set_tooltip_text (self->report_button,
                               stale ? _("The result is out of date: optimize again to report on the current holdings, dates and constraints")
                                     : _("Save a PDF report of this result for the investment committee (Ctrl+P)"));
}

static gboolean
progress_cb (gpointer user_data)
{
  SextantPortfolioWindow *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar,
                                 g_atomic_int_get (&self->progress->permille) / 1000.0);

  return G_SOURCE_CONTINUE;
}

static void
stop_progress (SextantPortfolioWindow *self)
{
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_pointer (&self->progress, g_atomic_rc_box_release);
}

void
_sextant_portfolio_window_cancel (SextantPortfolioWindow *self)
{
  g_cancellable_cancel (self->cancellable);
}

/* For dispose: a run still in its thread finds itself stale when it returns. */
void
_sextant_portfolio_window_abandon_run (SextantPortfolioWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop_progress (self);
}

static GTask *
start_run (SextantPortfolioWindow  *self,
           SextantPortfolioRunKind  kind,
           RunData                 *data,
           GAsyncReadyCallback      callback,
           const char              *status)
{
  GTask *task;

  g_assert (self->running == SEXTANT_PORTFOLIO_RUN_NONE);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->progress = g_atomic_rc_box_new0 (SextantRunProgress);
  data->progress = g_atomic_rc_box_acquire (self->progress);
  self->progress_source = g_timeout_add (PROGRESS_INTERVAL_MS, progress_cb, self);
  self->running = kind;
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  _sextant_portfolio_window_set_status (self, status);
  _sextant_portfolio_window_update_actions (self);

  task = g_task_new (self, self->cancellable, callback, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  return task;
}

/* Returns FALSE if the task is stale (the window was disposed or started another run). */
static gboolean
finish_run (SextantPortfolioWindow *self,
            GTask                  *task)
{
  if (g_task_get_cancellable (task) != self->cancellable || self->cancellable == NULL)
    return FALSE;

  stop_progress (self);
  self->running = SEXTANT_PORTFOLIO_RUN_NONE;
  _sextant_portfolio_window_update_actions (self);

  return TRUE;
}

static void
notify_if_unfocused (SextantPortfolioWindow *self,
                     const char             *title,
                     const char             *body)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GNotification) notification = NULL;

  /* Only a user looking elsewhere needs telling that a long run has finished. */
  if (application == NULL || gtk_window_is_active (GTK_WINDOW (self)))
    return;
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_application_send_notification (G_APPLICATION (application), "sextant-portfolio-run",
                                   notification);
}

static void
report_error (SextantPortfolioWindow *self,
              const char             *what,
              const GError           *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: what was cancelled, such as "The optimization" */
      text = g_strdup_printf (_("%s was cancelled."), what);
    }
  else
    {
      /* Translators: what failed, then why */
      text = g_strdup_printf (_("%s failed: %s"), what, error->message);
    }
  _sextant_portfolio_window_set_status (self, text);
  notify_if_unfocused (self, text, "");
}

/* Optimization ---------------------------------------------------------------------------- */

static void
optimize_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  RunData *data = task_data;
  GError *error = NULL;
  SextantOptimizationResult *result;

  result = sextant_optimization_run (data->prices, data->optimization, cancellable,
                                     data->progress, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) sextant_optimization_result_unref);
}

static GtkWidget *
grid_label (const char *text,
            float       xalign,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "numeric");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/* "buy 12", "sell 6", "—": the trade list's shares, priced in the CSV and the report. */
static char *
trade_text (const SextantTrade *trades,
            gsize               j)
{
  if (trades == NULL)
    return g_strdup ("—");
  if (trades[j].shares > 0)
    /* Translators: a number of shares to buy */
    return g_strdup_printf (_("buy %'.0f"), trades[j].shares);
  if (trades[j].shares < 0)
    /* Translators: a number of shares to sell */
    return g_strdup_printf (_("sell %'.0f"), -trades[j].shares);

  return g_strdup ("—");
}

static void
show_weights (SextantPortfolioWindow    *self,
              SextantOptimizationResult *r)
{
  g_autofree SextantTrade *trades = sextant_optimization_result_dup_trades (r, NULL);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->weights_grid))))
    gtk_grid_remove (self->weights_grid, child);

  gtk_grid_attach (self->weights_grid, grid_label (_("Asset"), 0, "heading"), 0, 0, 1, 1);
  gtk_grid_attach (self->weights_grid, grid_label (_("Optimized"), 1, "heading"), 1, 0, 1, 1);
  gtk_grid_attach (self->weights_grid, grid_label (_("Current"), 1, "heading"), 2, 0, 1, 1);
  gtk_grid_attach (self->weights_grid, grid_label (_("Change"), 1, "heading"), 3, 0, 1, 1);
  gtk_grid_attach (self->weights_grid, grid_label (_("Shares"), 1, "heading"), 4, 0, 1, 1);
  for (gsize j = 0; j < r->k; j++)
    {
      g_autofree char *weight = g_strdup_printf ("%.2f %%", 100 * r->weights[j]);
      g_autofree char *current = g_strdup_printf ("%.2f %%", 100 * r->current[j]);
      g_autofree char *change = g_strdup_printf ("%+.2f", 100 * (r->weights[j] - r->current[j]));
      g_autofree char *trade = trade_text (trades, j);

      gtk_grid_attach (self->weights_grid, grid_label (r->symbols[j], 0, NULL), 0, j + 1, 1, 1);
      gtk_grid_attach (self->weights_grid, grid_label (weight, 1, "heading"), 1, j + 1, 1, 1);
      gtk_grid_attach (self->weights_grid, grid_label (current, 1, "dim-label"), 2, j + 1, 1, 1);
      gtk_grid_attach (self->weights_grid, grid_label (change, 1, NULL), 3, j + 1, 1, 1);
      gtk_grid_attach (self->weights_grid, grid_label (trade, 1, NULL), 4, j + 1, 1, 1);
    }
}

static void
show_metric (GtkLabel *label,
             double    value,
             double    current,
             gboolean  percent)
{
  g_autofree char *text = percent ? g_strdup_printf ("%.2f %%", 100 * value)
                                  : g_strdup_printf ("%.2f", value);
  g_autofree char *current_text = percent ? g_strdup_printf ("%.2f %%", 100 * current)
                                          : g_strdup_printf ("%.2f", current);
  /* Translators: the current portfolio's figure, under the optimized one */
  g_autofree char *caption = g_strdup_printf (_("current %s"), current_text);
  g_autofree char *markup = g_markup_printf_escaped ("%s\n<span size=\"small\" weight=\"normal\">%s</span>",
                                                     text, caption);

  gtk_label_set_markup (label, markup);
}

/* Shows @r: a result just computed (then saved, and announced if the window is not focused) or
 * one reopened from the saved results (@saved_at its time, then a banner offers to run it
 * again on current data). */
/* The drift field takes a value only for "Your value"; it shows the drift that will be used. */
static void
scenario_inputs_changed_cb (SextantPortfolioWindow *self)
{
  SextantDriftChoice drift = gtk_drop_down_get_selected (self->drift_dropdown);
  gboolean heston = gtk_drop_down_get_selected (self->scenario_model_dropdown) ==
                    SEXTANT_SCENARIO_MODEL_HESTON;
  GtkSpinButton *heston_spins[] = {
    self->kappa_spin, self->theta_spin, self->xi_spin, self->rho_spin, self->v0_spin,
  };

  gtk_widget_set_sensitive (GTK_WIDGET (self->drift_spin), drift == SEXTANT_DRIFT_USER);
  if (drift == SEXTANT_DRIFT_ZERO)
    gtk_spin_button_set_value (self->drift_spin, 0);
  else if (drift == SEXTANT_DRIFT_HISTORICAL && self->result != NULL)
    gtk_spin_button_set_value (self->drift_spin, 100 * self->scenario_defaults.historical_drift);
  gtk_widget_set_sensitive (GTK_WIDGET (self->volatility_spin), !heston);
  for (guint i = 0; i < G_N_ELEMENTS (heston_spins); i++)
    gtk_widget_set_sensitive (GTK_WIDGET (heston_spins[i]), heston);
}

/* The Scenarios page's parameters: the drift stays at the user's choice (zero by default), the
 * volatility and Heston's parameters are the new result's estimates, which the user may edit. */
static void
show_scenario_defaults (SextantPortfolioWindow    *self,
                        SextantOptimizationResult *r)
{
  SextantScenarioDefaults *d = &self->scenario_defaults;
  g_autofree char *note = NULL;

  sextant_scenario_defaults (r, d);
  gtk_spin_button_set_value (self->volatility_spin, 100 * d->volatility);
  gtk_spin_button_set_value (self->kappa_spin, d->heston.kappa);
  gtk_spin_button_set_value (self->theta_spin, d->heston.theta);
  gtk_spin_button_set_value (self->xi_spin, d->heston.xi);
  gtk_spin_button_set_value (self->rho_spin, d->heston.rho);
  gtk_spin_button_set_value (self->v0_spin, d->heston.v0);
  if (d->estimated)
    /* Translators: the in-sample drift, then the number of 21-day blocks */
    note = g_strdup_printf (_("Historical drift %.2f %% a year. Volatility and Heston's parameters "
                              "estimated from the optimized portfolio's realized variance over %zu "
                              "blocks of 21 days%s; edit them to test other views."),
                            100 * d->historical_drift, d->heston.n_blocks,
                            d->heston.clamped ? _(" (some held to their limits)") : "");
  else
    note = g_strdup_printf (_("Historical drift %.2f %% a year. Too little data to estimate a variance "
                              "process: Heston's parameters are conventional (κ 2, θ = v₀ = σ², ξ 0.3, "
                              "ρ −0.7)."), 100 * d->historical_drift);
  gtk_label_set_text (self->scenario_params_label, note);
  scenario_inputs_changed_cb (self);
}

void
_sextant_portfolio_window_show_result (SextantPortfolioWindow    *self,
                                       SextantOptimizationResult *r,
                                       GDateTime                 *saved_at)
{
  g_autofree char *from = sextant_day_format_iso (r->returns->days[0]);
  g_autofree char *to = sextant_day_format_iso (r->returns->days[r->returns->n_obs - 1]);
  g_autofree char *status = NULL;

  g_clear_pointer (&self->result, sextant_optimization_result_unref);
  self->result = sextant_optimization_result_ref (r);
  /* Simulations and backtests were of the previous weights. */
  g_clear_pointer (&self->scenario, sextant_scenario_outcome_unref);
  g_clear_pointer (&self->backtest, sextant_backtest_outcome_unref);
  sextant_chart_view_clear (self->fan_view);
  sextant_chart_view_clear (self->backtest_view);
  self->run_failed = FALSE;
  show_metric (self->return_label, r->expected_return, r->current_return, TRUE);
  show_metric (self->volatility_label, r->volatility, r->current_volatility, TRUE);
  show_metric (self->sharpe_label, r->sharpe, r->current_sharpe, FALSE);
  show_weights (self, r);
  sextant_chart_view_set_chart (self->frontier_view, SEXTANT_CHART_KIND_FRONTIER, &r->chart,
                                sextant_optimization_result_ref (r),
                                (GDestroyNotify) sextant_optimization_result_unref);
  gtk_label_set_text (self->scenario_label, _("Simulates the optimized portfolio's value."));
  show_scenario_defaults (self, r);
  gtk_label_set_text (self->backtest_label,
                      _("Compares the optimized and the current weights, 10 basis points per trade: "
                        "choose in or out of sample and the rebalancing, and run the backtest."));
  _sextant_portfolio_window_show_saved_banner (self, saved_at);
  if (saved_at != NULL)
    {
      /* Translators: number of daily returns, first date, last date */
      status = g_strdup_printf (_("Reopened: optimized over %zu daily returns from %s to %s."),
                                r->returns->n_obs, from, to);
      _sextant_portfolio_window_set_status (self, status);
      return;
    }

  /* Translators: number of daily returns, first date, last date */
  status = g_strdup_printf (_("Optimized over %zu daily returns from %s to %s."),
                            r->returns->n_obs, from, to);
  _sextant_portfolio_window_set_status (self, status);
  _sextant_portfolio_window_save_result (self, r);
  notify_if_unfocused (self, _("Optimization finished"), status);
}

static void
optimize_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (object);
  g_autoptr(SextantOptimizationResult) r = NULL;
  g_autoptr(GError) error = NULL;

  r = g_task_propagate_pointer (G_TASK (result), &error);
  if (!finish_run (self, G_TASK (result)))
    return;
  if (r == NULL)
    {
      /* A failed run leaves the previous result shown, but not as the inputs' result. */
      self->run_failed = self->result != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      report_error (self, _("The optimization"), error);
    }
  else
    _sextant_portfolio_window_show_result (self, r, NULL);
  _sextant_portfolio_window_update_actions (self);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  RunData *data = g_new0 (RunData, 1);
  g_autoptr(GTask) task = NULL;

  data->optimization = sextant_portfolio_window_dup_request (self);
  if (data->optimization == NULL || self->running != SEXTANT_PORTFOLIO_RUN_NONE)
    {
      run_data_free (data);
      return;
    }
  /* The holdings' closes the data range was chosen on (sextant_price_history_collect()), else
   * their own prices: demo, imported and fetched alike. */
  data->prices = sextant_price_table_ref (self->range_prices != NULL ? self->range_prices
                                                                      : _sextant_portfolio_window_get_prices (self));
  task = start_run (self, SEXTANT_PORTFOLIO_RUN_OPTIMIZATION, data, optimize_done_cb,
                    _("Optimizing…"));
  g_task_run_in_thread (task, optimize_thread);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  _sextant_portfolio_window_cancel (SEXTANT_PORTFOLIO_WINDOW (widget));
}

/* Scenarios ------------------------------------------------------------------------------- */

static void
scenario_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  RunData *data = task_data;
  GError *error = NULL;
  SextantScenarioOutcome *outcome;

  outcome = sextant_scenario_run (&data->scenario, cancellable, data->progress, &error);
  if (outcome == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, outcome, (GDestroyNotify) sextant_scenario_outcome_unref);
}

static void
scenario_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (object);
  g_autoptr(SextantScenarioOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *median = NULL, *low = NULL, *high = NULL;
  gsize last;

  outcome = g_task_propagate_pointer (G_TASK (result), &error);
  if (!finish_run (self, G_TASK (result)))
    return;
  if (outcome == NULL)
    {
      report_error (self, _("The simulation"), error);
      return;
    }

  last = outcome->n - 1;
  /* Translators: horizon in days, then the 5th percentile, median and 95th percentile values,
   * then the model and parameters used */
  median = sextant_format_money (outcome->p[2][last], self->base_currency, 0);
  low = sextant_format_money (outcome->p[0][last], self->base_currency, 0);
  high = sextant_format_money (outcome->p[4][last], self->base_currency, 0);
  text = g_strdup_printf (_("After %zu trading days: median %s, 5th percentile %s, 95th percentile %s.\n%s"),
                          last, median, low, high, outcome->parameters);
  gtk_label_set_text (self->scenario_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->scenario_label), "warning");
  _sextant_portfolio_window_set_status (self, _("Simulation finished."));
  g_clear_pointer (&self->scenario, sextant_scenario_outcome_unref);
  self->scenario = sextant_scenario_outcome_ref (outcome);
  self->scenario_model = ((RunData *) g_task_get_task_data (G_TASK (result)))->scenario.model;
  gtk_widget_set_visible (GTK_WIDGET (self->fan_view), TRUE);
  sextant_chart_view_set_chart (self->fan_view, SEXTANT_CHART_KIND_FAN, &outcome->chart,
                                sextant_scenario_outcome_ref (outcome),
                                (GDestroyNotify) sextant_scenario_outcome_unref);
  notify_if_unfocused (self, _("Simulation finished"), text);
}

static void
run_scenarios_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  RunData *data;
  g_autoptr(GTask) task = NULL;

  if (self->result == NULL || self->running != SEXTANT_PORTFOLIO_RUN_NONE)
    return;
  data = g_new0 (RunData, 1);
  data->scenario = (SextantScenarioRequest) {
    .model = gtk_drop_down_get_selected (self->scenario_model_dropdown),
    .start_value = self->valuation != NULL ? self->valuation->total : 1.0,
    .drift = gtk_drop_down_get_selected (self->drift_dropdown),
    .annual_return = gtk_spin_button_get_value (self->drift_spin) / 100,
    .annual_volatility = gtk_spin_button_get_value (self->volatility_spin) / 100,
    .v0 = gtk_spin_button_get_value (self->v0_spin),
    .kappa = gtk_spin_button_get_value (self->kappa_spin),
    .theta = gtk_spin_button_get_value (self->theta_spin),
    .xi = gtk_spin_button_get_value (self->xi_spin),
    .rho = gtk_spin_button_get_value (self->rho_spin),
    .n_paths = gtk_spin_button_get_value_as_int (self->paths_spin),
    .n_steps = gtk_spin_button_get_value_as_int (self->horizon_spin),
    .seed = 20010102,
  };
  if (_sextant_portfolio_window_runs_on_batch (self))
    {
      _sextant_portfolio_window_submit_batch (self, &data->scenario);
      run_data_free (data);
      return;
    }
  task = start_run (self, SEXTANT_PORTFOLIO_RUN_SCENARIOS, data, scenario_done_cb,
                    _("Simulating…"));
  g_task_run_in_thread (task, scenario_thread);
}

/* Backtest: fast enough to run on the main thread, even walk-forward (an optimization without
 * its frontier takes a millisecond or two, and five years re-optimized monthly make 48). */

static void
backtest_inputs_changed_cb (SextantPortfolioWindow *self)
{
  SextantBacktestEvaluation evaluation = gtk_drop_down_get_selected (self->evaluation_dropdown);

  gtk_widget_set_sensitive (GTK_WIDGET (self->train_spin), evaluation == SEXTANT_BACKTEST_SPLIT);
  gtk_widget_set_sensitive (GTK_WIDGET (self->every_spin), evaluation == SEXTANT_BACKTEST_WALK_FORWARD);
  gtk_widget_set_sensitive (GTK_WIDGET (self->window_spin), evaluation == SEXTANT_BACKTEST_WALK_FORWARD);
}

static char *
describe_backtest_result (const char                  *name,
                          const SextantBacktestResult *r)
{
  /* Translators: a strategy's name, its growth rate, volatility, Sharpe ratio, maximum drawdown,
   * one-way turnover a year and number of trades */
  return g_strdup_printf (_("%s: CAGR %.2f %%, volatility %.2f %%, Sharpe %.2f, max drawdown %.2f %%, "
                            "turnover %.0f %% a year (%u trades)."),
                          name, 100 * r->cagr, 100 * r->volatility, r->sharpe,
                          100 * r->max_drawdown, 100 * r->turnover_annualised, r->n_rebalances);
}

static void
run_backtest_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  static const SextantRebalance rebalances[] = {
    SEXTANT_REBALANCE_NONE, SEXTANT_REBALANCE_MONTHLY, SEXTANT_REBALANCE_QUARTERLY,
    SEXTANT_REBALANCE_THRESHOLD,
  };
  guint selected = gtk_drop_down_get_selected (self->rebalance_dropdown);
  SextantBacktestRequest request = {
    .evaluation = gtk_drop_down_get_selected (self->evaluation_dropdown),
    .rebalance = rebalances[MIN (selected, G_N_ELEMENTS (rebalances) - 1)],
    .cost_bps = 10.0,
    .train_share = gtk_spin_button_get_value (self->train_spin) / 100,
    .every_months = gtk_spin_button_get_value_as_int (self->every_spin),
    .window = gtk_spin_button_get_value_as_int (self->window_spin),
  };
  g_autoptr(SextantBacktestOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *optimized = NULL, *current = NULL, *text = NULL;

  if (self->result == NULL)
    return;
  outcome = sextant_backtest_outcome_run (self->result, &request, &error);
  if (outcome == NULL)
    {
      gtk_label_set_text (self->backtest_label, error->message);
      return;
    }
  optimized = describe_backtest_result (_("Optimized"), &outcome->optimized);
  current = describe_backtest_result (_("Current"), &outcome->current);
  text = g_strjoin ("\n", outcome->description, optimized, current, NULL);
  gtk_label_set_text (self->backtest_label, text);
  g_clear_pointer (&self->backtest, sextant_backtest_outcome_unref);
  self->backtest = sextant_backtest_outcome_ref (outcome);
  sextant_chart_view_set_chart (self->backtest_view, SEXTANT_CHART_KIND_TIMESERIES, &outcome->chart,
                                sextant_backtest_outcome_ref (outcome),
                                (GDestroyNotify) sextant_backtest_outcome_unref);
}

/* The weights and metrics as text, to paste into an email. */
static void
copy_result_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  g_autofree char *text = NULL;

  if (self->result == NULL)
    return;
  text = sextant_optimization_result_to_text (self->result);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Summary copied")));
}

/* A chat seeded with the result: the application opens it (app.ask-assistant), so that the
 * role and the draft are set the same way from any window. The draft quotes the result's
 * reference, which is how the committee report finds the summary of that conversation. */
static void
ask_assistant_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  g_autofree char *text = NULL;

  if (self->result == NULL)
    return;
  text = sextant_optimization_result_describe (self->result);
  if (!gtk_widget_activate_action (widget, "app.ask-assistant", "s", text))
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 adw_toast_new (_("The assistant is not available in this window")));
}

void
_sextant_portfolio_window_class_init_run (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, drift_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, drift_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, volatility_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, kappa_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, theta_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, xi_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, rho_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, v0_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, scenario_params_label);
  gtk_widget_class_bind_template_callback (widget_class, scenario_inputs_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, evaluation_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, train_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, every_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, window_spin);
  gtk_widget_class_bind_template_callback (widget_class, backtest_inputs_changed_cb);
  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.run-scenarios", NULL, run_scenarios_action);
  gtk_widget_class_install_action (widget_class, "win.run-backtest", NULL, run_backtest_action);
  gtk_widget_class_install_action (widget_class, "win.copy-result", NULL, copy_result_action);
  gtk_widget_class_install_action (widget_class, "win.ask-assistant", NULL, ask_assistant_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
}

gboolean
sextant_portfolio_window_get_busy (SextantPortfolioWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), FALSE);

  return self->running != SEXTANT_PORTFOLIO_RUN_NONE;
}

/**
 * sextant_portfolio_window_get_result:
 * @self: a portfolio window
 *
 * Returns: (transfer none) (nullable): the last optimization shown
 */
SextantOptimizationResult *
sextant_portfolio_window_get_result (SextantPortfolioWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), NULL);

  return self->result;
}
