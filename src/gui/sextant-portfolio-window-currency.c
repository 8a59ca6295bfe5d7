#define G_LOG_DOMAIN "sextant-portfolio-window-currency"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-portfolio-window-private.h"

/* The portfolio's base currency: the Base Currency row chooses it, a stored portfolio brings
 * its own, and Save stores it. Every close the window values or optimizes with is converted to
 * it with the ECB's reference rates (crossed through the euro) before anything is computed, so
 * the total, the weights, the returns and the trade list are all in that money. Rates the
 * store lacks are fetched once (SEXTANT_ECB_BASE_URL as for `sextant-cli fx`); until they
 * arrive, or when they cannot, the closes without a rate are left out and the status says why. */

/* The ECB's reference-rate currencies and the euro, most held first. */
static const char *const currencies[] = {
  "EUR", "USD", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
  "RON", "BGN", "ISK", "TRY", "CNY", "HKD", "SGD", "KRW", "INR", "IDR", "MYR", "PHP", "THB",
  "ILS", "NZD", "BRL", "MXN", "ZAR", NULL,
};

static SextantWorkspace *
get_workspace (SextantPortfolioWindow *self)
{
  return sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
}

static SextantMarketCache *
dup_cache (SextantPortfolioWindow *self)
{
  SextantWorkspace *workspace = get_workspace (self);

  if (workspace == NULL || sextant_workspace_get_store (workspace) == NULL)
    return NULL;

  return sextant_market_cache_new (sextant_workspace_get_store (workspace));
}

static char *
currency_of (SextantPortfolioWindow *self,
             SextantMarketCache     *cache,
             const char             *symbol)
{
  SextantWorkspace *workspace = get_workspace (self);
  char *currency = cache != NULL ? sextant_market_cache_dup_currency (cache, symbol) : NULL;

  if (currency != NULL)
    return currency;
  if (workspace != NULL && sextant_workspace_get_stocks (workspace) != NULL &&
      sextant_price_table_find_column (sextant_workspace_get_stocks (workspace), symbol) >= 0)
    return g_strdup ("USD");

  return g_strdup (self->base_currency);
}

/**
 * _sextant_portfolio_window_dup_currency_of:
 * @self: a portfolio window
 * @symbol: an instrument
 *
 * Returns: (transfer full): the currency @symbol's prices are in: its instrument's (a provider's
 *   search, the demo set), else the dollar for a demo stock, else the base currency (prices
 *   imported without one are taken as the book's own)
 */
char *
_sextant_portfolio_window_dup_currency_of (SextantPortfolioWindow *self,
                                           const char             *symbol)
{
  g_autoptr(SextantMarketCache) cache = dup_cache (self);

  return currency_of (self, cache, symbol);
}

static void
rates_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SextantPortfolioWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sextant_ecb_rates_update_cache_finish (SEXTANT_ECB_RATES (object), result, NULL, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->rates_cancellable);
  g_clear_pointer (&self->rates_problem, g_free);
  if (error != NULL)
    /* Translators: the reason, from the ECB's data service */
    self->rates_problem = g_strdup_printf (_("The exchange rates could not be fetched: %s"),
                                           error->message);
  _sextant_portfolio_window_set_status (self, self->rates_problem != NULL
                                                ? self->rates_problem
                                                : _("Exchange rates fetched from the ECB."));
  _sextant_portfolio_window_holdings_changed (self);
}

/* Fetches the rates of @needed over the table's dates unless the store has them or the same
 * fetch was already tried. */
static void
ensure_rates (SextantPortfolioWindow  *self,
              SextantMarketCache      *cache,
              GPtrArray               *needed,
              SextantPriceTable       *table)
{
  gsize n = sextant_price_table_get_n_rows (table);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(SextantEcbRates) ecb = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *joined = NULL;
  gint32 first, last;
  gboolean covered = TRUE;

  if (n == 0 || needed->len == 0 || self->rates_cancellable != NULL)
    return;
  first = MAX (sextant_price_table_get_days (table)[0] - SEXTANT_FX_MAX_STALE_DAYS, SEXTANT_ECB_FIRST_DAY);
  last = sextant_price_table_get_days (table)[n - 1];
  if (last < first)
    return;
  for (guint i = 0; i < needed->len; i++)
    covered = covered && sextant_market_cache_covers_fx (cache, needed->pdata[i], first, last, now);
  g_ptr_array_add (needed, NULL);
  joined = g_strjoinv ("+", (char **) needed->pdata);
  g_ptr_array_remove_index (needed, needed->len - 1);
  key = g_strdup_printf ("%s:%d:%d", joined, first, last);
  if (covered || g_strcmp0 (key, self->rates_key) == 0)
    return;
  g_free (self->rates_key);
  self->rates_key = g_steal_pointer (&key);
  if ((ecb = sextant_ecb_rates_new_from_environment (&error)) == NULL)
    {
      g_free (self->rates_problem);
      self->rates_problem = g_strdup (error->message);
      return;
    }
  g_ptr_array_add (needed, NULL);
  self->rates_cancellable = g_cancellable_new ();
  _sextant_portfolio_window_set_status (self, _("Fetching exchange rates from the ECB…"));
  sextant_ecb_rates_update_cache_async (ecb, cache, (const char * const *) needed->pdata, first, last,
                                        self->rates_cancellable, rates_done_cb, g_object_ref (self));
  g_ptr_array_remove_index (needed, needed->len - 1);
}

/**
 * _sextant_portfolio_window_to_base:
 * @self: a portfolio window
 * @table: (transfer none): closes, one column per instrument, each in its own currency
 *
 * @table in the base currency (sextant_book_convert_table()): NaN where a date has no rate,
 * which the data range drops and reports. Starts fetching the rates the store lacks.
 *
 * Returns: (transfer full): the converted table, or a reference to @table when nothing needs
 *   converting or nothing can be
 */
SextantPriceTable *
_sextant_portfolio_window_to_base (SextantPortfolioWindow *self,
                                   SextantPriceTable      *table)
{
  g_autoptr(SextantMarketCache) cache = dup_cache (self);
  g_autoptr(GPtrArray) column_currencies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) needed = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  SextantPriceTable *converted;

  if (cache == NULL || table == NULL || self->base_currency == NULL)
    return table != NULL ? sextant_price_table_ref (table) : NULL;
  for (gsize j = 0; j < sextant_price_table_get_n_columns (table); j++)
    {
      char *currency = currency_of (self, cache, sextant_price_table_get_column_name (table, j));

      g_ptr_array_add (column_currencies, currency);
      if (g_strcmp0 (currency, self->base_currency) != 0 &&
          !g_ptr_array_find_with_equal_func (needed, currency, g_str_equal, NULL))
        g_ptr_array_add (needed, currency);
    }
  if (needed->len == 0)
    return sextant_price_table_ref (table);
  g_ptr_array_add (needed, self->base_currency);
  for (guint i = needed->len; i > 0; i--)
    if (g_str_equal (needed->pdata[i - 1], "EUR"))
      g_ptr_array_remove_index (needed, i - 1);
  ensure_rates (self, cache, needed, table);

  g_ptr_array_add (column_currencies, NULL);
  converted = sextant_book_convert_table (cache, table, (const char * const *) column_currencies->pdata,
                                          self->base_currency, &error);
  if (converted == NULL)
    {
      g_warning ("Cannot convert the closes to %s: %s", self->base_currency, error->message);
      return sextant_price_table_ref (table);
    }

  return converted;
}

/**
 * _sextant_portfolio_window_set_base_currency:
 * @self: a portfolio window
 * @currency: an ISO 4217 code
 *
 * Chooses the base currency (a stored portfolio's, or the user's) and values everything again.
 */
void
_sextant_portfolio_window_set_base_currency (SextantPortfolioWindow *self,
                                             const char             *currency)
{
  g_autofree char *code = g_ascii_strup (currency != NULL ? currency : "USD", -1);
  guint position = GTK_INVALID_LIST_POSITION;
  GListModel *model = adw_combo_row_get_model (self->currency_row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), code))
      position = i;
  if (position == GTK_INVALID_LIST_POSITION)
    {
      gtk_string_list_append (GTK_STRING_LIST (model), code);
      position = g_list_model_get_n_items (model) - 1;
    }
  self->updating_currency = TRUE;
  adw_combo_row_set_selected (self->currency_row, position);
  self->updating_currency = FALSE;
  if (g_strcmp0 (code, self->base_currency) == 0)
    return;
  g_free (self->base_currency);
  self->base_currency = g_steal_pointer (&code);
  g_clear_pointer (&self->rates_problem, g_free);
  g_clear_pointer (&self->rates_key, g_free);
  _sextant_portfolio_window_holdings_changed (self);
}

static void
currency_selected_cb (SextantPortfolioWindow *self)
{
  GListModel *model = adw_combo_row_get_model (self->currency_row);
  guint selected = adw_combo_row_get_selected (self->currency_row);

  if (self->updating_currency || selected == GTK_INVALID_LIST_POSITION)
    return;
  _sextant_portfolio_window_set_base_currency (self, gtk_string_list_get_string (GTK_STRING_LIST (model), selected));
}

/**
 * sextant_portfolio_window_get_base_currency:
 * @self: a portfolio window
 *
 * Returns: the ISO 4217 code every amount in the window is in
 */
const char *
sextant_portfolio_window_get_base_currency (SextantPortfolioWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), NULL);

  return self->base_currency;
}

/**
 * sextant_portfolio_window_get_fetching_rates:
 * @self: a portfolio window
 *
 * Returns: %TRUE while the ECB's rates for the base currency are being fetched
 */
gboolean
sextant_portfolio_window_get_fetching_rates (SextantPortfolioWindow *self)
{
  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), FALSE);

  return self->rates_cancellable != NULL;
}

void
_sextant_portfolio_window_class_init_currency (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, currency_row);
}

void
_sextant_portfolio_window_init_currency (SextantPortfolioWindow *self)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (currencies);

  self->base_currency = g_strdup ("USD");
  self->updating_currency = TRUE;
  adw_combo_row_set_model (self->currency_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->currency_row, 1);
  self->updating_currency = FALSE;
  g_signal_connect_object (self->currency_row, "notify::selected",
                           G_CALLBACK (currency_selected_cb), self, G_CONNECT_SWAPPED);
}

void
_sextant_portfolio_window_dispose_currency (SextantPortfolioWindow *self)
{
  g_cancellable_cancel (self->rates_cancellable);
  g_clear_object (&self->rates_cancellable);
  g_clear_pointer (&self->base_currency, g_free);
  g_clear_pointer (&self->rates_key, g_free);
  g_clear_pointer (&self->rates_problem, g_free);
}
