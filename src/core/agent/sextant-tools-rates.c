#define G_LOG_DOMAIN "sextant-tools-rates"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>

#include "agent/sextant-agent-error.h"
#include "agent/sextant-tools-private.h"
#include "analytics/sextant-bond.h"
#include "analytics/sextant-curve-fit.h"
#include "analytics/sextant-yield-curve.h"
#include "market/sextant-book-shock.h"
#include "market/sextant-ecb-rates.h"
#include "market/sextant-fred-client.h"
#include "market/sextant-fx-series.h"

/* The desks' tools (issue 17): ECB reference rates, the Treasury and ECB curves with a fit,
 * fixed-rate bonds and scenario P&L. They read what the local cache holds (what `sextant-cli
 * fx` and `curve` and the risk dashboard fetched) and compute with the analytics core, with
 * the conventions of `sextant-cli bond` and `curve`, so a desk's figure equals the CLI's. */

#define DATE_PROPERTY(what) \
  "\"date\":{\"type\":\"string\",\"description\":\"" what ", YYYY-MM-DD (default: the newest)\"}"

/* How far back the newest rate is looked for: longer than any ECB closure. */
#define FX_WINDOW_DAYS 14

static gboolean
read_day (JsonObject  *input,
          const char  *member,
          gint32      *day,
          GError     **error)
{
  const char *text = json_object_get_string_member_with_default (input, member, NULL);

  *day = 0;
  if (text == NULL || sextant_day_parse_iso (text, day))
    return TRUE;
  g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
               _("%s must be a date in YYYY-MM-DD form, not “%s”"), member, text);
  return FALSE;
}

static gint32
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return sextant_day_from_ymd (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now));
}

static SextantMarketCache *
need_cache (SextantToolData  *data,
            GError          **error)
{
  SextantMarketCache *cache = sextant_tool_data_get_cache (data);

  if (cache == NULL)
    g_set_error_literal (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA,
                         _("No local market cache is open, so there are no rates or curves to read"));
  return cache;
}

/* get_fx_rates --------------------------------------------------------------------------- */

/* Units of the base currency per 1 @currency on or before @day (the newest when 0), through the
 * euro as the ECB publishes them; 1 for the base itself. */
static gboolean
lookup_rate (SextantMarketCache  *cache,
             const char          *currency,
             const char          *base,
             gint32               day,
             double              *rate,
             gint32              *rate_day,
             GError             **error)
{
  gint32 to = day > 0 ? day : today ();
  gint32 from = day > 0 ? day - FX_WINDOW_DAYS : SEXTANT_ECB_FIRST_DAY;
  g_autoptr(SextantFxSeries) per_eur = NULL;
  g_autoptr(SextantFxSeries) base_per_eur = NULL;
  g_autoptr(SextantFxSeries) cross = NULL;
  const char *legs[] = { currency, base };
  SextantFxSeries **series[] = { &per_eur, &base_per_eur };

  *rate_day = 0;
  if (g_ascii_strcasecmp (currency, base) == 0)
    {
      *rate = 1;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (legs); i++)
    {
      if (g_ascii_strcasecmp (legs[i], "EUR") == 0)
        continue;
      if ((*series[i] = sextant_market_cache_get_fx_rates (cache, legs[i], from, to, error)) == NULL)
        return FALSE;
      if (isnan (sextant_fx_series_get_latest (*series[i], NULL)))
        {
          g_autofree char *last = sextant_day_format_iso (to);

          g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA,
                       _("The local cache has no ECB reference rate for %s up to %s; fetch it with "
                         "“sextant-cli fx --base EUR %s” or the risk dashboard"), legs[i], last, legs[i]);
          return FALSE;
        }
    }
  if ((cross = sextant_fx_series_cross (per_eur, base_per_eur, error)) == NULL)
    return FALSE;
  if (day > 0)
    *rate = sextant_fx_series_lookup (cross, day, SEXTANT_FX_MAX_STALE_DAYS, rate_day);
  else
    *rate = sextant_fx_series_get_latest (cross, rate_day);
  if (isnan (*rate))
    {
      g_autofree char *date = sextant_day_format_iso (to);

      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA,
                   _("The local cache has no %s/%s rate within %d days before %s"), currency, base,
                   SEXTANT_FX_MAX_STALE_DAYS, date);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
get_fx_rates (SextantToolData  *data,
              JsonObject       *input,
              GCancellable     *cancellable,
              GError          **error)
{
  SextantMarketCache *cache = need_cache (data, error);
  g_autofree char *base = g_ascii_strup (json_object_get_string_member_with_default (input, "base", "EUR"), -1);
  JsonArray *currencies = json_object_get_array_member (input, "currencies");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint32 day;

  if (cache == NULL || !read_day (input, "date", &day, error))
    return NULL;
  json_builder_begin_object (b);
  sextant_json_add_string (b, "base", base);
  sextant_json_add_string (b, "meaning", "rate = units of the base currency for 1 unit of the currency");
  json_builder_set_member_name (b, "rates");
  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (currencies); i++)
    {
      g_autofree char *currency = g_ascii_strup (json_array_get_string_element (currencies, i), -1);
      gint32 rate_day = 0;
      double rate;

      if (!lookup_rate (cache, currency, base, day, &rate, &rate_day, error))
        return NULL;
      json_builder_begin_object (b);
      sextant_json_add_string (b, "currency", currency);
      sextant_json_add_double (b, "rate", rate);
      json_builder_set_member_name (b, "date");
      if (rate_day > 0)
        {
          g_autofree char *date = sextant_day_format_iso (rate_day);

          json_builder_add_string_value (b, date);
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  sextant_json_add_string (b, "source", SEXTANT_FX_ECB_CITATION);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* get_yield_curve ------------------------------------------------------------------------- */

static void
add_array (JsonBuilder  *b,
           const char   *name,
           const double *values,
           gsize         n,
           double        scale)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      json_builder_add_double_value (b, values[i] * scale);
    else
      json_builder_add_null_value (b);   /* a tenor the source left out that day */
  json_builder_end_array (b);
}

static void
add_fit (JsonBuilder           *b,
         const SextantCurveFit *fit)
{
  gboolean svensson = fit->model == SEXTANT_CURVE_MODEL_SVENSSON;

  json_builder_set_member_name (b, "fit");
  json_builder_begin_object (b);
  sextant_json_add_string (b, "model", sextant_curve_model_name (fit->model));
  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  for (int k = 0; k < (svensson ? 4 : 3); k++)
    {
      g_autofree char *name = g_strdup_printf ("beta%d", k);

      sextant_json_add_double (b, name, fit->beta[k]);
    }
  sextant_json_add_double (b, svensson ? "tau1" : "tau", fit->tau[0]);
  if (svensson)
    sextant_json_add_double (b, "tau2", fit->tau[1]);
  json_builder_end_object (b);
  sextant_json_add_double (b, "rmse", fit->rmse);
  json_builder_end_object (b);
}

static SextantParCurve *
cached_curve (SextantMarketCache  *cache,
              const char          *source,
              const char          *name,
              gint32               day,
              GError             **error)
{
  SextantParCurve *curve = NULL;

  if (!sextant_market_cache_get_par_curve (cache, source, day, &curve, error))
    return NULL;
  if (curve == NULL)
    {
      g_autofree char *date = day > 0 ? sextant_day_format_iso (day) : NULL;

      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA,
                   _("The local cache has no %s curve on or before %s; fetch it with “sextant-cli "
                     "curve --source %s”"), name, date != NULL ? date : _("today"),
                   g_str_has_prefix (source, "ecb") ? "ecb" : "treasury");
    }
  return curve;
}

/* The Treasury's par yields are bootstrapped exactly as `sextant-cli curve` does; the ECB
 * publishes its spot rates itself, and forwards between tenors follow from them. */
static JsonNode *
get_yield_curve (SextantToolData  *data,
                 JsonObject       *input,
                 GCancellable     *cancellable,
                 GError          **error)
{
  SextantMarketCache *cache = need_cache (data, error);
  const char *source = json_object_get_string_member_with_default (input, "source", "treasury");
  const char *fit_name = json_object_get_string_member_with_default (input, "fit", NULL);
  gboolean ecb = g_strcmp0 (source, "ecb") == 0;
  g_autoptr(SextantParCurve) par = NULL;
  g_autoptr(SextantParCurve) spot = NULL;
  g_autoptr(SextantYieldCurve) curve = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree double *tenors = NULL, *par_values = NULL, *zero = NULL, *forward = NULL, *times = NULL;
  g_autofree char *date = NULL;
  SextantParCurve *shown;
  SextantCurveFit fit;
  SextantCurveModel model = SEXTANT_CURVE_MODEL_SVENSSON;
  gint32 day;
  gsize n;

  if (cache == NULL || !read_day (input, "date", &day, error))
    return NULL;
  if (fit_name != NULL)
    sextant_curve_model_from_name (fit_name, &model);
  if (ecb)
    {
      if (!(spot = cached_curve (cache, "ecb-aaa-spot", "ECB euro-area AAA", day, error)) ||
          !sextant_market_cache_get_par_curve (cache, "ecb-aaa-par", spot->day, &par, error))
        return NULL;
      shown = spot;
    }
  else
    {
      if (!(par = cached_curve (cache, "treasury", "US Treasury par yield", day, error)))
        return NULL;
      shown = par;
    }
  n = shown->n;
  tenors = g_new (double, n);
  par_values = g_new (double, n);
  zero = g_new (double, n);
  forward = g_new (double, n);
  times = g_new (double, n);
  if (ecb)
    for (gsize i = 0; i < n; i++)
      {
        tenors[i] = times[i] = spot->months[i] / 12.0;
        zero[i] = spot->yield[i];
        forward[i] = i == 0 ? zero[0] : (spot->yield[i] * tenors[i] - spot->yield[i - 1] * tenors[i - 1])
                                        / (tenors[i] - tenors[i - 1]);
        par_values[i] = NAN;
        for (gsize j = 0; par != NULL && j < par->n; j++)
          if (par->months[j] == spot->months[i])
            par_values[i] = par->yield[j];
      }
  else
    {
      g_autofree double *fractions = g_new (double, n);

      for (gsize i = 0; i < n; i++)
        fractions[i] = par->yield[i] / 100.0;
      if (!(curve = sextant_yield_curve_bootstrap (par->day, par->months, fractions, n, error)))
        return NULL;
      for (gsize i = 0; i < n; i++)
        {
          tenors[i] = par->months[i] / 12.0;
          times[i] = curve->time[i];
          par_values[i] = par->yield[i];
          zero[i] = 100 * sextant_yield_curve_zero (curve, curve->time[i]);
          forward[i] = 100 * sextant_yield_curve_forward (curve, i > 0 ? curve->time[i - 1] : 0, curve->time[i]);
        }
    }
  if (fit_name != NULL && !sextant_curve_fit (model, times, zero, n, &fit, error))
    return NULL;

  date = sextant_day_format_iso (shown->day);
  json_builder_begin_object (b);
  sextant_json_add_string (b, "date", date);
  sextant_json_add_string (b, "source", ecb ? "ecb" : "treasury");
  if (ecb)
    sextant_json_add_string (b, "citation", SEXTANT_FX_ECB_CITATION);
  sextant_json_add_string (b, "units", ecb ? "percent; zero = the ECB's continuously compounded spot rates"
                                           : "percent; zero = continuously compounded act/365f, forward from the previous tenor");
  add_array (b, "tenors", tenors, n, 1);
  add_array (b, "par", par_values, n, 1);
  add_array (b, "zero", zero, n, 1);
  add_array (b, "forward", forward, n, 1);
  if (fit_name != NULL)
    add_fit (b, &fit);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* price_bond ------------------------------------------------------------------------------ */

#define BOND_PROPERTIES \
  "\"coupon\":{\"type\":\"number\",\"minimum\":0,\"maximum\":100,\"description\":\"Annual coupon in percent\"}," \
  "\"maturity\":{\"type\":\"string\",\"description\":\"Maturity date, YYYY-MM-DD\"}," \
  "\"frequency\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":12,\"description\":\"Coupons a year: 1, 2, 4 or 12 (default 2)\"}," \
  "\"day_count\":{\"type\":\"string\",\"enum\":[\"act/act-icma\",\"30/360\",\"act/360\",\"act/365f\"]," \
  "\"description\":\"Day count (default act/act-icma)\"}," \
  "\"face\":{\"type\":\"number\",\"minimum\":0,\"description\":\"Face amount (default 100)\"}"

static gboolean
read_bond (JsonObject   *input,
           SextantBond  *bond,
           GError      **error)
{
  const char *day_count = json_object_get_string_member_with_default (input, "day_count", "act/act-icma");
  gint32 maturity;

  if (!read_day (input, "maturity", &maturity, error))
    return FALSE;
  bond->coupon = _tool_get_double (input, "coupon", 0) / 100.0;
  bond->maturity = maturity;
  bond->frequency = (int) _tool_get_uint (input, "frequency", 2);
  bond->face = _tool_get_double (input, "face", 100);
  if (!sextant_day_count_from_name (day_count, &bond->day_count))
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                   _("Unknown day count “%s”"), day_count);
      return FALSE;
    }
  if (bond->frequency != 1 && bond->frequency != 2 && bond->frequency != 4 && bond->frequency != 12)
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                   _("frequency must be 1, 2, 4 or 12, not %d"), bond->frequency);
      return FALSE;
    }
  if (!(bond->face > 0))
    {
      g_set_error_literal (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                           _("face must be positive"));
      return FALSE;
    }
  return TRUE;
}

static void
add_analytics (JsonBuilder                *b,
               const SextantBondAnalytics *a)
{
  sextant_json_add_double (b, "clean_price", a->clean_price);
  sextant_json_add_double (b, "dirty_price", a->dirty_price);
  sextant_json_add_double (b, "accrued", a->accrued);
  sextant_json_add_double (b, "yield", a->yield * 100);
  sextant_json_add_double (b, "macaulay_duration", a->macaulay_duration);
  sextant_json_add_double (b, "modified_duration", a->modified_duration);
  sextant_json_add_double (b, "convexity", a->convexity);
  sextant_json_add_double (b, "dv01", a->dv01);
}

static JsonNode *
price_bond (SextantToolData  *data,
            JsonObject       *input,
            GCancellable     *cancellable,
            GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean has_yield = json_object_has_member (input, "yield");
  gboolean has_price = json_object_has_member (input, "price");
  SextantBondAnalytics a;
  SextantBond bond = { 0 };
  gint32 settlement;
  gboolean ok;

  if (has_yield == has_price)
    {
      g_set_error_literal (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                           _("Give exactly one of yield and price"));
      return NULL;
    }
  if (!read_bond (input, &bond, error) || !read_day (input, "settlement", &settlement, error))
    return NULL;
  if (has_yield)
    ok = sextant_bond_from_yield (&bond, settlement, _tool_get_double (input, "yield", 0) / 100.0, &a, error);
  else
    ok = sextant_bond_from_clean_price (&bond, settlement, _tool_get_double (input, "price", 0), &a, error);
  if (!ok)
    return NULL;
  json_builder_begin_object (b);
  add_analytics (b, &a);
  sextant_json_add_string (b, "units", "prices in percent of face, yield in percent, durations in years, "
                                       "dv01 in money of the face per basis point");
  sextant_json_add_string (b, "conventions", "QuantLib FixedRateBond: schedule backward from maturity, unadjusted; "
                                             "yield compounded at the coupon frequency in the day count");
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* shock_portfolio ------------------------------------------------------------------------- */

/* The stored portfolio under the scenario, computed by the one routine `sextant-cli shock`
 * prints (sextant-book-shock), on what the local cache holds: the desk's figures are the
 * command's. */
static JsonNode *
shock_portfolio (SextantToolData  *data,
                 JsonObject       *input,
                 GCancellable     *cancellable,
                 GError          **error)
{
  SextantMarketCache *cache = need_cache (data, error);
  const char *name = json_object_get_string_member_with_default (input, "portfolio", NULL);
  JsonArray *fx = json_object_has_member (input, "fx") ? json_object_get_array_member (input, "fx") : NULL;
  g_autoptr(SextantPortfolio) portfolio = NULL;
  g_auto(SextantShockScenario) scenario = { 0 };
  g_auto(SextantBookShock) shock = { 0 };
  JsonNode *root;
  gint32 day;

  if (cache == NULL || !read_day (input, "date", &day, error) ||
      !(portfolio = sextant_tool_data_find_portfolio (data, name, error)))
    return NULL;
  sextant_shock_scenario_init (&scenario);
  scenario.rates = _tool_get_double (input, "rates_bp", 0) / 1e4;
  scenario.spreads = _tool_get_double (input, "spreads_bp", 0) / 1e4;
  for (guint i = 0; fx != NULL && i < json_array_get_length (fx); i++)
    {
      JsonObject *one = json_array_get_object_element (fx, i);
      g_autofree char *currency = g_ascii_strup (json_object_get_string_member (one, "currency"), -1);

      if (!sextant_shock_scenario_add_fx (&scenario, currency,
                                          json_object_get_double_member (one, "shock_percent") / 100))
        {
          g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT,
                       _("fx names %s twice"), currency);
          return NULL;
        }
    }
  if (!sextant_book_shock_add_cached_curves (&shock, cache, portfolio, day, error) ||
      !sextant_book_shock_run (&shock, cache, portfolio, day, &scenario, error))
    return NULL;
  root = sextant_book_shock_to_json (&shock);
  json_object_set_string_member (json_node_get_object (root), "method",
                                 "full revaluation, as `sextant-cli shock`: each bond on its own currency's curve (USD: "
                                 "US Treasury par yields shifted by rates_bp and bootstrapped again; EUR: ECB AAA spot "
                                 "rates shifted by rates_bp), plus its z-spread; spreads_bp through each spread bond's "
                                 "spread duration; each currency's move on its holdings' value after those; stocks at "
                                 "their close, cash at its amount; every figure in the base currency at the ECB's rate");
  return root;
}

/* get_credit_spreads ---------------------------------------------------------------------- */

/* How far back the history goes by default: a year of spreads. */
#define SPREAD_HISTORY_DAYS 365

typedef struct
{
  GAsyncResult *result;
} FredWait;

static void
fred_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ((FredWait *) user_data)->result = g_object_ref (result);
}

/* How long the keyring may take to give the FRED key before the tool goes on without it. */
#define KEYRING_TIMEOUT_MS 2000

/* The series from FRED with the user's key, as every caller asks: the keyring's, else
 * SEXTANT_FRED_KEY, else FRED's keyless download; stored in the cache, which answers (with a
 * note) when FRED cannot. Tools run on a worker thread: the keyring call and the request run on
 * a context of its own there. */
static SextantFredSeries *
fetch_fred (SextantMarketCache  *cache,
            const char          *series_id,
            gint32               from,
            gint32               to,
            GCancellable        *cancellable,
            GError             **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SextantSecretStore) secrets = sextant_secret_store_new ();
  g_autoptr(SextantFredClient) client = NULL;
  SextantFredSeries *series = NULL;
  FredWait wait = { NULL };

  g_main_context_push_thread_default (context);
  sextant_secret_store_set_timeout (secrets, KEYRING_TIMEOUT_MS);
  client = sextant_fred_client_new_configured (secrets, error);
  if (client != NULL)
    {
      sextant_fred_client_set_cache (client, cache);
      sextant_fred_client_fetch_async (client, series_id, from, to, cancellable, fred_done_cb, &wait);
      while (wait.result == NULL)
        g_main_context_iteration (context, TRUE);
      series = sextant_fred_client_fetch_finish (client, wait.result, error);
      g_clear_object (&wait.result);
    }
  /* The client's session is bound to this context: it goes before the context does. */
  g_clear_object (&client);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return series;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The @p-th percentile of @sorted, linear between the closest ranks (numpy's default). */
static double
percentile (const double *sorted,
            gsize         n,
            double        p)
{
  double position = p / 100 * (double) (n - 1);
  gsize below = (gsize) floor (position);
  gsize above = MIN (below + 1, n - 1);

  return sorted[below] + (position - (double) below) * (sorted[above] - sorted[below]);
}

/* FRED's option-adjusted spreads as figures computed from their history: the latest, where it
 * stands in the history, and the history's percentiles. ICE BofA's series are licensed to FRED:
 * computed with and shown, never handed on raw, so the observations themselves stay here. */
static JsonNode *
get_credit_spreads (SextantToolData  *data,
                    JsonObject       *input,
                    GCancellable     *cancellable,
                    GError          **error)
{
  const char *series_id = json_object_get_string_member_with_default (input, "series", "BAMLH0A0HYM2");
  static const double levels[] = { 5, 25, 50, 75, 95 };
  g_autoptr(SextantFredSeries) series = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree double *sorted = NULL;
  gint32 from, to, latest_day = 0;
  double latest = NAN, sum = 0, at_or_below = 0;
  gsize n = 0;

  if (!sextant_fred_check_series_id (series_id, error) || !read_day (input, "start", &from, error) ||
      !read_day (input, "end", &to, error))
    {
      if (error != NULL && *error != NULL && (*error)->domain != SEXTANT_AGENT_ERROR)
        {
          GError *e = g_error_new_literal (SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT, (*error)->message);

          g_clear_error (error);
          g_propagate_error (error, e);
        }
      return NULL;
    }
  if (to == 0)
    to = today ();
  if (from == 0)
    from = to - SPREAD_HISTORY_DAYS;
  if (from > to)
    {
      g_set_error_literal (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_INVALID_INPUT, _("start is after end"));
      return NULL;
    }
  if (!(series = fetch_fred (sextant_tool_data_get_cache (data), series_id, from, to, cancellable, error)))
    return NULL;
  sorted = g_new (double, MAX (series->n, 1));
  for (gsize i = 0; i < series->n; i++)
    if (!isnan (series->values[i]))
      {
        sorted[n++] = series->values[i];
        sum += series->values[i];
        latest = series->values[i];
        latest_day = series->days[i];
      }
  if (n == 0)
    {
      g_set_error (error, SEXTANT_AGENT_ERROR, SEXTANT_AGENT_ERROR_NO_DATA,
                   _("FRED has no observation of %s in that period"), series->series_id);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    at_or_below += sorted[i] <= latest;
  qsort (sorted, n, sizeof (double), compare_doubles);

  json_builder_begin_object (b);
  sextant_json_add_string (b, "series", series->series_id);
  _tool_add_date (b, "start", from);
  _tool_add_date (b, "end", to);
  sextant_json_add_string (b, "units", "percent (option-adjusted spread over Treasuries)");
  sextant_json_add_string (b, "retrieved_from", series->keyless ? "fred-csv" : "fred");
  /* An answer from the cache says so and as of when, so the desk never takes it for today's. */
  json_builder_set_member_name (b, "cached");
  json_builder_add_boolean_value (b, series->cached_note != NULL);
  if (series->cached_note != NULL)
    sextant_json_add_string (b, "note", series->cached_note);
  _tool_add_date (b, "latest_date", latest_day);
  sextant_json_add_double (b, "latest", latest);
  sextant_json_add_double (b, "latest_percentile_rank", 100 * at_or_below / (double) n);
  sextant_json_add_double (b, "min", sorted[0]);
  sextant_json_add_double (b, "max", sorted[n - 1]);
  sextant_json_add_double (b, "mean", sum / (double) n);
  json_builder_set_member_name (b, "percentiles");
  json_builder_begin_object (b);
  for (guint k = 0; k < G_N_ELEMENTS (levels); k++)
    {
      g_autofree char *name = g_strdup_printf ("p%g", levels[k]);

      sextant_json_add_double (b, name, percentile (sorted, n, levels[k]));
    }
  json_builder_end_object (b);
  sextant_json_add_int (b, "observations", (gint64) n);
  sextant_json_add_int (b, "missing", (gint64) (series->n - n));
  json_builder_set_member_name (b, "licensed");
  json_builder_add_boolean_value (b, series->licensed);
  sextant_json_add_string (b, "source", series->licensed
                                        ? "FRED, Federal Reserve Bank of St. Louis; ICE Data Indices, LLC (licensed to FRED: "
                                          "figures computed from the series, the observations are not redistributed)"
                                        : "FRED, Federal Reserve Bank of St. Louis");
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
_sextant_tools_register_rates (SextantToolRegistry *self)
{
  static const struct { const char *name, *description, *schema; SextantToolHandler handler; } tools[] = {
    { "get_fx_rates",
      "ECB euro reference rates, crossed through the euro into any base currency: the price of 1 unit of each "
      "currency in the base, on a day or the newest, from the local cache. Source: ECB statistics.",
      "{\"type\":\"object\",\"properties\":{"
      "\"base\":{\"type\":\"string\",\"minLength\":3,\"maxLength\":3,\"description\":\"ISO 4217 base currency (default EUR)\"},"
      "\"currencies\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":40,\"items\":{\"type\":\"string\",\"minLength\":3,\"maxLength\":3},"
      "\"description\":\"ISO 4217 codes, e.g. USD, GBP, JPY\"}," DATE_PROPERTY ("The day") "},"
      "\"required\":[\"currencies\"],\"additionalProperties\":false}",
      get_fx_rates },
    { "get_yield_curve",
      "A government yield curve from the local cache: the US Treasury's par yields bootstrapped to zero and forward "
      "rates, or the ECB's euro-area AAA spot curve; optionally a Nelson-Siegel or Svensson fit with its parameters "
      "and RMSE. Rates in percent, tenors in years.",
      "{\"type\":\"object\",\"properties\":{"
      "\"source\":{\"type\":\"string\",\"enum\":[\"treasury\",\"ecb\"],\"description\":\"Which curve (default treasury)\"},"
      DATE_PROPERTY ("The curve of this day or the last before it") ","
      "\"fit\":{\"type\":\"string\",\"enum\":[\"nelson-siegel\",\"svensson\"],\"description\":\"Fit a model to the zero rates\"}},"
      "\"additionalProperties\":false}",
      get_yield_curve },
    { "price_bond",
      "Price a fixed-rate bond from its yield, or its yield from a clean price: clean and dirty price, accrued, "
      "Macaulay and modified duration, convexity and DV01, with QuantLib FixedRateBond's conventions.",
      "{\"type\":\"object\",\"properties\":{" BOND_PROPERTIES ","
      "\"settlement\":{\"type\":\"string\",\"description\":\"Settlement date, YYYY-MM-DD\"},"
      "\"yield\":{\"type\":\"number\",\"minimum\":-50,\"maximum\":100,\"description\":\"Yield to maturity in percent\"},"
      "\"price\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1000,\"description\":\"Clean price in percent of face\"}},"
      "\"required\":[\"coupon\",\"maturity\",\"settlement\"],\"additionalProperties\":false}",
      price_bond },
    { "shock_portfolio",
      "Scenario P&L of a stored portfolio in its base currency under a parallel rates move, a credit-spread move and "
      "currency moves, per holding and in total, with the conventions and numbers of `sextant-cli shock`: bonds "
      "repriced on their currency's shifted curve from the local cache (USD: US Treasury; EUR: ECB AAA), stocks at their close, cash at its amount.",
      "{\"type\":\"object\",\"properties\":{"
      "\"portfolio\":{\"type\":\"string\",\"minLength\":1,\"description\":\"A stored portfolio's name\"},"
      "\"rates_bp\":{\"type\":\"number\",\"minimum\":-5000,\"maximum\":5000,\"description\":\"Parallel move of every curve's rates (USD and EUR) in basis points\"},"
      "\"spreads_bp\":{\"type\":\"number\",\"minimum\":-5000,\"maximum\":5000,\"description\":\"Move of the bonds' credit spreads in basis points\"},"
      "\"fx\":{\"type\":\"array\",\"maxItems\":40,\"items\":{\"type\":\"object\",\"properties\":{"
      "\"currency\":{\"type\":\"string\",\"minLength\":3,\"maxLength\":3},"
      "\"shock_percent\":{\"type\":\"number\",\"minimum\":-99.99,\"maximum\":1000,\"description\":\"Change of what the currency is worth in the base currency, in percent (-10 for a 10 % fall)\"}},"
      "\"required\":[\"currency\",\"shock_percent\"],\"additionalProperties\":false}},"
      DATE_PROPERTY ("Value on the curve of this day or the last before it") "},"
      "\"required\":[\"portfolio\"],\"additionalProperties\":false}",
      shock_portfolio },
    { "get_credit_spreads",
      "Credit spreads from FRED: an ICE BofA option-adjusted spread series (default BAMLH0A0HYM2, US high yield; "
      "BAMLC0A0CM US investment grade, …) over a period: the latest value and its date, where it stands in the "
      "period's history (percentile rank), the history's min, max, mean and 5/25/50/75/95th percentiles. In percent.",
      "{\"type\":\"object\",\"properties\":{"
      "\"series\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":40,\"description\":\"FRED series id (default BAMLH0A0HYM2)\"},"
      "\"start\":{\"type\":\"string\",\"description\":\"First day of the history, YYYY-MM-DD (default: a year before end)\"},"
      "\"end\":{\"type\":\"string\",\"description\":\"Last day, YYYY-MM-DD (default today)\"}},"
      "\"additionalProperties\":false}",
      get_credit_spreads },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autoptr(SextantTool) tool = sextant_tool_new (tools[i].name, tools[i].description, tools[i].schema,
                                                      tools[i].handler);

      sextant_tool_registry_add (self, tool);
    }
}
