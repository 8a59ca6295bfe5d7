#define G_LOG_DOMAIN "sextant-risk-window-figures"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-money-format.h"
#include "sextant-risk-window-private.h"
#include "sextant-window-helpers.h"

/* Newer prices replace the bundled ones only when they span about three months of shared days. */
#define MIN_FETCHED_DAYS 60

/* The dashboard's figures: computed in a GTask thread whenever the data or the chosen
 * portfolio change, then shown as tiles, charts and tables. */

void
_sextant_risk_window_create_tiles (SextantRiskWindow *self)
{
  guint n;
  const SextantRiskMeasure *measures = sextant_risk_measures (&n);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *value = gtk_label_new ("—");

      gtk_flow_box_append (self->kpi_box, sextant_window_new_kpi_tile (_(measures[i].title), _(measures[i].caption),
                                                                            value));
      g_hash_table_insert (self->kpi_labels, (gpointer) measures[i].key, value);
    }
}

static GtkWidget *
cell (const char *text,
      float       xalign,
      const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_widget_add_css_class (label, "numeric");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))))
    gtk_grid_remove (grid, child);
}

static void
show_components (SextantRiskWindow        *self,
                 const SextantRiskFigures *f)
{
  clear_grid (self->component_grid);
  gtk_grid_attach (self->component_grid, cell (_("Asset"), 0, "heading"), 0, 0, 1, 1);
  gtk_grid_attach (self->component_grid, cell (_("Weight"), 1, "heading"), 1, 0, 1, 1);
  gtk_grid_attach (self->component_grid, cell (_("Component VaR"), 1, "heading"), 2, 0, 1, 1);
  gtk_grid_attach (self->component_grid, cell (_("Share"), 1, "heading"), 3, 0, 1, 1);
  for (gsize j = 0; j < f->k; j++)
    {
      g_autofree char *weight = g_strdup_printf ("%.2f %%", 100 * f->weights[j]);
      g_autofree char *component = g_strdup_printf ("%.3f %%", 100 * f->component_var[j]);
      g_autofree char *share = g_strdup_printf ("%.1f %%", 100 * f->component_var[j] / f->component_total);

      gtk_grid_attach (self->component_grid, cell (f->symbols[j], 0, NULL), 0, j + 1, 1, 1);
      gtk_grid_attach (self->component_grid, cell (weight, 1, NULL), 1, j + 1, 1, 1);
      gtk_grid_attach (self->component_grid, cell (component, 1, NULL), 2, j + 1, 1, 1);
      gtk_grid_attach (self->component_grid, cell (share, 1, "dim-label"), 3, j + 1, 1, 1);
    }
  /* Holdings that could not be valued are shown, not dropped: they are in the book. */
  for (guint i = 0; f->unpriced != NULL && f->unpriced[i] != NULL; i++)
    {
      GtkWidget *needs = cell (_("needs prices"), 1, "warning");

      gtk_widget_set_tooltip_text (needs, _("No close of this symbol in the price data: it is left "
                                            "out of the figures until its prices are imported or fetched"));
      gtk_grid_attach (self->component_grid, cell (f->unpriced[i], 0, NULL), 0, f->k + 1 + i, 1, 1);
      gtk_grid_attach (self->component_grid, needs, 1, f->k + 1 + i, 3, 1);
    }
}

static void
show_exposure (SextantRiskWindow        *self,
               const SextantRiskFigures *f)
{
  gboolean shown = f->fx_exposure != NULL && f->fx_exposure->len > 0;

  clear_grid (self->exposure_grid);
  gtk_widget_set_visible (GTK_WIDGET (self->exposure_grid), shown);
  gtk_widget_set_visible (gtk_widget_get_prev_sibling (GTK_WIDGET (self->exposure_grid)), shown);
  if (!shown)
    return;
  gtk_grid_attach (self->exposure_grid, cell (_("Currency"), 0, "heading"), 0, 0, 1, 1);
  /* Translators: a column heading: the market value in the base currency, whose code follows */
  {
    g_autofree char *heading = g_strdup_printf (_("Value (%s)"), f->currency);

    gtk_grid_attach (self->exposure_grid, cell (heading, 1, "heading"), 1, 0, 1, 1);
  }
  gtk_grid_attach (self->exposure_grid, cell (_("Share"), 1, "heading"), 2, 0, 1, 1);
  for (guint i = 0; i < f->fx_exposure->len; i++)
    {
      const SextantFxExposure *row = &g_array_index (f->fx_exposure, SextantFxExposure, i);
      g_autofree char *value = sextant_format_money (row->value, f->currency, 0);
      g_autofree char *share = g_strdup_printf ("%.1f %%", 100 * row->share);

      gtk_grid_attach (self->exposure_grid, cell (row->currency, 0, NULL), 0, i + 1, 1, 1);
      gtk_grid_attach (self->exposure_grid, cell (value, 1, NULL), 1, i + 1, 1, 1);
      gtk_grid_attach (self->exposure_grid, cell (share, 1, "dim-label"), 2, i + 1, 1, 1);
    }
}

static void
show_stress (SextantRiskWindow        *self,
             const SextantRiskFigures *f)
{
  int row = 1;

  clear_grid (self->stress_grid);
  gtk_grid_attach (self->stress_grid, cell (_("Scenario"), 0, "heading"), 0, 0, 1, 1);
  gtk_grid_attach (self->stress_grid, cell (_("From"), 0, "heading"), 1, 0, 1, 1);
  gtk_grid_attach (self->stress_grid, cell (_("To"), 0, "heading"), 2, 0, 1, 1);
  gtk_grid_attach (self->stress_grid, cell (_("Portfolio Loss"), 1, "heading"), 3, 0, 1, 1);
  for (guint s = 0; s < G_N_ELEMENTS (f->stress); s++)
    for (gsize i = 0; i < f->stress[s].n; i++, row++)
      {
        const SextantStressWindow *w = &f->stress[s].worst[i];
        g_autofree char *from = sextant_day_format_iso (f->returns->days[w->start]);
        g_autofree char *to = sextant_day_format_iso (f->returns->days[w->start + w->length - 1]);
        g_autofree char *loss = g_strdup_printf ("%.2f %%", 100 * w->loss);

        gtk_grid_attach (self->stress_grid, cell (i == 0 ? _(f->stress[s].label) : "", 0, NULL),
                         0, row, 1, 1);
        gtk_grid_attach (self->stress_grid, cell (from, 0, NULL), 1, row, 1, 1);
        gtk_grid_attach (self->stress_grid, cell (to, 0, NULL), 2, row, 1, 1);
        gtk_grid_attach (self->stress_grid, cell (loss, 1, NULL), 3, row, 1, 1);
      }

  {
    const SextantStressWindow *w = &f->market_worst_month;
    g_autofree char *from = sextant_day_format_iso (f->returns->days[w->start]);
    g_autofree char *to = sextant_day_format_iso (f->returns->days[w->start + w->length - 1]);
    g_autofree char *loss = g_strdup_printf ("%.2f %%", -100 * f->replay_return);

    gtk_grid_attach (self->stress_grid, cell (_("Market's worst month, today's weights"), 0, NULL),
                     0, row, 1, 1);
    gtk_grid_attach (self->stress_grid, cell (from, 0, NULL), 1, row, 1, 1);
    gtk_grid_attach (self->stress_grid, cell (to, 0, NULL), 2, row, 1, 1);
    gtk_grid_attach (self->stress_grid, cell (loss, 1, NULL), 3, row, 1, 1);
  }
}

static void
show_figures (SextantRiskWindow  *self,
              SextantRiskFigures *f,
              const char         *prices_note)
{
  guint n_measures;
  const SextantRiskMeasure *measures = sextant_risk_measures (&n_measures);

  g_clear_pointer (&self->figures, sextant_risk_figures_unref);
  self->figures = sextant_risk_figures_ref (f);
  g_free (self->prices_note);
  self->prices_note = g_strdup (prices_note);
  _sextant_risk_window_update_report_action (self);
  for (guint i = 0; i < n_measures; i++)
    {
      g_autofree char *text = sextant_risk_figures_format_measure (f, i);

      gtk_label_set_text (g_hash_table_lookup (self->kpi_labels, measures[i].key), text);
    }
  sextant_chart_view_set_chart (self->histogram_view, SEXTANT_CHART_KIND_HISTOGRAM,
                                &f->histogram_chart, sextant_risk_figures_ref (f),
                                (GDestroyNotify) sextant_risk_figures_unref);
  sextant_chart_view_set_chart (self->drawdown_view, SEXTANT_CHART_KIND_DRAWDOWN,
                                &f->drawdown_chart, sextant_risk_figures_ref (f),
                                (GDestroyNotify) sextant_risk_figures_unref);
  sextant_chart_view_set_chart (self->heatmap_view, SEXTANT_CHART_KIND_HEATMAP,
                                &f->heatmap_chart, sextant_risk_figures_ref (f),
                                (GDestroyNotify) sextant_risk_figures_unref);
  show_components (self, f);
  show_exposure (self, f);
  show_stress (self, f);
  _sextant_risk_window_show_shocks (self);
  _sextant_risk_window_show_status (self);
}

void
_sextant_risk_window_show_status (SextantRiskWindow *self)
{
  SextantRiskFigures *f = self->figures;
  g_autofree char *from = NULL, *to = NULL, *status = NULL, *unpriced = NULL;

  if (f == NULL)
    return;
  from = sextant_day_format_iso (f->returns->days[0]);
  to = sextant_day_format_iso (f->returns->days[f->n - 1]);
  /* Translators: portfolio name, number of daily returns, first and last dates, where the prices
   * came from (a sentence) */
  status = g_strdup_printf (_("%s: %zu daily returns from %s to %s. %s"), f->name, f->n, from, to,
                            self->prices_note);
  if (f->unpriced != NULL && f->unpriced[0] != NULL)
    {
      g_autofree char *symbols = g_strjoinv (", ", f->unpriced);
      char *with = NULL;

      /* Translators: the status, then the symbols of holdings left out of the figures */
      with = g_strdup_printf (_("%s Left out, needs prices: %s."), status, symbols);
      g_free (status);
      status = with;
    }
  gtk_label_set_text (self->status_label, status);
}

typedef struct
{
  SextantPriceTable    *stocks;
  SextantMarketCache   *cache;
  SextantPortfolio     *portfolio;
  SextantRiskPortfolio  which;
  gboolean              fetched;
  char                 *prices_note;
} ComputeData;

static void
compute_data_free (ComputeData *data)
{
  g_clear_pointer (&data->stocks, sextant_price_table_unref);
  g_clear_object (&data->cache);
  g_clear_object (&data->portfolio);
  g_free (data->prices_note);
  g_free (data);
}

/* The bundled prices, or newer ones from the cache once every instrument has them (a refresh
 * fetched them): mixing the two would join 2001 to today in one "daily" return. */
static SextantPriceTable *
choose_prices (ComputeData *data)
{
  g_autoptr(GError) error = NULL;
  SextantPriceTable *fetched = NULL;
  gsize n_missing = 0;

  if (data->cache != NULL)
    fetched = sextant_price_refresh_collect_closes (data->cache, data->stocks, MIN_FETCHED_DAYS, &n_missing,
                                                    &error);
  data->fetched = fetched != NULL;
  if (fetched != NULL)
    data->prices_note = g_strdup (_("Prices fetched from the market-data providers."));
  else if (error == NULL || n_missing == sextant_price_table_get_n_columns (data->stocks))
    data->prices_note = g_strdup (_("Bundled demo prices."));
  else
    /* Translators: why the newer prices cannot be used yet */
    data->prices_note = g_strdup_printf (_("Bundled demo prices, until every instrument has newer ones: %s."),
                                         error->message);

  return fetched != NULL ? fetched : sextant_price_table_ref (data->stocks);
}

/* A stored portfolio with holdings in another currency than its base, or outside the demo
 * stocks, is computed on its own stored closes in its base currency: the book that
 * `sextant-cli risk --portfolio` reads. The rates are those the store has (the Portfolio window
 * and `sextant-cli fx` fetch them); a date without one is named in the status. */
static gboolean
has_bars (ComputeData *data,
          const char  *symbol)
{
  SextantBarCoverage coverage = { 0 };

  return sextant_market_cache_get_coverage (data->cache, symbol, &coverage, NULL) && coverage.n_bars > 0;
}

static gboolean
wants_book (ComputeData *data)
{
  g_auto(GStrv) rate_currencies = NULL;

  if (data->cache == NULL || data->which == SEXTANT_RISK_PORTFOLIO_EQUAL_WEIGHT)
    return FALSE;
  rate_currencies = sextant_book_dup_rate_currencies (data->cache, data->portfolio);
  if (rate_currencies[0] != NULL)
    return TRUE;
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (data->portfolio); i++)
    {
      const char *symbol = sextant_portfolio_get_holding (data->portfolio, i)->symbol;

      if (sextant_price_table_find_column (data->stocks, symbol) < 0 && has_bars (data, symbol))
        return TRUE;
    }

  return FALSE;
}

/* The holdings that have stored closes; the others are listed as needing prices. */
static SextantPortfolio *
dup_priced (ComputeData  *data,
            GStrv        *unpriced)
{
  SextantPortfolio *priced = sextant_portfolio_new (sextant_portfolio_get_name (data->portfolio));
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();

  sextant_portfolio_set_base_currency (priced, sextant_portfolio_get_base_currency (data->portfolio));
  sextant_portfolio_set_benchmark (priced, sextant_portfolio_get_benchmark (data->portfolio));
  for (guint i = 0; i < sextant_portfolio_get_n_holdings (data->portfolio); i++)
    {
      const SextantHolding *h = sextant_portfolio_get_holding (data->portfolio, i);
      guint n = sextant_portfolio_get_n_holdings (priced);

      if (!has_bars (data, h->symbol))
        {
          g_strv_builder_add (missing, h->symbol);
          continue;
        }
      sextant_portfolio_add_holding (priced, h->symbol, h->quantity, h->weight, h->currency);
      sextant_portfolio_set_bounds (priced, n, h->min_weight, h->max_weight);
    }
  *unpriced = g_strv_builder_end (missing);

  return priced;
}

/* The book's closes beside the demo stocks' in the same currency, so that beta is against the
 * equal-weight Dow 30 as the tile says; %NULL when the demo closes miss some of the book's
 * dates (instruments of this century). */
static SextantPriceTable *
join_demo (ComputeData        *data,
           SextantBook        *book,
           GError            **error)
{
  g_autoptr(SextantPriceTable) demo = NULL;
  g_autoptr(SextantPriceTable) joined = NULL;
  g_autoptr(SextantPriceTable) book_rows = NULL;
  g_autoptr(SextantPriceTable) joined_rows = NULL;
  g_autoptr(GPtrArray) currencies = g_ptr_array_new ();
  SextantPriceTable *tables[2];
  gsize n_columns = sextant_price_table_get_n_columns (data->stocks);

  for (gsize j = 0; j < n_columns; j++)
    g_ptr_array_add (currencies, (gpointer) "USD");
  g_ptr_array_add (currencies, NULL);
  demo = sextant_book_convert_table (data->cache, data->stocks, (const char * const *) currencies->pdata,
                                     sextant_portfolio_get_base_currency (data->portfolio), error);
  if (demo == NULL)
    return NULL;
  tables[0] = book->closes;
  tables[1] = demo;
  if ((joined = sextant_align_tables_outer (tables, 2, error)) == NULL)
    return NULL;
  book_rows = sextant_price_table_drop_incomplete (book->closes, NULL);
  joined_rows = sextant_price_table_drop_incomplete (joined, NULL);
  if (sextant_price_table_get_n_rows (joined_rows) != sextant_price_table_get_n_rows (book_rows))
    return NULL;

  return g_steal_pointer (&joined);
}

static SextantRiskFigures *
compute_on_book (ComputeData   *data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_auto(SextantBook) book = { 0 };
  g_autoptr(SextantPortfolio) priced = NULL;
  g_auto(GStrv) unpriced = NULL;
  SextantRiskFigures *figures;
  const char *base = sextant_portfolio_get_base_currency (data->portfolio);

  g_autoptr(SextantPriceTable) with_demo = NULL;
  g_autoptr(GError) join_error = NULL;

  priced = dup_priced (data, &unpriced);
  if (!sextant_book_load (&book, data->cache, priced, 0, 0, NULL, error))
    return NULL;
  with_demo = join_demo (data, &book, &join_error);
  if (join_error != NULL)
    g_debug ("The demo stocks cannot join the book: %s", join_error->message);
  figures = sextant_risk_figures_compute (with_demo != NULL ? with_demo : book.closes, priced, data->which,
                                          cancellable, error);
  if (figures == NULL)
    return NULL;
  figures->fx_exposure = sextant_book_get_fx_exposure (&book);
  g_strfreev (figures->unpriced);
  figures->unpriced = g_steal_pointer (&unpriced);
  g_free (data->prices_note);
  if (with_demo != NULL)
    /* Translators: a currency code */
    data->prices_note = g_strdup_printf (_("Stored closes of its instruments, in %s (ECB reference rates)."), base);
  else
    /* Translators: a currency code */
    data->prices_note = g_strdup_printf (_("Stored closes of its instruments, in %s (ECB reference rates); "
                                           "beta against their own equal-weight average, the demo stocks "
                                           "having no closes on these dates."), base);

  return figures;
}

static void
exposure_clear (SextantFxExposure *row)
{
  g_free (row->currency);
}

/* Everything in the base currency: one line of exposure. */
static GArray *
single_exposure (SextantRiskFigures *figures)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (SextantFxExposure));
  SextantFxExposure row = { g_strdup (figures->currency), figures->value, 1.0, figures->k };

  g_array_set_clear_func (rows, (GDestroyNotify) exposure_clear);
  g_array_append_val (rows, row);

  return rows;
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *data = task_data;
  g_autoptr(SextantPriceTable) prices = NULL;
  GError *error = NULL;
  SextantRiskFigures *figures;

  if (wants_book (data))
    figures = compute_on_book (data, cancellable, &error);
  else
    {
      prices = choose_prices (data);
      figures = sextant_risk_figures_compute (prices, data->portfolio, data->which, cancellable, &error);
      if (figures != NULL && figures->currency != NULL)
        figures->fx_exposure = single_exposure (figures);
    }
  if (figures == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, figures, (GDestroyNotify) sextant_risk_figures_unref);
}

static void
compute_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SextantRiskWindow *self = SEXTANT_RISK_WINDOW (object);
  g_autoptr(SextantRiskFigures) figures = NULL;
  g_autoptr(GError) error = NULL;

  figures = g_task_propagate_pointer (G_TASK (result), &error);
  /* A stale task: the window was disposed or a newer computation replaced this one. */
  if (self->cancellable == NULL || g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);

  if (figures != NULL)
    show_figures (self, figures, ((ComputeData *) g_task_get_task_data (G_TASK (result)))->prices_note);
  else
    {
      /* Translators: the reason */
      g_autofree char *text = g_strdup_printf (_("The risk figures could not be computed: %s"),
                                               error->message);

      gtk_label_set_text (self->status_label, text);
    }
}

void
_sextant_risk_window_compute (SextantRiskWindow *self)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ComputeData *data;

  if (!sextant_workspace_get_demo_loaded (workspace))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->portfolio_name == NULL)
    _sextant_risk_window_update_choices (self);
  data = g_new0 (ComputeData, 1);
  data->stocks = sextant_price_table_ref (sextant_workspace_get_stocks (workspace));
  /* The built-in equal-weight choice, unless a stored portfolio took its name; else the stored
   * portfolio of that name, or the demo one. */
  if (g_strcmp0 (self->portfolio_name, sextant_risk_equal_weight_name ()) == 0 &&
      (data->portfolio = sextant_portfolio_choices_load (workspace, self->portfolio_name, NULL)) == NULL)
    {
      data->which = SEXTANT_RISK_PORTFOLIO_EQUAL_WEIGHT;
      data->portfolio = g_object_ref (sextant_workspace_get_portfolio (workspace));
    }
  else if (data->portfolio == NULL &&
           (data->portfolio = sextant_portfolio_choices_load (workspace, self->portfolio_name != NULL
                                                                           ? self->portfolio_name : "",
                                                              &error)) == NULL)
    {
      /* Translators: the reason */
      g_autofree char *text = g_strdup_printf (_("The risk figures could not be computed: %s"),
                                               error->message);

      compute_data_free (data);
      g_clear_object (&self->cancellable);
      gtk_label_set_text (self->status_label, text);
      return;
    }
  /* Read in the thread over the shared connection, as the chat's tools read it: reads only. */
  if (sextant_workspace_get_store (workspace) != NULL)
    data->cache = sextant_market_cache_new (sextant_workspace_get_store (workspace));

  gtk_spinner_start (self->spinner);
  gtk_label_set_text (self->status_label, _("Computing…"));
  task = g_task_new (self, self->cancellable, compute_done_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) compute_data_free);
  g_task_run_in_thread (task, compute_thread);
}
