#define G_LOG_DOMAIN "sextant-cli-indicators"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

#define COMMAND "indicators"

typedef struct
{
  char   *name;
  double *values;
} Column;

static void
column_free (gpointer data)
{
  Column *column = data;

  g_free (column->name);
  g_free (column->values);
  g_free (column);
}

static double *
add_column (GPtrArray  *columns,
            gsize       n,
            char       *name)
{
  Column *column = g_new0 (Column, 1);

  column->name = name;
  column->values = g_new (double, MAX (n, 1));
  g_ptr_array_add (columns, column);

  return column->values;
}

typedef struct
{
  char    *csv;
  char    *format;
  int      sma, ema, wma, rsi, atr, rolling_vol;
  char    *macd;
  char    *bbands;
  char    *stoch;
  gboolean obv;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->csv);
  g_free (o->format);
  g_free (o->macd);
  g_free (o->bbands);
  g_free (o->stoch);
}

/* Parses "A,B[,C]" into unsigned integers (the last may be a real number when @last_real). */
static gboolean
parse_list (const char  *option,
            const char  *text,
            guint        count,
            gboolean     last_real,
            guint       *ints,
            double      *real,
            GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  gboolean ok = g_strv_length (parts) == count;

  for (guint i = 0; ok && i < count; i++)
    {
      guint64 v = 0;
      char *end = NULL;

      if (last_real && i == count - 1)
        {
          *real = g_ascii_strtod (parts[i], &end);
          ok = end != parts[i] && *end == '\0' && isfinite (*real) && *real >= 0;
        }
      else
        {
          ok = g_ascii_string_to_unsigned (parts[i], 10, 1, SEXTANT_INDICATOR_MAX_PERIOD, &v,
                                           NULL);
          ints[i] = v;
        }
    }
  if (!ok)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "%s expects %u comma-separated %s, not “%s”", option, count,
                 last_real ? "values (periods, then a non-negative width)" : "positive periods",
                 text);

  return ok;
}

static gboolean
check_period (const char  *option,
              int          value,
              GError     **error)
{
  if (value >= 0 && value <= SEXTANT_INDICATOR_MAX_PERIOD)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s must be a positive period, not %d", option, value);
  return FALSE;
}

static gboolean
compute_averages (Options             *o,
                  SextantPriceSeries  *series,
                  GPtrArray           *columns,
                  GError             **error)
{
  const double *close = sextant_price_series_get_close (series);
  gsize n = sextant_price_series_get_length (series);

  if (o->sma > 0 &&
      !sextant_sma_compute (close, n, o->sma,
                            add_column (columns, n, g_strdup_printf ("sma_%d", o->sma)), error))
    return FALSE;
  if (o->ema > 0 &&
      !sextant_ema_compute (close, n, o->ema,
                            add_column (columns, n, g_strdup_printf ("ema_%d", o->ema)), error))
    return FALSE;
  if (o->wma > 0 &&
      !sextant_wma_compute (close, n, o->wma,
                            add_column (columns, n, g_strdup_printf ("wma_%d", o->wma)), error))
    return FALSE;
  if (o->rsi > 0 &&
      !sextant_rsi_compute (close, n, o->rsi,
                            add_column (columns, n, g_strdup_printf ("rsi_%d", o->rsi)), error))
    return FALSE;

  return TRUE;
}

static gboolean
compute_bands (Options             *o,
               SextantPriceSeries  *series,
               GPtrArray           *columns,
               GError             **error)
{
  const double *close = sextant_price_series_get_close (series);
  gsize n = sextant_price_series_get_length (series);
  guint p[3];
  double k = 0;

  if (o->macd != NULL)
    {
      double *m, *s, *h;

      if (!parse_list ("--macd", o->macd, 3, FALSE, p, NULL, error))
        return FALSE;
      m = add_column (columns, n, g_strdup ("macd"));
      s = add_column (columns, n, g_strdup ("macd_signal"));
      h = add_column (columns, n, g_strdup ("macd_hist"));
      if (!sextant_macd_compute (close, n, p[0], p[1], p[2], m, s, h, error))
        return FALSE;
    }
  if (o->bbands != NULL)
    {
      double *u, *m, *l;

      if (!parse_list ("--bbands", o->bbands, 2, TRUE, p, &k, error))
        return FALSE;
      u = add_column (columns, n, g_strdup ("bb_upper"));
      m = add_column (columns, n, g_strdup ("bb_middle"));
      l = add_column (columns, n, g_strdup ("bb_lower"));
      if (!sextant_bbands_compute (close, n, p[0], k, u, m, l, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
compute_bars (Options             *o,
              SextantPriceSeries  *series,
              GPtrArray           *columns,
              GError             **error)
{
  const double *high = sextant_price_series_get_high (series);
  const double *low = sextant_price_series_get_low (series);
  const double *close = sextant_price_series_get_close (series);
  gsize n = sextant_price_series_get_length (series);
  guint p[3];

  if (o->atr > 0 &&
      !sextant_atr_compute (high, low, close, n, o->atr,
                            add_column (columns, n, g_strdup_printf ("atr_%d", o->atr)), error))
    return FALSE;
  if (o->stoch != NULL)
    {
      double *k, *d;

      if (!parse_list ("--stoch", o->stoch, 3, FALSE, p, NULL, error))
        return FALSE;
      k = add_column (columns, n, g_strdup ("stoch_k"));
      d = add_column (columns, n, g_strdup ("stoch_d"));
      if (!sextant_stoch_compute (high, low, close, n, p[0], p[1], p[2], k, d, error))
        return FALSE;
    }
  if (o->obv &&
      !sextant_obv_compute (close, sextant_price_series_get_volume (series), n,
                            add_column (columns, n, g_strdup ("obv")), error))
    return FALSE;
  if (o->rolling_vol > 0 &&
      !sextant_rolling_volatility_compute (close, n, o->rolling_vol, 252,
                                           add_column (columns, n,
                                                       g_strdup_printf ("rolling_vol_%d",
                                                                        o->rolling_vol)),
                                           error))
    return FALSE;

  return TRUE;
}

static void
print_csv (SextantPriceSeries *series,
           GPtrArray          *columns)
{
  const gint32 *days = sextant_price_series_get_days (series);
  gsize n = sextant_price_series_get_length (series);
  g_autoptr(GString) line = g_string_new ("date");

  for (guint c = 0; c < columns->len; c++)
    g_string_append_printf (line, ",%s", ((Column *) columns->pdata[c])->name);
  printf ("%s\n", line->str);

  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *date = sextant_day_format_iso (days[i]);

      g_string_assign (line, date);
      for (guint c = 0; c < columns->len; c++)
        {
          double v = ((Column *) columns->pdata[c])->values[i];
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append_c (line, ',');
          if (!isnan (v))
            g_string_append (line, g_ascii_formatd (buf, sizeof buf, "%.17g", v));
        }
      printf ("%s\n", line->str);
    }
}

static void
print_json (SextantPriceSeries *series,
            GPtrArray          *columns)
{
  const gint32 *days = sextant_price_series_get_days (series);
  gsize n = sextant_price_series_get_length (series);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *date = sextant_day_format_iso (days[i]);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, date);
      for (guint c = 0; c < columns->len; c++)
        {
          Column *column = columns->pdata[c];

          json_builder_set_member_name (builder, column->name);
          if (isnan (column->values[i]))
            json_builder_add_null_value (builder);
          else
            json_builder_add_double_value (builder, column->values[i]);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);
}

static SextantPriceSeries *
load_series (const char  *path,
             GError     **error)
{
  g_autoptr(SextantPriceSeries) series = NULL;
  g_autofree char *symbol = g_path_get_basename (path);

  series = sextant_csv_read_price_series (path, symbol, error);
  if (series == NULL || !sextant_price_series_validate (series, error))
    return NULL;
  if (sextant_price_series_get_length (series) < 2)
    {
      g_set_error (error, SEXTANT_ANALYTICS_ERROR, SEXTANT_ANALYTICS_ERROR_EMPTY,
                   "%s: indicators need at least two rows, the file has one", path);
      return NULL;
    }

  return g_steal_pointer (&series);
}

int
sextant_cli_indicators_main (int    argc,
                             char **argv)
{
  Options o = { 0 };
  const GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &o.csv, "Daily bars (date,open,high,low,close,volume)", "FILE" },
    { "sma", 0, 0, G_OPTION_ARG_INT, &o.sma, "Simple moving average (column sma_N)", "N" },
    { "ema", 0, 0, G_OPTION_ARG_INT, &o.ema, "Exponential moving average (ema_N)", "N" },
    { "wma", 0, 0, G_OPTION_ARG_INT, &o.wma, "Linearly weighted moving average (wma_N)", "N" },
    { "rsi", 0, 0, G_OPTION_ARG_INT, &o.rsi, "Wilder's RSI (rsi_N)", "N" },
    { "macd", 0, 0, G_OPTION_ARG_STRING, &o.macd, "MACD (macd, macd_signal, macd_hist)", "F,S,G" },
    { "bbands", 0, 0, G_OPTION_ARG_STRING, &o.bbands, "Bollinger bands (bb_upper, bb_middle, bb_lower)", "N,K" },
    { "atr", 0, 0, G_OPTION_ARG_INT, &o.atr, "Average true range (atr_N)", "N" },
    { "stoch", 0, 0, G_OPTION_ARG_STRING, &o.stoch, "Stochastic with SMA smoothing (stoch_k, stoch_d)", "K,SK,SD" },
    { "obv", 0, 0, G_OPTION_ARG_NONE, &o.obv, "On-balance volume (obv)", NULL },
    { "rolling-vol", 0, 0, G_OPTION_ARG_INT, &o.rolling_vol, "Annualised volatility of the last N log returns (rolling_vol_N)", "N" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, "Output format: csv (default) or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— technical indicators of daily bars");
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (column_free);
  g_autoptr(SextantPriceSeries) series = NULL;
  g_autoptr(GError) error = NULL;
  SextantCliFormat format;
  int exit_code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, COMMAND, &exit_code))
    goto out;
  if (o.csv == NULL)
    {
      exit_code = sextant_cli_usage_error (context, COMMAND, "--csv FILE is required");
      goto out;
    }
  if (o.sma == 0 && o.ema == 0 && o.wma == 0 && o.rsi == 0 && o.atr == 0 && o.macd == NULL &&
      o.bbands == NULL && o.stoch == NULL && !o.obv && o.rolling_vol == 0)
    {
      exit_code = sextant_cli_usage_error (context, COMMAND, "choose at least one indicator");
      goto out;
    }
  if (!sextant_cli_parse_format (o.format != NULL ? o.format : "csv",
                                 (1u << SEXTANT_CLI_FORMAT_CSV) | (1u << SEXTANT_CLI_FORMAT_JSON),
                                 &format, &error) ||
      !check_period ("--sma", o.sma, &error) || !check_period ("--ema", o.ema, &error) ||
      !check_period ("--wma", o.wma, &error) || !check_period ("--rsi", o.rsi, &error) ||
      !check_period ("--atr", o.atr, &error) ||
      !check_period ("--rolling-vol", o.rolling_vol, &error) ||
      (series = load_series (o.csv, &error)) == NULL ||
      !compute_averages (&o, series, columns, &error) ||
      !compute_bands (&o, series, columns, &error) ||
      !compute_bars (&o, series, columns, &error))
    {
      exit_code = sextant_cli_fail (-1, COMMAND, error);
      goto out;
    }

  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (series, columns);
  else
    print_csv (series, columns);

out:
  options_clear (&o);
  return exit_code;
}
