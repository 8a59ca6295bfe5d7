#define G_LOG_DOMAIN "sextant-risk-window-refresh"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-provider-settings.h"
#include "sextant-risk-window-private.h"

/* Refresh: fetch again the dashboard's instruments whose cached bars are stale, through the
 * market router of the user's providers, in a worker thread, then recompute. The worker opens
 * its own connection to the workspace's database: the market cache writes in transactions,
 * which on the shared connection would swallow whatever the main thread writes meanwhile (a
 * chat message), and WAL lets both connections work at once. Failures are per symbol and keep
 * the cached bars; they are listed under the toolbar until the next refresh. */

typedef struct
{
  GMutex  mutex;
  char   *symbol;
  guint   done;
  guint   total;
} RefreshProgress;

typedef struct
{
  char                    *database_path;
  SextantProviderSettings *providers;
  char                   **symbols;
  RefreshProgress *progress;
  SextantPortfolio        *portfolio;    /* the chosen one, whose exchange rates are fetched too */
  char                    *rates_error;  /* why they could not be, or NULL */
} RefreshData;

static void
refresh_progress_clear (RefreshProgress *progress)
{
  g_mutex_clear (&progress->mutex);
  g_free (progress->symbol);
}

static void
refresh_progress_release (RefreshProgress *progress)
{
  g_atomic_rc_box_release_full (progress, (GDestroyNotify) refresh_progress_clear);
}

static void
refresh_data_free (RefreshData *data)
{
  g_free (data->database_path);
  sextant_provider_settings_free (data->providers);
  g_strfreev (data->symbols);
  refresh_progress_release (data->progress);
  g_clear_object (&data->portfolio);
  g_free (data->rates_error);
  g_free (data);
}

static void
progress_cb (const char *symbol,
             guint       done,
             guint       total,
             gpointer    user_data)
{
  RefreshProgress *progress = user_data;

  g_mutex_lock (&progress->mutex);
  g_free (progress->symbol);
  progress->symbol = g_strdup (symbol);
  progress->done = done;
  progress->total = total;
  g_mutex_unlock (&progress->mutex);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The ECB's rates the chosen portfolio needs in its base currency and the store lacks: the
 * dashboard computes such a book from the store alone. */
static void
update_rates (RefreshData        *data,
              SextantMarketCache *cache,
              GCancellable       *cancellable)
{
  g_auto(GStrv) currencies = NULL;
  g_autoptr(SextantEcbRates) ecb = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint32 first, last;

  if (data->portfolio == NULL)
    return;
  currencies = sextant_book_dup_rate_currencies (cache, data->portfolio);
  if (currencies[0] == NULL || !sextant_book_get_rate_range (cache, data->portfolio, 0, 0, &first, &last))
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
    data->rates_error = g_strdup (error->message);
}

/* Everything here is made, used and dropped on this thread's own main context. */
static GPtrArray *
refresh_in_context (RefreshData   *data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantMarketRouter) router = NULL;
  g_autoptr(SextantMarketData) market = NULL;
  g_auto(GStrv) stale = NULL;

  if ((store = sextant_schema_open (data->database_path, error)) == NULL)
    return NULL;
  cache = sextant_market_cache_new (store);
  /* The ECB needs no key: its rates come even when no price provider has one. */
  update_rates (data, cache, cancellable);
  if ((router = sextant_provider_settings_create_router (data->providers, error)) == NULL)
    return NULL;
  market = sextant_market_data_new (cache, router);
  stale = sextant_price_refresh_list_stale (market, (const char * const *) data->symbols);
  progress_cb (stale[0], 0, g_strv_length (stale), data->progress);

  return sextant_price_refresh_run (market, (const char * const *) stale, cancellable, progress_cb,
                                    data->progress, error);
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  GError *error = NULL;
  GPtrArray *outcomes;

  g_main_context_push_thread_default (context);
  outcomes = refresh_in_context (task_data, cancellable, &error);
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);

  if (outcomes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, outcomes, (GDestroyNotify) g_ptr_array_unref);
}

static void
update_busy (SextantRiskWindow *self)
{
  gboolean refreshing = self->refresh_cancellable != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->refresh_progress), refreshing);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_refresh_button), refreshing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh-prices", !refreshing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-refresh", refreshing);
}

static gboolean
poll_progress_cb (gpointer user_data)
{
  SextantRiskWindow *self = user_data;
  RefreshProgress *progress = self->refresh_progress_data;
  g_autofree char *text = NULL;

  g_mutex_lock (&progress->mutex);
  if (progress->total == 0)
    {
      text = g_strdup (_("Finding stale prices…"));
      gtk_progress_bar_pulse (self->refresh_progress);
    }
  else
    {
      /* Translators: a symbol, how many symbols are done, how many there are */
      text = progress->symbol != NULL
             ? g_strdup_printf (_("Fetching %s (%u of %u)…"), progress->symbol, progress->done + 1,
                                progress->total)
             : g_strdup (_("Recomputing…"));
      gtk_progress_bar_set_fraction (self->refresh_progress, (double) progress->done / progress->total);
    }
  g_mutex_unlock (&progress->mutex);
  gtk_progress_bar_set_text (self->refresh_progress, text);

  return G_SOURCE_CONTINUE;
}

static void
stop_refresh (SextantRiskWindow *self)
{
  g_clear_handle_id (&self->refresh_poll_id, g_source_remove);
  g_clear_pointer (&self->refresh_progress_data, refresh_progress_release);
  g_clear_object (&self->refresh_cancellable);
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
  SextantRiskWindow *self = SEXTANT_RISK_WINDOW (object);
  RefreshData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;

  outcomes = g_task_propagate_pointer (G_TASK (result), &error);
  /* A stale task: the window was disposed. */
  if (self->refresh_cancellable == NULL ||
      g_task_get_cancellable (G_TASK (result)) != self->refresh_cancellable)
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
  if (data->rates_error != NULL)
    {
      /* Translators: what the price refresh did, then why the exchange rates were not fetched */
      g_autofree char *text = g_strdup_printf (_("%s The exchange rates could not be fetched: %s"),
                                               gtk_label_get_text (self->refresh_result_label),
                                               data->rates_error);

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
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) symbols = g_strv_builder_new ();
  RefreshData *data;

  if (self->refresh_cancellable != NULL || !sextant_workspace_get_demo_loaded (workspace))
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
  data = g_new0 (RefreshData, 1);
  data->database_path = g_strdup (sextant_store_get_path (store));
  data->symbols = g_strv_builder_end (symbols);
  data->providers = sextant_provider_settings_new (sextant_workspace_window_get_settings (window));
  if (self->portfolio_name != NULL)
    data->portfolio = sextant_portfolio_choices_load (workspace, self->portfolio_name, NULL);
  data->progress = g_atomic_rc_box_new0 (RefreshProgress);
  g_mutex_init (&data->progress->mutex);
  self->refresh_progress_data = g_atomic_rc_box_acquire (data->progress);

  self->refresh_cancellable = g_cancellable_new ();
  update_busy (self);
  gtk_progress_bar_set_fraction (self->refresh_progress, 0);
  self->refresh_poll_id = g_timeout_add (100, poll_progress_cb, self);
  poll_progress_cb (self);
  task = g_task_new (self, self->refresh_cancellable, refresh_done_cb, NULL);
  g_task_set_source_tag (task, _sextant_risk_window_refresh_prices);
  g_task_set_task_data (task, data, (GDestroyNotify) refresh_data_free);
  g_task_run_in_thread (task, refresh_thread);
}

/**
 * _sextant_risk_window_cancel_refresh:
 *
 * Stops a running refresh; its done callback reports it.
 */
void
_sextant_risk_window_cancel_refresh (SextantRiskWindow *self)
{
  if (self->refresh_cancellable != NULL)
    g_cancellable_cancel (self->refresh_cancellable);
}

/**
 * _sextant_risk_window_dispose_refresh:
 */
void
_sextant_risk_window_dispose_refresh (SextantRiskWindow *self)
{
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_handle_id (&self->refresh_poll_id, g_source_remove);
  g_clear_pointer (&self->refresh_progress_data, refresh_progress_release);
  g_clear_object (&self->refresh_cancellable);
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
