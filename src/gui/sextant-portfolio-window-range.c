#define G_LOG_DOMAIN "sextant-portfolio-window-range"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-portfolio-window-private.h"

/* The data range: what the holdings' prices cover (cached bars once every holding has them,
 * else the bundled demo closes), presets counted back from the newest close, explicit dates,
 * and a line saying which dates aligning the holdings drops and why. */

static const struct
{
  const char *name;
  int         years;
} presets[] = {
  { "1y", 1 }, { "3y", 3 }, { "5y", 5 }, { "10y", 10 }, { "max", 0 },
};

static char *
holding_symbols (SextantPortfolioWindow *self,
                 GStrv                  *symbols)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  /* Bonds and cash have no daily closes: the range is the instruments'. */
  for (guint i = 0; i < self->holdings->len; i++)
    if (g_array_index (self->holdings, SextantHoldingEdit, i).kind == SEXTANT_HOLDING_EQUITY)
      g_strv_builder_add (builder, g_array_index (self->holdings, SextantHoldingEdit, i).symbol);
  *symbols = g_strv_builder_end (builder);

  return g_strjoinv (",", *symbols);
}

static void
show_entries (SextantPortfolioWindow *self)
{
  g_autofree char *from = sextant_day_format_iso (self->range_first);
  g_autofree char *to = sextant_day_format_iso (self->range_last);

  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to);
  gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->to_entry), "error");
}

/* Why dates are dropped: the holding whose prices start last, else the one with most holes. */
static char *
describe_drops (SextantPortfolioWindow  *self,
                const SextantGapSummary *s)
{
  const char *late = s->late_column >= 0
                       ? sextant_price_table_get_column_name (self->range_prices, s->late_column) : NULL;
  g_autofree char *late_day = late != NULL && s->late_first_day != G_MAXINT32
                                ? sextant_day_format_iso (s->late_first_day) : NULL;

  g_autofree char *currency = late != NULL ? _sextant_portfolio_window_dup_currency_of (self, late) : NULL;

  if (s->n_dropped == 0)
    return g_strdup (_("No dates dropped."));
  /* Converted closes also start where the exchange rates do (the ECB's in 1999). */
  if (late != NULL && late_day != NULL && g_strcmp0 (currency, self->base_currency) != 0)
    /* Translators: number of dates, a stock symbol, a currency code, a date */
    return g_strdup_printf (ngettext ("%zu date dropped: %s has no prices, or no exchange rate to %s, before %s.",
                                      "%zu dates dropped: %s has no prices, or no exchange rate to %s, before %s.",
                                      s->n_dropped),
                            s->n_dropped, late, self->base_currency, late_day);
  if (late != NULL && late_day == NULL)
    /* Translators: number of dates, a stock symbol */
    return g_strdup_printf (ngettext ("%zu date dropped: %s has no prices in the range.",
                                         "%zu dates dropped: %s has no prices in the range.", s->n_dropped),
                            s->n_dropped, late);
  if (late != NULL)
    /* Translators: number of dates, a stock symbol, a date */
    return g_strdup_printf (ngettext ("%zu date dropped: %s has no prices before %s.",
                                         "%zu dates dropped: %s has no prices before %s.", s->n_dropped),
                            s->n_dropped, late, late_day);
  /* Translators: number of dates, a stock symbol, number of dates */
  return g_strdup_printf (ngettext ("%zu date dropped to align the holdings: %s lacks %zu.",
                                       "%zu dates dropped to align the holdings: %s lacks %zu.", s->n_dropped),
                          s->n_dropped,
                          s->gap_column >= 0 ? sextant_price_table_get_column_name (self->range_prices, s->gap_column) : "?",
                          s->n_gap_rows);
}

/* Where the range's closes come from: every holding's from the store once all have stored
 * bars, else the bundled demo closes for the demo's instruments and stored ones for the rest. */
static char *
describe_sources (SextantPortfolioWindow *self,
                  gboolean                fetched,
                  const char             *first,
                  const char             *last)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  SextantPriceTable *stocks = sextant_workspace_get_stocks (workspace);
  gsize n_rows = sextant_price_table_get_n_rows (self->range_prices);
  gboolean bundled = FALSE, stored = fetched;

  for (guint i = 0; !fetched && stocks != NULL && i < self->holdings->len; i++)
    {
      const char *symbol = g_array_index (self->holdings, SextantHoldingEdit, i).symbol;
      int column = sextant_price_table_find_column (self->range_prices, symbol);

      if (sextant_price_table_find_column (stocks, symbol) >= 0)
        bundled = TRUE;
      else if (column >= 0)
        for (gsize t = 0; t < n_rows && !stored; t++)
          stored = isfinite (sextant_price_table_get_column (self->range_prices, column)[t]);
    }
  if (stored && !bundled)
    /* Translators: first and last dates */
    return g_strdup_printf (_("Prices cover %s to %s (stored from the providers and imports)."), first, last);
  if (stored)
    /* Translators: first and last dates */
    return g_strdup_printf (_("Prices cover %s to %s (bundled demo closes and stored prices)."), first, last);

  /* Translators: first and last dates */
  return g_strdup_printf (_("Prices cover %s to %s (bundled demo closes)."), first, last);
}

static void
show_range_label (SextantPortfolioWindow *self,
                  gboolean                fetched)
{
  gsize n_rows = self->range_prices != NULL ? sextant_price_table_get_n_rows (self->range_prices) : 0;
  const gint32 *days;
  g_autofree char *first = NULL, *last = NULL, *cover = NULL, *drops = NULL, *text = NULL;
  SextantGapSummary s;

  if (n_rows == 0)
    {
      gtk_label_set_text (self->range_label, _("The holdings have no prices."));
      return;
    }
  days = sextant_price_table_get_days (self->range_prices);
  first = sextant_day_format_iso (days[0]);
  last = sextant_day_format_iso (days[n_rows - 1]);
  cover = describe_sources (self, fetched, first, last);
  sextant_price_table_summarize_gaps (self->range_prices, self->range_first, self->range_last, &s);
  drops = describe_drops (self, &s);
  if (s.n_rows < 2)
    /* Translators: the reason dates are dropped, a sentence */
    text = g_strdup_printf (_("%s Too few dates with every price to optimize. %s"), cover, drops);
  else
    /* Translators: what the prices cover, number of dates used, why dates are dropped */
    text = g_strdup_printf (_("%s %zu dates used. %s"), cover, s.n_rows, drops);
  gtk_label_set_text (self->range_label, text);
}

static void
apply_preset (SextantPortfolioWindow *self,
              const char             *name)
{
  gsize n_rows = sextant_price_table_get_n_rows (self->range_prices);
  const gint32 *days = sextant_price_table_get_days (self->range_prices);
  gint32 last = days[n_rows - 1], first = days[0];
  int year, month, mday;

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_str_equal (presets[i].name, name))
      {
        self->range_preset = presets[i].name;
        if (presets[i].years > 0)
          {
            sextant_day_to_ymd (last, &year, &month, &mday);
            /* The day after the same date N years back: 1Y of 2001-12-31 starts 2001-01-01. */
            first = MAX (first, sextant_day_from_ymd (year - presets[i].years, month, MIN (mday, 28)) +
                                  (mday > 28 ? mday - 28 : 0) + 1);
          }
      }
  self->range_first = first;
  self->range_last = last;
}

/**
 * _sextant_portfolio_window_update_coverage:
 * @self: a portfolio window
 *
 * Collects the holdings' closes again when the symbols changed (or after data_changed cleared
 * them), keeps a preset range on the newest data, and says what the range drops.
 */
void
_sextant_portfolio_window_update_coverage (SextantPortfolioWindow *self)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  g_auto(GStrv) symbols = NULL;
  g_autofree char *key = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  gboolean fetched = FALSE;

  /* A focus leaving an entry while the window is destroyed must not collect prices again. */
  if (workspace == NULL || !sextant_workspace_get_demo_loaded (workspace) ||
      gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  key = holding_symbols (self, &symbols);
  if (self->range_prices != NULL && g_strcmp0 (key, self->range_symbols) == 0)
    {
      show_range_label (self, self->range_fetched);
      return;
    }
  if (sextant_workspace_get_store (workspace) != NULL)
    cache = sextant_market_cache_new (sextant_workspace_get_store (workspace));
  g_clear_pointer (&self->range_prices, sextant_price_table_unref);
  {
    g_autoptr(SextantPriceTable) local = sextant_price_history_collect (cache, sextant_workspace_get_stocks (workspace),
                                                                         (const char * const *) symbols, &fetched);

    /* In the base currency: a date without a rate is a gap the range reports. */
    self->range_prices = _sextant_portfolio_window_to_base (self, local);
  }
  self->range_fetched = fetched;
  g_free (self->range_symbols);
  self->range_symbols = g_steal_pointer (&key);
  if (sextant_price_table_get_n_rows (self->range_prices) > 0 &&
      (self->range_preset != NULL || self->range_last == 0))
    {
      apply_preset (self, self->range_preset != NULL ? self->range_preset : "max");
      show_entries (self);
    }
  show_range_label (self, fetched);
}

void
_sextant_portfolio_window_set_range (SextantPortfolioWindow *self,
                                     gint32                  first_day,
                                     gint32                  last_day)
{
  self->range_preset = NULL;
  self->range_first = first_day;
  self->range_last = last_day;
  show_entries (self);
  _sextant_portfolio_window_inputs_changed (self);
}

static void
data_range_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);

  if (self->range_prices == NULL || sextant_price_table_get_n_rows (self->range_prices) == 0)
    return;
  apply_preset (self, g_variant_get_string (parameter, NULL));
  show_entries (self);
  _sextant_portfolio_window_inputs_changed (self);
}

/* A typed date applies on Enter or when focus leaves; one that does not parse is marked. */
static void
entry_apply_cb (SextantPortfolioWindow *self)
{
  const char *from = gtk_editable_get_text (GTK_EDITABLE (self->from_entry));
  const char *to = gtk_editable_get_text (GTK_EDITABLE (self->to_entry));
  gint32 first, last;
  gboolean from_ok = sextant_day_parse_iso (from, &first);
  gboolean to_ok = sextant_day_parse_iso (to, &last);

  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  if (from_ok && to_ok && first > last)
    from_ok = to_ok = FALSE;
  if (!from_ok || !to_ok)
    {
      if (!from_ok)
        gtk_widget_add_css_class (GTK_WIDGET (self->from_entry), "error");
      if (!to_ok)
        gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");
      gtk_label_set_text (self->range_label, _("Type dates as YYYY-MM-DD, the first before the last."));
      return;
    }
  if (first == self->range_first && last == self->range_last)
    {
      show_entries (self);
      return;
    }
  _sextant_portfolio_window_set_range (self, first, last);
}

static void
watch_entry (SextantPortfolioWindow *self,
             GtkEntry               *entry)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect_object (entry, "activate", G_CALLBACK (entry_apply_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (focus, "leave", G_CALLBACK (entry_apply_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (entry), focus);
}

void
_sextant_portfolio_window_init_range (SextantPortfolioWindow *self)
{
  self->range_preset = "max";
  watch_entry (self, self->from_entry);
  watch_entry (self, self->to_entry);
}

void
_sextant_portfolio_window_dispose_range (SextantPortfolioWindow *self)
{
  g_clear_pointer (&self->range_prices, sextant_price_table_unref);
  g_clear_pointer (&self->range_symbols, g_free);
}

void
_sextant_portfolio_window_class_init_range (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.data-range", "s", data_range_action);
}
