#define G_LOG_DOMAIN "sextant-portfolio-window-import"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sextant-portfolio-window-private.h"

/* Holdings from a spreadsheet, read by the core's CSV importer (header synonyms, delimiter and
 * decimal-comma detection, weights or quantities). Rows it cannot use are skipped, not fatal:
 * they are listed under the holdings with their line numbers, so the user can fix the file. */

/* A file of weights alone says nothing about money: it is bought with the value of the holdings
 * being replaced, or this much when there are none. */
#define DEFAULT_NOTIONAL 100000.0

/* At most this many skipped rows are listed; the rest are counted. */
#define MAX_PROBLEMS_SHOWN 8

static char *
portfolio_name_for (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';

  return g_steal_pointer (&base);
}

/* The editor works in shares: holdings given as weights get the whole shares that buy their
 * weight of @notional at the last close (or of the file's own total, when it mixes quantities
 * and weights). */
SextantPortfolio *
_sextant_portfolio_window_with_quantities (SextantPortfolio   *portfolio,
                                           SextantPriceTable  *prices,
                                           double              notional,
                                           GError            **error)
{
  g_autoptr(SextantValuation) valuation = NULL;
  g_autoptr(SextantPortfolio) out = NULL;
  g_autoptr(GError) unpriced = NULL;
  gboolean any_quantity = FALSE;
  guint n = sextant_portfolio_get_n_holdings (portfolio);

  /* Holdings none of which has prices are still holdings: weights become 0 shares until their
   * prices come. */
  valuation = sextant_portfolio_valuate (portfolio, prices, &unpriced);
  if (valuation == NULL)
    {
      valuation = g_new0 (SextantValuation, 1);
      valuation->n_positions = n;
      valuation->positions = g_new0 (SextantPositionValue, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        valuation->positions[i].price = NAN;
    }
  for (guint i = 0; i < n; i++)
    any_quantity |= isfinite (sextant_portfolio_get_holding (portfolio, i)->quantity);
  out = sextant_portfolio_new (sextant_portfolio_get_name (portfolio));
  for (guint i = 0; i < n; i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (portfolio, i);
      const SextantPositionValue *position = &valuation->positions[i];
      double quantity = h->quantity;

      if (!isfinite (quantity))
        quantity = isfinite (position->price) && position->price > 0
                     ? round (position->value * (any_quantity ? 1.0 : notional) / position->price)
                     : 0;
      sextant_portfolio_add_holding (out, h->symbol, quantity, NAN, h->currency);
      sextant_portfolio_set_bounds (out, i, h->min_weight, h->max_weight);
      sextant_portfolio_set_cost_basis (out, i, h->cost_basis);
    }
  /* Bonds and cash keep their kind and terms (their quantities are amounts already). */
  sextant_portfolio_take_terms (out, portfolio);

  return g_steal_pointer (&out);
}

static void
show_problems (SextantPortfolioWindow *self,
               SextantCsvImporter     *importer,
               const char             *name)
{
  guint n = sextant_csv_importer_get_n_rejected (importer);
  g_autoptr(GString) text = g_string_new (NULL);

  gtk_widget_set_visible (self->import_problems_box, n > 0);
  if (n == 0)
    return;
  /* Translators: a number of rows of a file, then the file's name */
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u row of %s was skipped:",
                                             "%u rows of %s were skipped:", n), n, name);
  for (guint i = 0; i < MIN (n, MAX_PROBLEMS_SHOWN); i++)
    g_string_append_printf (text, "\n%s", sextant_csv_importer_get_rejected (importer, i)->message);
  if (n > MAX_PROBLEMS_SHOWN)
    g_string_append_printf (text, "\n%s", _("…and more."));
  gtk_label_set_text (self->import_problems_label, text->str);
}

/* The file's symbols without prices in the local store, unless the cache had them after all. */
static void
offer_prices (SextantPortfolioWindow *self,
              GPtrArray              *unpriced)
{
  SextantPriceTable *prices = _sextant_portfolio_window_get_prices (self);
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autofree char *list = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  for (guint i = 0; i < unpriced->len; i++)
    if (sextant_price_table_find_column (prices, unpriced->pdata[i]) < 0)
      g_ptr_array_add (missing, unpriced->pdata[i]);
  if (missing->len == 0)
    return;
  g_ptr_array_add (missing, NULL);
  list = g_strjoinv (", ", (char **) missing->pdata);
  /* Translators: a list of symbols */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s needs prices", "%s need prices",
                                        missing->len - 1), list);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("_Fetch Prices"));
  adw_toast_set_detailed_action_name (toast, "win.fetch-prices('')");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * sextant_portfolio_window_import_holdings:
 * @self: a portfolio window
 * @path: a CSV file of holdings: a symbol column (`symbol`, `ticker`, …) with quantities
 *   (`quantity`, `shares`, …) or weights (`weight`, `allocation`), optionally `min_weight` and
 *   `max_weight`; any delimiter, decimal point or comma
 * @error: return location for an error naming the line, when nothing could be imported
 *
 * Replaces the holdings being edited with those of the file. A symbol without prices is kept as
 * a holding that needs prices, and the window offers to fetch them. Rows that cannot be used (a
 * repeat, a number that is none) are skipped and listed in the window.
 *
 * Returns: %TRUE if at least one holding was read
 */
gboolean
sextant_portfolio_window_import_holdings (SextantPortfolioWindow  *self,
                                          const char              *path,
                                          GError                 **error)
{
  SextantPriceTable *stocks;
  g_autoptr(SextantCsvImporter) importer = NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_autoptr(SextantPortfolio) held = NULL;
  g_autoptr(GPtrArray) symbols = g_ptr_array_new ();
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (SEXTANT_IS_PORTFOLIO_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* Every instrument with prices: the demo set's and those the holdings being replaced had. */
  stocks = _sextant_portfolio_window_get_prices (self);
  for (gsize c = 0; c < sextant_price_table_get_n_columns (stocks); c++)
    g_ptr_array_add (symbols, (gpointer) sextant_price_table_get_column_name (stocks, c));
  g_ptr_array_add (symbols, NULL);

  name = portfolio_name_for (path);
  importer = sextant_csv_importer_new_for_file (path, SEXTANT_DATE_FORMAT_UNKNOWN, error);
  if (importer == NULL)
    return FALSE;
  sextant_csv_importer_set_known_symbols (importer, (const char * const *) symbols->pdata);
  sextant_csv_importer_set_keep_unknown (importer, TRUE);
  portfolio = sextant_csv_importer_read_holdings (importer, name, error);
  if (portfolio == NULL)
    return FALSE;
  held = _sextant_portfolio_window_with_quantities (portfolio, stocks,
                                                    self->valuation != NULL ? self->valuation->total
                                                                            : DEFAULT_NOTIONAL, error);
  if (held == NULL)
    return FALSE;

  _sextant_portfolio_window_set_holdings (self, held);
  show_problems (self, importer, name);
  offer_prices (self, sextant_csv_importer_get_unpriced (importer));
  /* Translators: a number of holdings and a portfolio (file) name */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u holding from %s",
                                        "Imported %u holdings from %s",
                                        sextant_portfolio_get_n_holdings (portfolio)),
                           sextant_portfolio_get_n_holdings (portfolio), name);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));

  return TRUE;
}

static void
import_response_cb (GtkNativeDialog        *dialog,
                    int                     response,
                    SextantPortfolioWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    path = g_file_get_path (file);
  if (path != NULL && !sextant_portfolio_window_import_holdings (self, path, &error))
    {
      /* Translators: the reason a holdings file could not be read */
      g_autofree char *title = g_strdup_printf (_("Not imported: %s"), error->message);
      AdwToast *toast = adw_toast_new (title);

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
import_holdings_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Import Holdings"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
dismiss_import_problems_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  gtk_widget_set_visible (SEXTANT_PORTFOLIO_WINDOW (widget)->import_problems_box, FALSE);
}

void
_sextant_portfolio_window_class_init_import (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.import-holdings", NULL, import_holdings_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-import-problems", NULL,
                                   dismiss_import_problems_action);
}
