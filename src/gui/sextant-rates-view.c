#define G_LOG_DOMAIN "sextant-rates-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-chart-view.h"
#include "sextant-portfolio-choices.h"
#include "sextant-rates-view-private.h"

G_DEFINE_FINAL_TYPE (SextantRatesView, sextant_rates_view, GTK_TYPE_WIDGET)

enum { SIGNAL_FETCHED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Days back for "1 week", "1 month" and "1 year earlier". */
static const int compare_days[] = { 0, 7, 30, 365 };

/* The ECB curve is fetched for the two weeks up to today, as `sextant-cli curve` fetches it. */
#define ECB_CURVE_WINDOW_DAYS 14
/* Exchange rates for the heatmap's longest horizon and a few days' slack. */
#define FX_FETCH_DAYS 380
/* Five years of the high-yield spread. */
#define SPREAD_FETCH_DAYS (5 * 365)

static gint32
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return sextant_day_from_ymd (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now));
}

/* Computing -------------------------------------------------------------------------------- */

typedef struct
{
  SextantMarketCache *cache;
  SextantPortfolio   *portfolio;
  SextantRatesSource  source;
  int                 compare_days;
  SextantFredSeries  *spreads;
} ComputeData;

static void
compute_data_free (ComputeData *data)
{
  g_clear_object (&data->cache);
  g_clear_object (&data->portfolio);
  g_clear_pointer (&data->spreads, sextant_fred_series_free);
  g_free (data);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *data = task_data;
  GError *error = NULL;
  SextantRatesFigures *figures;

  figures = sextant_rates_figures_compute (data->cache, data->portfolio, data->source,
                                           data->compare_days, data->spreads, cancellable, &error);
  if (figures == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, figures, (GDestroyNotify) sextant_rates_figures_unref);
}

static void
set_caption (GtkLabel   *label,
             const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static char *
curve_caption (SextantRatesFigures *f)
{
  GString *s = g_string_new (NULL);

  if (f->curve.day > 0)
    {
      g_autofree char *date = sextant_day_format_iso (f->curve.day);

      if (f->source == SEXTANT_RATES_SOURCE_TREASURY)
        /* Translators: a date */
        g_string_append_printf (s, _("US Treasury daily par yields of %s, bootstrapped with log-linear "
                                     "discount factors; zero rates continuously compounded (act/365f), "
                                     "forwards between tenors."), date);
      else
        /* Translators: a date */
        g_string_append_printf (s, _("ECB euro area AAA government curve of %s: spot rates as published "
                                     "(continuously compounded), par yields where published, forwards "
                                     "between tenors. Source: ECB statistics."), date);
      if (f->has_fit)
        g_string_append_printf (s, _(" Svensson fit of the zero rates: β0 %.4f, β1 %.4f, β2 %.4f, "
                                     "β3 %.4f, τ1 %.3f, τ2 %.3f; RMSE %.4f percentage points."),
                                f->fit.beta[0], f->fit.beta[1], f->fit.beta[2], f->fit.beta[3],
                                f->fit.tau[0], f->fit.tau[1], f->fit.rmse);
    }
  if (f->curve_note != NULL)
    g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", f->curve_note);
  return g_string_free (s, FALSE);
}

static void
show_figures (SextantRatesView    *self,
              SextantRatesFigures *f)
{
  g_autofree char *caption = curve_caption (f);

  g_clear_pointer (&self->figures, sextant_rates_figures_unref);
  self->figures = sextant_rates_figures_ref (f);
  if (f->curve_chart.n_series > 0)
    sextant_chart_view_set_chart (self->curve_view, SEXTANT_CHART_KIND_CURVE, &f->curve_chart,
                                  sextant_rates_figures_ref (f),
                                  (GDestroyNotify) sextant_rates_figures_unref);
  else
    sextant_chart_view_clear (self->curve_view);
  set_caption (self->curve_caption, caption);

  if (f->fx_chart.n > 0)
    {
      g_autofree char *date = sextant_day_format_iso (f->fx_day);
      /* Translators: a date, then a currency code */
      g_autofree char *text = g_strdup_printf (_("Change of each currency's value in %2$s to %1$s, from the "
                                                 "last rate on or before the day each horizon reaches back to; "
                                                 "an empty cell has no rate then. Source: ECB statistics."),
                                               date, f->base_currency);

      sextant_chart_view_set_chart (self->fx_view, SEXTANT_CHART_KIND_HEATMAP, &f->fx_chart,
                                    sextant_rates_figures_ref (f),
                                    (GDestroyNotify) sextant_rates_figures_unref);
      gtk_widget_set_visible (GTK_WIDGET (self->fx_view), TRUE);
      set_caption (self->fx_caption, text);
    }
  else
    {
      sextant_chart_view_clear (self->fx_view);
      gtk_widget_set_visible (GTK_WIDGET (self->fx_view), FALSE);
      set_caption (self->fx_caption, f->fx_note);
    }

  if (f->spreads != NULL)
    {
      g_autofree char *spread_text = NULL;

      sextant_chart_view_set_chart (self->spread_view, SEXTANT_CHART_KIND_TIMESERIES, &f->spread_chart,
                                    sextant_rates_figures_ref (f),
                                    (GDestroyNotify) sextant_rates_figures_unref);
      gtk_widget_set_visible (GTK_WIDGET (self->spread_view), TRUE);
      spread_text = g_strdup (_("Source: FRED, Federal Reserve Bank of St. Louis; ICE BofA data licensed to FRED, "
                                "shown only: the chart exports as a picture, never as data."));
      /* Spreads from the cache say so, and as of when. */
      if (f->spreads->cached_note != NULL)
        {
          g_autofree char *source = g_steal_pointer (&spread_text);

          /* Translators: the caption, then “as of DATE, cached (fetched …)” */
          spread_text = g_strdup_printf (_("%s Spreads %s."), source, f->spreads->cached_note);
        }
      set_caption (self->spread_caption, spread_text);
    }
  else
    {
      sextant_chart_view_clear (self->spread_view);
      gtk_widget_set_visible (GTK_WIDGET (self->spread_view), FALSE);
      set_caption (self->spread_caption, f->spread_note);
    }
  _sextant_rates_view_update_currencies (self);
}

static void
compute_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SextantRatesView *self = SEXTANT_RATES_VIEW (object);
  g_autoptr(SextantRatesFigures) figures = NULL;
  g_autoptr(GError) error = NULL;

  figures = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->cancellable == NULL || g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  g_clear_object (&self->cancellable);
  _sextant_rates_view_update_busy (self);
  if (figures != NULL)
    show_figures (self, figures);
  else
    {
      /* Translators: the reason */
      g_autofree char *text = g_strdup_printf (_("The rates figures could not be computed: %s"),
                                               error->message);

      gtk_label_set_text (self->status_label, text);
    }
}

static SextantPortfolio *
load_portfolio (SextantRatesView *self)
{
  if (self->workspace == NULL)
    return NULL;
  if (self->portfolio_name != NULL)
    {
      SextantPortfolio *portfolio = sextant_portfolio_choices_load (self->workspace,
                                                                    self->portfolio_name, NULL);

      if (portfolio != NULL)
        return portfolio;
    }
  return g_object_ref (sextant_workspace_get_portfolio (self->workspace));
}

void
_sextant_rates_view_compute (SextantRatesView *self)
{
  g_autoptr(GTask) task = NULL;
  SextantStore *store;
  ComputeData *data;

  if (self->workspace == NULL || (store = sextant_workspace_get_store (self->workspace)) == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  data = g_new0 (ComputeData, 1);
  /* Read in the thread over the shared connection, as the risk figures are: reads only. */
  data->cache = sextant_market_cache_new (store);
  data->portfolio = load_portfolio (self);
  data->source = gtk_drop_down_get_selected (self->source_dropdown) == 1
                 ? SEXTANT_RATES_SOURCE_ECB : SEXTANT_RATES_SOURCE_TREASURY;
  data->compare_days = compare_days[MIN (gtk_drop_down_get_selected (self->compare_dropdown),
                                         G_N_ELEMENTS (compare_days) - 1)];
  if (self->spreads != NULL)
    data->spreads = sextant_fred_series_copy (self->spreads);
  _sextant_rates_view_update_busy (self);
  task = g_task_new (self, self->cancellable, compute_done_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) compute_data_free);
  g_task_run_in_thread (task, compute_thread);
}

void
_sextant_rates_view_update_busy (SextantRatesView *self)
{
  gboolean busy = sextant_rates_view_get_busy (self);

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rates.refresh", self->pending_fetches == 0);
  if (self->pending_fetches > 0)
    gtk_label_set_text (self->status_label, _("Fetching curves, exchange rates and spreads…"));
  else if (self->cancellable != NULL)
    gtk_label_set_text (self->status_label, _("Computing…"));
  else if (self->fetch_notes != NULL && self->fetch_notes->len > 0)
    gtk_label_set_text (self->status_label, self->fetch_notes->str);
  else
    gtk_label_set_text (self->status_label, "");
}

/* Fetching: every source at once, asynchronously on the main context (libsoup), each answer
 * written to the cache; once all are in, the figures are computed again. ---------------- */

static void
fetch_note (SextantRatesView *self,
            const char       *what,
            const GError     *error)
{
  g_autofree char *message = sextant_log_writer_redact (error->message);

  if (self->fetch_notes == NULL)
    self->fetch_notes = g_string_new (NULL);
  /* Translators: what could not be fetched, then why */
  g_string_append_printf (self->fetch_notes, _("%s%s could not be fetched: %s."),
                          self->fetch_notes->len > 0 ? " " : "", what, message);
}

/* A curve that could not be fetched while the store holds one: the figures show that one, and
 * the note says so and as of when, rather than only that the fetch failed. */
static void
fetch_note_curve (SextantRatesView *self,
                  const char       *what,
                  const char       *source,
                  const GError     *error)
{
  g_autoptr(SextantParCurve) curve = NULL;
  g_autofree char *message = NULL;
  g_autofree char *note = NULL;

  if (!sextant_market_cache_get_par_curve (self->fetch_cache, source, 0, &curve, NULL) || curve == NULL)
    {
      fetch_note (self, what, error);
      return;
    }
  message = sextant_log_writer_redact (error->message);
  note = sextant_market_cache_describe_cached (curve->day, curve->fetched_at, message);
  if (self->fetch_notes == NULL)
    self->fetch_notes = g_string_new (NULL);
  /* Translators: what is shown, then “as of DATE, cached (fetched …): why” */
  g_string_append_printf (self->fetch_notes, _("%s%s is %s."), self->fetch_notes->len > 0 ? " " : "", what, note);
}

static void
fetch_done (SextantRatesView *self)
{
  g_assert (self->pending_fetches > 0);
  if (--self->pending_fetches == 0)
    {
      _sextant_rates_view_compute (self);
      /* The risk figures of a book in other currencies wait for these rates too. */
      g_signal_emit (self, signals[SIGNAL_FETCHED], 0);
    }
  else
    _sextant_rates_view_update_busy (self);
}

static void fetch_treasury_year (SextantRatesView *self,
                                 int               year);

static gboolean
compare_in_year_before (SextantRatesView *self,
                        int               year)
{
  int days = compare_days[MIN (gtk_drop_down_get_selected (self->compare_dropdown),
                               G_N_ELEMENTS (compare_days) - 1)];
  int y, m, d;

  if (days == 0)
    return FALSE;
  sextant_day_to_ymd (today () - days, &y, &m, &d);
  return y < year;
}

static void
treasury_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SextantRatesView) self = user_data;
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(GPtrArray) curves = NULL;
  g_autoptr(GError) error = NULL;
  int year = GPOINTER_TO_INT (g_object_get_data (object, "year"));

  curves = sextant_treasury_rates_fetch_year_finish (SEXTANT_TREASURY_RATES (object), result,
                                                     &response, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->workspace == NULL)
    return;
  if (curves != NULL &&
      !sextant_market_cache_put_par_curves (self->fetch_cache, curves, response, &error))
    curves = NULL;
  /* A year without a curve yet (January's first days) is answered 404: the year before's file
   * has the newest curve. */
  if ((curves == NULL || curves->len == 0) && year == self->first_year &&
      (error == NULL || g_error_matches (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_NO_DATA)))
    {
      fetch_treasury_year (self, year - 1);
      return;
    }
  if (error != NULL)
    fetch_note_curve (self, _("The US Treasury curve"), "treasury", error);
  /* The date compared with may be in the year before's file. */
  else if (year == self->first_year && compare_in_year_before (self, year))
    {
      self->first_year = 0;
      fetch_treasury_year (self, year - 1);
      return;
    }
  fetch_done (self);
}

static void
fetch_treasury_year (SextantRatesView *self,
                     int               year)
{
  g_autoptr(SextantTreasuryRates) treasury = NULL;
  g_autoptr(GError) error = NULL;

  if ((treasury = sextant_treasury_rates_new_from_environment (&error)) == NULL)
    {
      fetch_note (self, _("The US Treasury curve"), error);
      fetch_done (self);
      return;
    }
  g_object_set_data (G_OBJECT (treasury), "year", GINT_TO_POINTER (year));
  sextant_treasury_rates_fetch_year_async (treasury, year, self->fetch_cancellable, treasury_cb,
                                           g_object_ref (self));
}

static void
ecb_curve_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SextantRatesView) self = user_data;
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(GPtrArray) curves = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  days = sextant_ecb_curve_fetch_finish (result, &response, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->workspace == NULL)
    return;
  for (guint i = 0; days != NULL && i < days->len; i++)
    {
      SextantEcbCurveDay *one = days->pdata[i];

      g_ptr_array_add (curves, one->par);
      g_ptr_array_add (curves, one->spot);
    }
  if (days != NULL)
    sextant_market_cache_put_par_curves (self->fetch_cache, curves, response, &error);
  if (error != NULL)
    fetch_note_curve (self, _("The ECB euro area curve"), "ecb-aaa-spot", error);
  fetch_done (self);
}

static void
fetch_ecb_curve (SextantRatesView *self)
{
  const char *url = g_getenv ("SEXTANT_ECB_BASE_URL");
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GError) error = NULL;
  gint32 day = today ();

  if (url != NULL && *url != '\0' &&
      !sextant_endpoint_check_transport (url, "SEXTANT_ECB_BASE_URL", SEXTANT_MARKET_ERROR,
                                         SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT, &error))
    {
      fetch_note (self, _("The ECB euro area curve"), error);
      fetch_done (self);
      return;
    }
  session = soup_session_new_with_options ("timeout", 30, "user-agent", "Sextant/" PACKAGE_VERSION, NULL);
  sextant_ecb_curve_fetch_async (session, url != NULL && *url != '\0' ? url : SEXTANT_ECB_DEFAULT_BASE_URL,
                                 day - ECB_CURVE_WINDOW_DAYS, day, self->fetch_cancellable,
                                 ecb_curve_cb, g_object_ref (self));
}

static void
fx_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(SextantRatesView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sextant_ecb_rates_update_cache_finish (SEXTANT_ECB_RATES (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->workspace == NULL)
        return;
      fetch_note (self, _("The ECB exchange rates"), error);
    }
  fetch_done (self);
}

/* The day the book is valued on when its data are older than today (a book of past closes, a
 * curve of an earlier day): the newest cached Treasury curve's, else the earliest of its stocks'
 * newest closes. The rates for the year before it are fetched too, so the heatmap and the shock
 * have them. */
/* The day the shock panel values the book on, from the curves its bonds need (each currency's
 * own) and its stocks' closes, as the shock itself picks it; without a portfolio, today. */
static gint32
valuation_day (SextantMarketCache *cache,
               SextantPortfolio   *portfolio)
{
  g_auto(SextantBookShock) shock = { 0 };

  if (portfolio == NULL)
    return today ();
  /* a curve the cache lacks is the shock's error to tell, not this fetch's */
  sextant_book_shock_add_cached_curves (&shock, cache, portfolio, 0, NULL);
  return sextant_book_shock_pick_day (&shock, cache, portfolio, 0);
}

static void
fetch_fx (SextantRatesView *self)
{
  g_autoptr(SextantEcbRates) ecb = NULL;
  g_autoptr(SextantPortfolio) portfolio = load_portfolio (self);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) currencies = sextant_rates_figures_dup_currencies (self->fetch_cache, portfolio);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) wanted = NULL;
  const char *base = portfolio != NULL ? sextant_portfolio_get_base_currency (portfolio) : "USD";
  gint32 day = today (), from;

  /* The base currency's own rates against the euro are needed for every cross. */
  for (guint i = 0; currencies[i] != NULL; i++)
    if (g_ascii_strcasecmp (currencies[i], "EUR") != 0)
      g_strv_builder_add (builder, currencies[i]);
  if (g_ascii_strcasecmp (base, "EUR") != 0)
    g_strv_builder_add (builder, base);
  wanted = g_strv_builder_end (builder);
  from = MIN (day, valuation_day (self->fetch_cache, portfolio)) - FX_FETCH_DAYS;
  if ((ecb = sextant_ecb_rates_new_from_environment (&error)) == NULL)
    {
      fetch_note (self, _("The ECB exchange rates"), error);
      fetch_done (self);
      return;
    }
  sextant_ecb_rates_update_cache_async (ecb, self->fetch_cache, (const char * const *) wanted,
                                        MAX (from, SEXTANT_ECB_FIRST_DAY), day, self->fetch_cancellable, fx_cb,
                                        g_object_ref (self));
}

static void
spreads_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SextantRatesView) self = user_data;
  g_autoptr(GError) error = NULL;
  SextantFredSeries *series;

  series = sextant_fred_client_fetch_finish (SEXTANT_FRED_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->workspace == NULL)
    return;
  if (series != NULL)
    {
      g_clear_pointer (&self->spreads, sextant_fred_series_free);
      self->spreads = series;
      /* FRED did not answer and the cache did: said, never shown as today's. */
      if (series->cached_note != NULL)
        {
          if (self->fetch_notes == NULL)
            self->fetch_notes = g_string_new (NULL);
          /* Translators: “as of DATE, cached (fetched …): why” */
          g_string_append_printf (self->fetch_notes, _("%sThe credit spreads are %s."),
                                  self->fetch_notes->len > 0 ? " " : "", series->cached_note);
        }
    }
  else
    fetch_note (self, _("The credit spreads"), error);
  fetch_done (self);
}

static void
fred_key_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SextantRatesView) self = user_data;
  g_autoptr(SextantFredClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const char *value;
  gint32 day = today ();

  if (object != NULL)
    key = sextant_secret_store_lookup_finish (SEXTANT_SECRET_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->workspace == NULL)
    return;
  if (error != NULL)
    g_debug ("No keyring for the FRED key: %s", error->message);
  g_clear_error (&error);
  if (key == NULL && (value = g_getenv ("SEXTANT_FRED_KEY")) != NULL && *value != '\0')
    key = g_strdup (value);
  if ((client = sextant_fred_client_new_from_environment (&error)) == NULL)
    {
      fetch_note (self, _("The credit spreads"), error);
      fetch_done (self);
      return;
    }
  if (key != NULL)
    sextant_log_writer_register_secret (key);
  sextant_fred_client_set_api_key (client, key);
  sextant_fred_client_set_cache (client, self->fetch_cache);
  sextant_fred_client_fetch_async (client, SEXTANT_RATES_SPREAD_SERIES, day - SPREAD_FETCH_DAYS, day,
                                   self->fetch_cancellable, spreads_cb, g_object_ref (self));
}

/**
 * sextant_rates_view_refresh:
 * @self: a rates view
 *
 * Fetches the US Treasury's and the ECB's curves, the ECB's exchange rates and FRED's
 * high-yield spread without blocking, keeps the curves and rates in the cache, and computes the
 * figures again; what cannot be fetched is said, and the cache answers for it.
 */
void
sextant_rates_view_refresh (SextantRatesView *self)
{
  SextantSecretStore *secrets;
  int year, month, mday;

  g_return_if_fail (SEXTANT_IS_RATES_VIEW (self));

  if (self->workspace == NULL || sextant_workspace_get_store (self->workspace) == NULL ||
      self->pending_fetches > 0)
    return;
  g_clear_object (&self->fetch_cache);
  self->fetch_cache = sextant_market_cache_new (sextant_workspace_get_store (self->workspace));
  g_clear_object (&self->fetch_cancellable);
  self->fetch_cancellable = g_cancellable_new ();
  if (self->fetch_notes != NULL)
    g_string_truncate (self->fetch_notes, 0);
  sextant_day_to_ymd (today (), &year, &month, &mday);
  self->first_year = year;
  self->pending_fetches = 4;
  _sextant_rates_view_update_busy (self);
  fetch_treasury_year (self, year);
  fetch_ecb_curve (self);
  fetch_fx (self);
  secrets = sextant_workspace_get_secret_store (self->workspace);
  if (secrets != NULL)
    sextant_secret_store_lookup_async (secrets, SEXTANT_SECRET_FRED_KEY, self->fetch_cancellable,
                                       fred_key_cb, g_object_ref (self));
  else
    fred_key_cb (NULL, NULL, g_object_ref (self));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sextant_rates_view_refresh (SEXTANT_RATES_VIEW (widget));
}

/* The widget -------------------------------------------------------------------------------- */

static void
choice_changed_cb (SextantRatesView *self)
{
  _sextant_rates_view_compute (self);
}

static void
sextant_rates_view_dispose (GObject *object)
{
  SextantRatesView *self = (SextantRatesView *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->fetch_cancellable);
  g_clear_object (&self->fetch_cancellable);
  _sextant_rates_view_dispose_shock (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_RATES_VIEW);
  g_clear_object (&self->workspace);
  g_clear_object (&self->fetch_cache);
  g_clear_pointer (&self->figures, sextant_rates_figures_unref);
  g_clear_pointer (&self->spreads, sextant_fred_series_free);
  g_clear_pointer (&self->portfolio_name, g_free);
  if (self->fetch_notes != NULL)
    g_string_free (g_steal_pointer (&self->fetch_notes), TRUE);

  G_OBJECT_CLASS (sextant_rates_view_parent_class)->dispose (object);
}

static void
sextant_rates_view_class_init (SextantRatesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sextant_rates_view_dispose;

  /**
   * SextantRatesView::fetched:
   *
   * Curves, exchange rates and spreads were fetched and stored (whatever could be).
   */
  signals[SIGNAL_FETCHED] = g_signal_new ("fetched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (SEXTANT_TYPE_CHART_VIEW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "sextant-rates-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, scroller);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, compare_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, spinner);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, status_label);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, curve_view);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, curve_caption);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, fx_view);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, fx_caption);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, spread_view);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, spread_caption);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, rates_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, spreads_spin);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, fx_shocks_row);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, shock_status_label);
  gtk_widget_class_bind_template_child (widget_class, SextantRatesView, shock_grid);
  gtk_widget_class_install_action (widget_class, "rates.refresh", NULL, refresh_action);
  _sextant_rates_view_class_init_shock (widget_class);
}

static void
sextant_rates_view_init (SextantRatesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* FRED licenses ICE BofA's series for display: the picture may leave, the numbers may not. */
  sextant_chart_view_set_data_export (self->spread_view, FALSE);
  g_signal_connect_object (self->source_dropdown, "notify::selected",
                           G_CALLBACK (choice_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare_dropdown, "notify::selected",
                           G_CALLBACK (choice_changed_cb), self, G_CONNECT_SWAPPED);
  _sextant_rates_view_init_shock (self);
}

/* Public API -------------------------------------------------------------------------------- */

/**
 * sextant_rates_view_set_workspace:
 * @self: a rates view
 * @workspace: the workspace whose cache and portfolios it reads
 *
 * Computes the figures from the cache (once the demo data is loaded: the window calls this from
 * its data_changed).
 */
void
sextant_rates_view_set_workspace (SextantRatesView *self,
                                  SextantWorkspace *workspace)
{
  g_return_if_fail (SEXTANT_IS_RATES_VIEW (self));
  g_return_if_fail (SEXTANT_IS_WORKSPACE (workspace));

  g_set_object (&self->workspace, workspace);
  _sextant_rates_view_compute (self);
}

/**
 * sextant_rates_view_set_portfolio:
 * @self: a rates view
 * @name: (nullable): the stored portfolio chosen in the window, %NULL for the demo one
 *
 * Computes the figures again: the name may be the same and the holdings not.
 */
void
sextant_rates_view_set_portfolio (SextantRatesView *self,
                                  const char       *name)
{
  g_return_if_fail (SEXTANT_IS_RATES_VIEW (self));

  g_free (self->portfolio_name);
  self->portfolio_name = g_strdup (name);
  _sextant_rates_view_clear_shock (self);
  _sextant_rates_view_compute (self);
}

/**
 * sextant_rates_view_get_busy:
 * @self: a rates view
 *
 * Returns: whether something is being fetched or computed
 */
gboolean
sextant_rates_view_get_busy (SextantRatesView *self)
{
  g_return_val_if_fail (SEXTANT_IS_RATES_VIEW (self), FALSE);

  return self->cancellable != NULL || self->pending_fetches > 0 || self->shock_cancellable != NULL;
}

/**
 * sextant_rates_view_get_figures:
 * @self: a rates view
 *
 * Returns: (transfer none) (nullable): the figures shown
 */
SextantRatesFigures *
sextant_rates_view_get_figures (SextantRatesView *self)
{
  g_return_val_if_fail (SEXTANT_IS_RATES_VIEW (self), NULL);

  return self->figures;
}

/**
 * sextant_rates_view_get_shock:
 * @self: a rates view
 *
 * Returns: (transfer none) (nullable): the shock last applied to the book shown
 */
SextantRatesShock *
sextant_rates_view_get_shock (SextantRatesView *self)
{
  g_return_val_if_fail (SEXTANT_IS_RATES_VIEW (self), NULL);

  return self->shock;
}

/**
 * sextant_rates_view_get_exposure:
 * @self: a rates view
 *
 * Returns: whether the book shown holds bonds or holdings in other currencies than its base,
 *   which the committee report then covers
 */
gboolean
sextant_rates_view_get_exposure (SextantRatesView *self)
{
  g_return_val_if_fail (SEXTANT_IS_RATES_VIEW (self), FALSE);

  return self->exposure;
}

/**
 * sextant_rates_view_get_portfolio:
 * @self: a rates view
 *
 * Returns: (nullable): the name of the portfolio shown, %NULL for the demo one
 */
const char *
sextant_rates_view_get_portfolio (SextantRatesView *self)
{
  g_return_val_if_fail (SEXTANT_IS_RATES_VIEW (self), NULL);

  return self->portfolio_name;
}
