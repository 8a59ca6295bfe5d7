#define G_LOG_DOMAIN "sextant-portfolio-window-prices"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sextant-portfolio-window-private.h"
#include "sextant-price-fetch.h"

/* The instrument universe is whatever the user has: the holdings editor finds instruments in
 * the local store (demo, imported, fetched) and, with a key, through the providers' symbol
 * search; a holding whose instrument has no bars stays, marked "needs prices", and offers to
 * fetch its history through the user's providers or to import it from a CSV file.
 *
 * Provider work runs in a worker thread on its own main context with its own connection to the
 * database, as the risk dashboard's refresh does: the keyring lookup is synchronous, and the
 * market cache writes in transactions that must not swallow what the main thread writes. */

#define LOCAL_LIMIT 20

/* Alpha Vantage's free plan allows 25 requests a day: the providers are asked once typing
 * pauses, and not for a single letter. */
#define SEARCH_DELAY_MS 500
#define PROVIDER_MIN_CHARS 2

typedef struct
{
  char                    *database_path;
  SextantProviderSettings *providers;
  char                    *query;
  GError                  *provider_error;
} ProviderJob;

static void
provider_job_free (ProviderJob *job)
{
  g_free (job->database_path);
  sextant_provider_settings_free (job->providers);
  g_free (job->query);
  g_clear_error (&job->provider_error);
  g_free (job);
}

static SextantWorkspace *
get_workspace (SextantPortfolioWindow *self)
{
  return sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
}

static SextantMarketCache *
dup_cache (SextantPortfolioWindow *self)
{
  SextantStore *store = sextant_workspace_get_store (get_workspace (self));

  return store != NULL ? sextant_market_cache_new (store) : NULL;
}

static ProviderJob *
provider_job_new (SextantPortfolioWindow *self)
{
  GSettings *settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));
  SextantStore *store = sextant_workspace_get_store (get_workspace (self));
  ProviderJob *job = g_new0 (ProviderJob, 1);

  job->database_path = g_strdup (store != NULL ? sextant_store_get_path (store) : NULL);
  job->providers = sextant_provider_settings_new (settings);

  return job;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ProviderJob *job = task_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SextantMarketRouter) router = NULL;
  GError *error = NULL;
  GPtrArray *matches = NULL;

  g_main_context_push_thread_default (context);
  router = sextant_provider_settings_create_router (job->providers, &error);
  if (router != NULL)
    {
      sextant_market_router_search_async (router, job->query, cancellable, store_result_cb,
                                          &result);
      while (result == NULL)
        g_main_context_iteration (context, TRUE);
      matches = sextant_market_router_search_finish (router, result, &job->provider_error, &error);
    }
  g_clear_object (&result);
  g_clear_object (&router);
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);

  if (matches == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, matches, (GDestroyNotify) g_ptr_array_unref);
}

static char *
match_subtitle (const SextantSymbolMatch *match)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (match->name != NULL)
    g_ptr_array_add (parts, match->name);
  if (match->currency != NULL)
    g_ptr_array_add (parts, match->currency);
  if (match->exchange != NULL)
    g_ptr_array_add (parts, match->exchange);
  else if (match->region != NULL)
    g_ptr_array_add (parts, match->region);
  g_ptr_array_add (parts, match->has_bars ? _("prices in the local store") : _("no prices yet"));
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
append_match_row (SextantPortfolioWindow   *self,
                  const SextantSymbolMatch *match)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = match_subtitle (match);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), match->symbol);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_list_box_append (self->search_list, row);
  g_ptr_array_add (self->search_matches, sextant_symbol_match_copy (match));
}

static gboolean
already_listed (SextantPortfolioWindow *self,
                const char             *symbol)
{
  for (guint i = 0; i < self->search_matches->len; i++)
    if (g_ascii_strcasecmp (((SextantSymbolMatch *) self->search_matches->pdata[i])->symbol,
                            symbol) == 0)
      return TRUE;

  return FALSE;
}

static void
clear_matches (SextantPortfolioWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->search_list))))
    gtk_list_box_remove (self->search_list, child);
  g_ptr_array_set_size (self->search_matches, 0);
}

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (object);
  ProviderJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  guint before = self->search_matches->len;

  matches = g_task_propagate_pointer (G_TASK (result), &error);
  /* A newer search replaced this one, or the window is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->search_matches == NULL)
    return;
  g_clear_object (&self->search_cancellable);
  for (guint i = 0; matches != NULL && i < matches->len; i++)
    if (!already_listed (self, ((SextantSymbolMatch *) matches->pdata[i])->symbol))
      append_match_row (self, matches->pdata[i]);

  if (g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_PROVIDER))
    status = g_strdup (before > 0 ? _("Only the local store was searched: add a market data key in Preferences to search the providers.")
                                  : _("Nothing in the local store matches. Add a market data key in Preferences to search the providers, or add the symbol as typed and import its prices."));
  else if (error != NULL)
    /* Translators: why the providers' symbol search failed */
    status = g_strdup_printf (_("The providers’ search failed: %s"), error->message);
  else if (job->provider_error != NULL)
    /* Translators: why one provider's search failed while others answered */
    status = g_strdup_printf (_("Some results may be missing: %s"), job->provider_error->message);
  else if (self->search_matches->len == 0)
    status = g_strdup (_("No instrument matches."));
  else
    /* Translators: the number of instruments found */
    status = g_strdup_printf (ngettext ("%u instrument found", "%u instruments found",
                                        self->search_matches->len), self->search_matches->len);
  gtk_label_set_text (self->search_status, status);
}

static void
start_provider_search (SextantPortfolioWindow *self,
                       const char             *query)
{
  g_autoptr(GTask) task = NULL;
  ProviderJob *job = provider_job_new (self);

  job->query = g_strdup (query);
  self->search_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->search_cancellable, search_done_cb, NULL);
  g_task_set_source_tag (task, start_provider_search);
  g_task_set_task_data (task, job, (GDestroyNotify) provider_job_free);
  g_task_run_in_thread (task, search_thread);
}

/* The bundled demo stocks are in the store once the cache is seeded; until then they are
 * found in the demo table. */
static void
add_demo_matches (SextantPortfolioWindow *self,
                  GPtrArray              *local,
                  const char             *query)
{
  SextantPriceTable *stocks = sextant_workspace_get_stocks (get_workspace (self));
  gsize n = strlen (query);

  for (gsize c = 0; stocks != NULL && c < sextant_price_table_get_n_columns (stocks); c++)
    {
      const char *symbol = sextant_price_table_get_column_name (stocks, c);
      SextantSymbolMatch *match;
      gboolean listed = FALSE;

      if (g_ascii_strncasecmp (symbol, query, n) != 0)
        continue;
      for (guint i = 0; i < local->len && !listed; i++)
        listed = g_str_equal (((SextantSymbolMatch *) local->pdata[i])->symbol, symbol);
      if (listed || local->len >= LOCAL_LIMIT)
        continue;
      match = sextant_symbol_match_new (symbol, "local");
      match->currency = g_strdup ("USD");
      match->has_bars = TRUE;
      g_ptr_array_add (local, match);
    }
}

/* Local instruments at once, then the providers' answers appended below them. */
static void
search_changed_cb (SextantPortfolioWindow *self)
{
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_entry))));
  g_autoptr(SextantMarketCache) cache = dup_cache (self);
  g_autoptr(GPtrArray) local = NULL;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  clear_matches (self);
  if (*query == '\0')
    {
      gtk_revealer_set_reveal_child (self->search_revealer, FALSE);
      return;
    }
  if (cache != NULL)
    local = sextant_market_cache_search_instruments (cache, query, LOCAL_LIMIT, NULL);
  if (local == NULL)
    local = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_symbol_match_free);
  add_demo_matches (self, local, query);
  for (guint i = 0; i < local->len; i++)
    if (g_ascii_strcasecmp (((SextantSymbolMatch *) local->pdata[i])->symbol, query) == 0)
      append_match_row (self, local->pdata[i]);
  for (guint i = 0; i < local->len; i++)
    if (!already_listed (self, ((SextantSymbolMatch *) local->pdata[i])->symbol))
      append_match_row (self, local->pdata[i]);
  gtk_revealer_set_reveal_child (self->search_revealer, TRUE);
  if (g_utf8_strlen (query, -1) < PROVIDER_MIN_CHARS)
    {
      gtk_label_set_text (self->search_status, _("Type another letter to search the market data providers too."));
      return;
    }
  gtk_label_set_text (self->search_status, _("Searching the market data providers…"));
  start_provider_search (self, query);
}

static gboolean is_priced   (SextantPortfolioWindow  *self,
                             const char              *symbol);
static void     start_fetch (SextantPortfolioWindow  *self,
                             char                   **symbols);

static void
choose_match (SextantPortfolioWindow   *self,
              const SextantSymbolMatch *match)
{
  g_autoptr(SextantMarketCache) cache = dup_cache (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *symbol = g_strdup (match->symbol);
  gboolean from_provider = !g_str_equal (match->source, "local");

  /* Remember what the provider said about it, so the next search finds it locally. */
  if (cache != NULL && !g_str_equal (match->source, "local") &&
      !sextant_market_cache_put_match (cache, match, &error))
    g_warning ("Cannot remember %s: %s", match->symbol, error->message);
  gtk_revealer_set_reveal_child (self->search_revealer, FALSE);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  clear_matches (self);
  gtk_label_set_text (self->search_status, "");
  gtk_editable_set_text (GTK_EDITABLE (self->add_entry), "");
  _sextant_portfolio_window_add_symbol (self, symbol);
  /* Found through a provider and without prices here: its history comes from the providers at
   * once (progress and Cancel under the holdings); the holding offers Import Prices… too. */
  if (from_provider && !is_priced (self, symbol))
    start_fetch (self, g_strdupv ((char *[]) { symbol, NULL }));
}

static void
row_activated_cb (SextantPortfolioWindow *self,
                  GtkListBoxRow          *row)
{
  int index = gtk_list_box_row_get_index (row);

  if (index >= 0 && (guint) index < self->search_matches->len)
    choose_match (self, self->search_matches->pdata[index]);
}

/* Enter or Add Holding: the best match, or the symbol as typed when nothing matches (its prices
 * can then be imported). */
static void
add_holding_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_entry))));
  g_autoptr(SextantSymbolMatch) typed = NULL;

  if (self->search_matches->len > 0)
    {
      choose_match (self, self->search_matches->pdata[0]);
      return;
    }
  if (*text == '\0' || strchr (text, ' ') != NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->add_entry));
      return;
    }
  typed = sextant_symbol_match_new (text, "local");
  g_free (typed->symbol);
  typed->symbol = g_ascii_strup (text, -1);
  choose_match (self, typed);
}

/* Fetching: the chosen symbols through the router in the user's provider order, in a thread. */

static void
progress_cb (SextantPortfolioWindow *self,
             const char             *symbol,
             guint                   done,
             guint                   total)
{
  g_autofree char *text = NULL;

  if (total == 0 || symbol == NULL)
    {
      text = g_strdup (_("Asking the market data providers…"));
      gtk_progress_bar_pulse (self->fetch_progress);
    }
  else
    {
      /* Translators: a symbol, how many symbols are done, how many there are */
      text = g_strdup_printf (_("Fetching the prices of %s (%u of %u)…"), symbol,
                              MIN (done + 1, total), total);
      gtk_progress_bar_set_fraction (self->fetch_progress, (double) done / total);
    }
  gtk_progress_bar_set_text (self->fetch_progress, text);
}

static void
update_fetch_busy (SextantPortfolioWindow *self)
{
  gboolean fetching = self->fetch != NULL;

  gtk_widget_set_visible (self->fetch_box, fetching);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.fetch-prices", !fetching);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-fetch", fetching);
}

static void
stop_fetch (SextantPortfolioWindow *self)
{
  if (self->fetch != NULL)
    g_signal_handlers_disconnect_by_data (self->fetch, self);
  g_clear_object (&self->fetch);
  update_fetch_busy (self);
}

static void
toast (SextantPortfolioWindow *self,
       const char             *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_outcomes (SextantPortfolioWindow *self,
               GPtrArray              *outcomes)
{
  g_autofree char *text = NULL;
  guint n_failed = 0;

  for (guint i = 0; i < outcomes->len; i++)
    {
      const SextantPriceRefreshOutcome *outcome = outcomes->pdata[i];

      g_debug ("%s: %s", outcome->symbol, outcome->error != NULL ? outcome->error->message
                                                                 : outcome->fetched ? "fetched" : "kept");
      if (outcome->error != NULL)
        {
          n_failed++;
          g_hash_table_replace (self->price_errors, g_strdup (outcome->symbol),
                                g_strdup (outcome->error->message));
        }
      else
        g_hash_table_remove (self->price_errors, outcome->symbol);
    }
  if (n_failed == 0)
    /* Translators: the number of instruments whose prices were fetched */
    text = g_strdup_printf (ngettext ("Fetched the prices of %u instrument",
                                      "Fetched the prices of %u instruments", outcomes->len),
                            outcomes->len);
  else
    /* Translators: how many instruments failed, of how many */
    text = g_strdup_printf (_("%u of %u instruments could not be fetched: the reasons are under their holdings"),
                            n_failed, outcomes->len);
  toast (self, text);
}

static void
fetch_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SextantPriceFetch *fetch = SEXTANT_PRICE_FETCH (object);
  g_autoptr(SextantPortfolioWindow) self = user_data;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;

  outcomes = sextant_price_fetch_run_finish (fetch, result, &error);
  /* A stale fetch: the window was disposed. */
  if (self->fetch != fetch)
    return;
  if (error != NULL)
    g_debug ("Fetching prices: %s", error->message);
  stop_fetch (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, _("Fetching cancelled; the prices fetched so far are kept"));
  else if (g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_PROVIDER))
    toast (self, _("No market data provider has an API key: add one in Preferences, or import the prices from a CSV file"));
  else if (error != NULL)
    {
      /* Translators: why no price could be fetched */
      g_autofree char *text = g_strdup_printf (_("Prices not fetched: %s"), error->message);

      toast (self, text);
    }
  else
    show_outcomes (self, outcomes);
  _sextant_portfolio_window_holdings_changed (self);
}

static void
start_fetch (SextantPortfolioWindow *self,
             char                  **symbols)
{
  SextantStore *store = sextant_workspace_get_store (get_workspace (self));
  GSettings *settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));

  if (self->fetch != NULL || symbols == NULL || symbols[0] == NULL)
    {
      g_strfreev (symbols);
      return;
    }
  if (store == NULL)
    {
      g_strfreev (symbols);
      toast (self, _("Prices cannot be fetched without the database"));
      return;
    }
  self->fetch = sextant_price_fetch_new (sextant_store_get_path (store),
                                         sextant_provider_settings_new (settings), symbols, FALSE);
  update_fetch_busy (self);
  gtk_progress_bar_set_fraction (self->fetch_progress, 0);
  g_signal_connect_swapped (self->fetch, "progress", G_CALLBACK (progress_cb), self);
  sextant_price_fetch_run_async (self->fetch, fetch_done_cb, g_object_ref (self));
}

static gboolean
is_priced (SextantPortfolioWindow *self,
           const char             *symbol)
{
  SextantPriceTable *prices = _sextant_portfolio_window_get_prices (self);

  return prices != NULL && sextant_price_table_find_column (prices, symbol) >= 0;
}

/* `win.fetch-prices ("AAPL")` fetches one symbol; an empty string, every holding that needs
 * prices. */
static void
fetch_prices_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  const char *symbol = g_variant_get_string (parameter, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (*symbol != '\0')
    g_strv_builder_add (builder, symbol);
  else
    for (guint i = 0; i < self->holdings->len; i++)
      {
        const char *held = g_array_index (self->holdings, SextantHoldingEdit, i).symbol;

        if (!is_priced (self, held))
          g_strv_builder_add (builder, held);
      }
  start_fetch (self, g_strv_builder_end (builder));
}

static void
cancel_fetch_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);

  if (self->fetch != NULL)
    sextant_price_fetch_cancel (self->fetch);
}

/**
 * sextant_portfolio_window_import_prices:
 * @self: a portfolio window
 * @symbol: the instrument the file's prices are for, unless the file has a symbol column
 * @path: a CSV file of daily prices (date and close at least; any delimiter or date format)
 * @error: return location for an error naming the line
 *
 * Imports prices into the market cache, as `sextant-cli import` does, and values the holdings
 * again.
 *
 * Returns: %TRUE if bars were imported
 */
gboolean
sextant_portfolio_window_import_prices (SextantPortfolioWindow  *self,
                                        const char              *symbol,
                                        const char              *path,
                                        GError                 **error)
{
  g_autoptr(SextantCsvImporter) importer = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autofree char *text = NULL;
  gsize n_bars = 0;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if ((cache = dup_cache (self)) == NULL)
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA,
                   "Prices cannot be imported without the database");
      return FALSE;
    }
  importer = sextant_csv_importer_new_for_file (path, SEXTANT_DATE_FORMAT_UNKNOWN, error);
  if (importer == NULL)
    return FALSE;
  if (symbol != NULL && *symbol != '\0')
    sextant_csv_importer_set_symbol (importer, symbol);
  /* Demo first, so that a later first use does not think the cache was never seeded. */
  if (!sextant_market_cache_ensure_demo (cache, error) ||
      !sextant_csv_importer_import_prices (importer, cache, &n_bars, error))
    return FALSE;
  if (symbol != NULL)
    g_hash_table_remove (self->price_errors, symbol);
  _sextant_portfolio_window_holdings_changed (self);
  /* Translators: a number of daily prices, then a symbol */
  text = g_strdup_printf (ngettext ("Imported %zu price of %s", "Imported %zu prices of %s", n_bars),
                          n_bars, symbol != NULL ? symbol : "");
  toast (self, text);

  return TRUE;
}

static void
import_response_cb (GtkNativeDialog        *dialog,
                    int                     response,
                    SextantPortfolioWindow *self)
{
  const char *symbol = g_object_get_data (G_OBJECT (dialog), "symbol");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    path = g_file_get_path (file);
  if (path != NULL && !sextant_portfolio_window_import_prices (self, symbol, path, &error))
    {
      /* Translators: the reason a prices file could not be read */
      g_autofree char *title = g_strdup_printf (_("Prices not imported: %s"), error->message);
      AdwToast *t = adw_toast_new (title);

      adw_toast_set_timeout (t, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, t);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
import_prices_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  const char *symbol = g_variant_get_string (parameter, NULL);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *title = NULL;
  GtkFileChooserNative *dialog;

  /* Translators: a stock symbol */
  title = g_strdup_printf (_("Import Prices of %s"), symbol);
  dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_set_data_full (G_OBJECT (dialog), "symbol", g_strdup (symbol), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static SextantPriceTable *
closes_of (SextantPriceSeries *series)
{
  const char *names[] = { sextant_price_series_get_symbol (series), NULL };
  gsize n = sextant_price_series_get_length (series);
  SextantPriceTable *table = sextant_price_table_new (n, names);

  memcpy (sextant_price_table_get_days_mutable (table), sextant_price_series_get_days (series),
          n * sizeof (gint32));
  memcpy (sextant_price_table_get_column_mutable (table, 0), sextant_price_series_get_close (series),
          n * sizeof (double));

  return table;
}

/* The closes the holdings are valued at: the demo table, joined on every date (outer) with the
 * cached bars of every holding it lacks, whose history need not overlap the demo's. A holding with no bars anywhere has no column: it needs prices. */
void
_sextant_portfolio_window_update_prices (SextantPortfolioWindow *self)
{
  SextantPriceTable *stocks = sextant_workspace_get_stocks (get_workspace (self));
  g_autoptr(SextantMarketCache) cache = dup_cache (self);
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_price_series_unref);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->prices, sextant_price_table_unref);
  if (stocks == NULL)
    return;
  for (guint i = 0; cache != NULL && i < self->holdings->len; i++)
    {
      const char *symbol = g_array_index (self->holdings, SextantHoldingEdit, i).symbol;
      SextantPriceSeries *bars;

      if (sextant_price_table_find_column (stocks, symbol) >= 0)
        continue;
      bars = sextant_market_cache_get_bars (cache, symbol, 0, 0, NULL);
      if (bars != NULL && sextant_price_series_get_length (bars) > 0)
        g_ptr_array_add (series, bars);
      else
        g_clear_pointer (&bars, sextant_price_series_unref);
    }
  if (series->len > 0)
    {
      g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_price_table_unref);

      g_ptr_array_add (tables, sextant_price_table_ref (stocks));
      for (guint i = 0; i < series->len; i++)
        g_ptr_array_add (tables, closes_of (series->pdata[i]));
      self->prices = sextant_align_tables_outer ((SextantPriceTable * const *) tables->pdata,
                                                 tables->len, &error);
    }
  if (error != NULL)
    g_warning ("Cannot join the cached prices: %s", error->message);
  if (self->prices == NULL)
    self->prices = sextant_price_table_ref (stocks);
  /* Valued in the base currency: the total and the weights are in that money. */
  {
    SextantPriceTable *local = self->prices;

    self->prices = _sextant_portfolio_window_to_base (self, local);
    sextant_price_table_unref (local);
  }
}

/**
 * _sextant_portfolio_window_get_prices:
 *
 * Returns: (transfer none) (nullable): the closes the holdings are valued at (see
 *   _sextant_portfolio_window_update_prices()), or the demo table before the first valuation
 */
SextantPriceTable *
_sextant_portfolio_window_get_prices (SextantPortfolioWindow *self)
{
  return self->prices != NULL ? self->prices : sextant_workspace_get_stocks (get_workspace (self));
}

gboolean
_sextant_portfolio_window_get_fetching (SextantPortfolioWindow *self)
{
  return self->fetch != NULL;
}

/**
 * sextant_portfolio_window_get_fetching:
 * @self: a portfolio window
 *
 * Returns: %TRUE while prices are being fetched
 */
gboolean
sextant_portfolio_window_get_fetching (SextantPortfolioWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), FALSE);

  return self->fetch != NULL;
}

/**
 * sextant_portfolio_window_get_searching:
 * @self: a portfolio window
 *
 * Returns: %TRUE while the providers' symbol search has not answered
 */
gboolean
sextant_portfolio_window_get_searching (SextantPortfolioWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), FALSE);

  return self->search_cancellable != NULL;
}

/**
 * _sextant_portfolio_window_price_error:
 *
 * Returns: (nullable): why the last fetch of @symbol failed
 */
const char *
_sextant_portfolio_window_price_error (SextantPortfolioWindow *self,
                                       const char             *symbol)
{
  return g_hash_table_lookup (self->price_errors, symbol);
}

static void
activate_cb (SextantPortfolioWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.add-holding", NULL);
}

static void
stop_search_cb (SextantPortfolioWindow *self)
{
  gtk_revealer_set_reveal_child (self->search_revealer, FALSE);
}

/* The results show under the entry, in the holdings pane, rather than in a popover: the list
 * keeps its place while the user reads the names, and nothing covers the holdings. */
void
_sextant_portfolio_window_init_prices (SextantPortfolioWindow *self)
{
  self->price_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->search_matches = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_symbol_match_free);

  g_signal_connect_object (self->search_list, "row-activated", G_CALLBACK (row_activated_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_entry, "search-changed", G_CALLBACK (search_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_entry, "activate", G_CALLBACK (activate_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_entry, "stop-search", G_CALLBACK (stop_search_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_search_entry_set_search_delay (self->add_entry, SEARCH_DELAY_MS);
  update_fetch_busy (self);
}

void
_sextant_portfolio_window_dispose_prices (SextantPortfolioWindow *self)
{
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (self->fetch != NULL)
    {
      sextant_price_fetch_cancel (self->fetch);
      g_signal_handlers_disconnect_by_data (self->fetch, self);
      g_clear_object (&self->fetch);
    }
  g_clear_pointer (&self->search_matches, g_ptr_array_unref);
  g_clear_pointer (&self->price_errors, g_hash_table_unref);
  g_clear_pointer (&self->prices, sextant_price_table_unref);
}

void
_sextant_portfolio_window_class_init_prices (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-holding", NULL, add_holding_action);
  gtk_widget_class_install_action (widget_class, "win.fetch-prices", "s", fetch_prices_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-fetch", NULL, cancel_fetch_action);
  gtk_widget_class_install_action (widget_class, "win.import-prices", "s", import_prices_action);
}
