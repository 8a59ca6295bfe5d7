#define G_LOG_DOMAIN "sextant-risk-window-refresh"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-price-fetch.h"
#include "sextant-risk-window-private.h"

/* Refresh: fetch again the dashboard's instruments whose cached bars are stale, through the
 * user's providers in a worker (SextantPriceFetch), then recompute. Failures are per symbol and
 * keep the cached bars; they are listed under the toolbar until the next refresh. */

typedef struct
{
  SextantPortfolio *portfolio;    /* the chosen one, whose exchange rates are fetched too */
  char             *rates_error;  /* why they could not be, or NULL */
} RatesJob;

static void
rates_job_free (RatesJob *job)
{
  g_clear_object (&job->portfolio);
  g_free (job->rates_error);
  g_free (job);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* In the worker, before the prices: the ECB's rates the chosen portfolio needs in its base
 * currency and the store lacks (the dashboard computes such a book from the store alone). The
 * ECB needs no key: its rates come even when no price provider has one. */
static void
update_rates (SextantMarketCache *cache,
              GCancellable       *cancellable,
              gpointer            user_data)
{
  RatesJob *job = user_data;
  g_auto(GStrv) currencies = NULL;
  g_autoptr(SextantEcbRates) ecb = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint32 first, last;

  if (job->portfolio == NULL)
    return;
  currencies = sextant_book_dup_rate_currencies (cache, job->portfolio);
  if (currencies[0] == NULL || !sextant_book_get_rate_range (cache, job->portfolio, 0, 0, &first, &last))
    return;
  if ((ecb = sextant_ecb_rates_new_from_environment (&error)) != NULL)
    {
      sextant_ecb_rates_update_cache_async (ecb, cache, (const char * const *) currencies, first, last,
                                            cancellable, store_result_cb, &result);
      while (result == NULL)
        g_main_context_iteration (g_main_context_get_thread_default (), TRUE);
      sextant_ecb_rates_update_cache_finish (ecb, result, NULL, &error);
    }
  if (error != NULL)
    job->rates_error = g_strdup (error->message);
}

static void
update_busy (SextantRiskWindow *self)
{
  gboolean refreshing = self->refresh_fetch != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->refresh_progress), refreshing);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_refresh_button), refreshing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh-prices", !refreshing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-refresh", refreshing);
}

static void
progress_cb (SextantRiskWindow *self,
             const char        *symbol,
             guint              done,
             guint              total)
{
  g_autofree char *text = NULL;

  if (total == 0)
    {
      text = g_strdup (_("Finding stale prices…"));
      gtk_progress_bar_pulse (self->refresh_progress);
    }
  else
    {
      /* Translators: a symbol, how many symbols are done, how many there are */
      text = symbol != NULL
             ? g_strdup_printf (_("Fetching %s (%u of %u)…"), symbol, done + 1, total)
             : g_strdup (_("Recomputing…"));
      gtk_progress_bar_set_fraction (self->refresh_progress, (double) done / total);
    }
  gtk_progress_bar_set_text (self->refresh_progress, text);
}

static void
stop_refresh (SextantRiskWindow *self)
{
  if (self->refresh_fetch != NULL)
    g_signal_handlers_disconnect_by_data (self->refresh_fetch, self);
  g_clear_object (&self->refresh_fetch);
  update_busy (self);
}

static void
add_failure_row (SextantRiskWindow *self,
                 const char        *title,
                 const char        *reason)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason);
  gtk_list_box_append (self->refresh_failures_list, row);
}

static void
clear_failures (SextantRiskWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->refresh_failures_list))))
    gtk_list_box_remove (self->refresh_failures_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_failures_list), FALSE);
}

static void
show_outcomes (SextantRiskWindow *self,
               GPtrArray         *outcomes)
{
  g_autofree char *summary = NULL;
  guint n_failed = 0;

  for (guint i = 0; i < outcomes->len; i++)
    n_failed += ((SextantPriceRefreshOutcome *) outcomes->pdata[i])->error != NULL;

  if (outcomes->len == 0)
    summary = g_strdup (_("Every price is up to date: nothing needed fetching."));
  else if (n_failed == 0)
    /* Translators: the number of instruments fetched */
    summary = g_strdup_printf (ngettext ("Fetched the prices of %u stale instrument.",
                                         "Fetched the prices of %u stale instruments.", outcomes->len),
                               outcomes->len);
  else
    {
      /* Translators: how many instruments failed, of how many stale ones */
      summary = g_strdup_printf (ngettext ("%u of %u stale instruments could not be fetched; its cached "
                                           "prices are kept:",
                                           "%u of %u stale instruments could not be fetched; their cached "
                                           "prices are kept:", n_failed),
                                 n_failed, outcomes->len);
      for (guint i = 0; i < outcomes->len; i++)
        {
          const SextantPriceRefreshOutcome *outcome = outcomes->pdata[i];

          if (outcome->error != NULL)
            add_failure_row (self, outcome->symbol, outcome->error->message);
        }
      gtk_widget_set_visible (GTK_WIDGET (self->refresh_failures_list), TRUE);
    }
  gtk_label_set_text (self->refresh_result_label, summary);
  gtk_revealer_set_reveal_child (self->refresh_result_revealer, TRUE);
}

static void
refresh_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SextantPriceFetch *fetch = SEXTANT_PRICE_FETCH (object);
  g_autoptr(SextantRiskWindow) self = user_data;
  RatesJob *rates = sextant_price_fetch_get_prepare_data (fetch);
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;

  outcomes = sextant_price_fetch_run_finish (fetch, result, &error);
  /* A stale fetch: the window was disposed. */
  if (self->refresh_fetch != fetch)
    return;
  stop_refresh (self);

  if (outcomes != NULL)
    show_outcomes (self, outcomes);
  else
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        text = g_strdup (_("Refresh cancelled; the cached prices are unchanged."));
      else if (g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_PROVIDER))
        text = g_strdup (_("No prices were fetched: no market-data provider has an API key. Add one in "
                           "Preferences; the cached prices are unchanged."));
      else
        /* Translators: the reason */
        text = g_strdup_printf (_("The prices could not be refreshed: %s"), error->message);
      gtk_label_set_text (self->refresh_result_label, text);
      gtk_revealer_set_reveal_child (self->refresh_result_revealer, TRUE);
    }
  if (rates->rates_error != NULL)
    {
      /* Translators: what the price refresh did, then why the exchange rates were not fetched */
      g_autofree char *text = g_strdup_printf (_("%s The exchange rates could not be fetched: %s"),
                                               gtk_label_get_text (self->refresh_result_label),
                                               rates->rates_error);

      gtk_label_set_text (self->refresh_result_label, text);
      gtk_revealer_set_reveal_child (self->refresh_result_revealer, TRUE);
    }
  _sextant_risk_window_compute (self);
}

/**
 * _sextant_risk_window_refresh_prices:
 *
 * Starts a refresh unless one runs.
 */
void
_sextant_risk_window_refresh_prices (SextantRiskWindow *self)
{
  SextantWorkspaceWindow *window = SEXTANT_WORKSPACE_WINDOW (self);
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (window);
  SextantStore *store = sextant_workspace_get_store (workspace);
  SextantPriceTable *stocks = sextant_workspace_get_stocks (workspace);
  g_autoptr(GStrvBuilder) symbols = g_strv_builder_new ();
  RatesJob *rates;

  if (self->refresh_fetch != NULL || !sextant_workspace_get_demo_loaded (workspace))
    return;
  clear_failures (self);
  if (store == NULL)
    {
      gtk_label_set_text (self->refresh_result_label, _("Prices cannot be refreshed without the database."));
      gtk_revealer_set_reveal_child (self->refresh_result_revealer, TRUE);
      return;
    }
  gtk_revealer_set_reveal_child (self->refresh_result_revealer, FALSE);

  for (gsize c = 0; c < sextant_price_table_get_n_columns (stocks); c++)
    g_strv_builder_add (symbols, sextant_price_table_get_column_name (stocks, c));
  self->refresh_fetch = sextant_price_fetch_new (sextant_store_get_path (store),
                                                 sextant_provider_settings_new (sextant_workspace_window_get_settings (window)),
                                                 g_strv_builder_end (symbols), TRUE);
  rates = g_new0 (RatesJob, 1);
  if (self->portfolio_name != NULL)
    rates->portfolio = sextant_portfolio_choices_load (workspace, self->portfolio_name, NULL);
  sextant_price_fetch_set_prepare (self->refresh_fetch, update_rates, rates,
                                   (GDestroyNotify) rates_job_free);

  update_busy (self);
  gtk_progress_bar_set_fraction (self->refresh_progress, 0);
  g_signal_connect_swapped (self->refresh_fetch, "progress", G_CALLBACK (progress_cb), self);
  sextant_price_fetch_run_async (self->refresh_fetch, refresh_done_cb, g_object_ref (self));
}

/**
 * _sextant_risk_window_cancel_refresh:
 *
 * Stops a running refresh; its done callback reports it.
 */
void
_sextant_risk_window_cancel_refresh (SextantRiskWindow *self)
{
  if (self->refresh_fetch != NULL)
    sextant_price_fetch_cancel (self->refresh_fetch);
}

/**
 * _sextant_risk_window_dispose_refresh:
 */
void
_sextant_risk_window_dispose_refresh (SextantRiskWindow *self)
{
  if (self->refresh_fetch == NULL)
    return;
  sextant_price_fetch_cancel (self->refresh_fetch);
  g_signal_handlers_disconnect_by_data (self->refresh_fetch, self);
  g_clear_object (&self->refresh_fetch);
}

void
_sextant_risk_window_refresh_prices_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  _sextant_risk_window_refresh_prices (SEXTANT_RISK_WINDOW (widget));
}

void
_sextant_risk_window_cancel_refresh_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  _sextant_risk_window_cancel_refresh (SEXTANT_RISK_WINDOW (widget));
}

/* F5 and Ctrl+R refresh the prices. */
void
_sextant_risk_window_refresh_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  _sextant_risk_window_refresh_prices (SEXTANT_RISK_WINDOW (widget));
}
