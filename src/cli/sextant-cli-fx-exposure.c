#define G_LOG_DOMAIN "sextant-cli-fx-exposure"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "sextant-cli-book.h"
#include "sextant-cli-common.h"

/* `sextant-cli fx --portfolio NAME`: the stored portfolio's FX exposure, the market value of its
 * holdings by the currency they are priced in, in its base currency, on the last date all of
 * them share (the date `risk --portfolio` takes its weights on). */

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static const double fx_var_confidences[] = { 0.95, 0.99 };

/* The book's FX value at risk, or %FALSE with why not: the exposure is printed either way. */
typedef struct
{
  gboolean     ok;
  SextantFxVar levels[G_N_ELEMENTS (fx_var_confidences)];
  guint        n_changes;
  gint32       first_day;
  char        *why_not;
} FxVarResult;

static void
compute_fx_var (const SextantBook  *book,
                SextantMarketCache *cache,
                FxVarResult        *out)
{
  g_autoptr(GError) error = NULL;

  out->ok = sextant_book_get_fx_var (book, cache, fx_var_confidences, G_N_ELEMENTS (fx_var_confidences),
                                     out->levels, &out->n_changes, &out->first_day, &error);
  if (!out->ok)
    out->why_not = g_strdup (error->message);
}

static void
print_json (const SextantBook *book,
            GArray            *exposure,
            const FxVarResult *fx_var)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *date = sextant_day_format_iso (book->last_day);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "portfolio");
  json_builder_add_string_value (builder, sextant_portfolio_get_name (book->portfolio));
  json_builder_set_member_name (builder, "base_currency");
  json_builder_add_string_value (builder, sextant_portfolio_get_base_currency (book->portfolio));
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, date);
  add_number (builder, "total_value", book->total_value);
  json_builder_set_member_name (builder, "exposure");
  json_builder_begin_array (builder);
  for (guint i = 0; i < exposure->len; i++)
    {
      const SextantFxExposure *row = &g_array_index (exposure, SextantFxExposure, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, row->currency);
      add_number (builder, "value", row->value);
      add_number (builder, "share", row->share);
      json_builder_set_member_name (builder, "holdings");
      json_builder_add_int_value (builder, row->n_holdings);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "fx_var");
  if (!fx_var->ok)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *first = fx_var->first_day != 0 ? sextant_day_format_iso (fx_var->first_day) : NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, "historical, 1 day");
      json_builder_set_member_name (builder, "from");
      if (first != NULL)
        json_builder_add_string_value (builder, first);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "changes");
      json_builder_add_int_value (builder, fx_var->n_changes);
      json_builder_set_member_name (builder, "levels");
      json_builder_begin_array (builder);
      for (guint l = 0; l < G_N_ELEMENTS (fx_var->levels); l++)
        {
          json_builder_begin_object (builder);
          add_number (builder, "confidence", fx_var->levels[l].confidence);
          add_number (builder, "var", fx_var->levels[l].var);
          add_number (builder, "es", fx_var->levels[l].es);
          add_number (builder, "var_share", fx_var->levels[l].share);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, "ECB statistics");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);
}

static void
print_text (const SextantBook *book,
            GArray            *exposure,
            const FxVarResult *fx_var)
{
  g_autofree char *date = sextant_day_format_iso (book->last_day);
  const char *base = sextant_portfolio_get_base_currency (book->portfolio);

  printf ("%s: FX exposure on %s, in %s (" SEXTANT_FX_ECB_CITATION ")\n",
          sextant_portfolio_get_name (book->portfolio), date, base);
  printf ("%-8s %16s %8s %8s\n", "currency", "value", "share", "holdings");
  for (guint i = 0; i < exposure->len; i++)
    {
      const SextantFxExposure *row = &g_array_index (exposure, SextantFxExposure, i);

      printf ("%-8s %16.2f %7.2f%% %8u\n", row->currency, row->value, 100 * row->share,
              row->n_holdings);
    }
  printf ("%-8s %16.2f %7.2f%% %8u\n", "total", book->total_value, 100.0,
          sextant_portfolio_get_n_holdings (book->portfolio));
  if (fx_var->ok && fx_var->n_changes > 0)
    {
      g_autofree char *first = sextant_day_format_iso (fx_var->first_day);

      printf ("FX value at risk, 1 day, historical over %u daily changes since %s:\n", fx_var->n_changes, first);
      for (guint l = 0; l < G_N_ELEMENTS (fx_var->levels); l++)
        printf ("  %4.1f%%: %.2f (%.3f%% of the book), expected shortfall %.2f\n",
                100 * fx_var->levels[l].confidence, fx_var->levels[l].var, 100 * fx_var->levels[l].share,
                fx_var->levels[l].es);
    }
  else if (fx_var->ok)
    printf ("No FX value at risk: every holding is priced in %s\n", sextant_portfolio_get_base_currency (book->portfolio));
}

/**
 * sextant_cli_fx_exposure:
 * @name: a stored portfolio's name
 * @from: (nullable): the first date of the range
 * @to: (nullable): the last date
 * @format: text or JSON
 *
 * Returns: the exit code
 */
int
sextant_cli_fx_exposure (const char       *name,
                         const char       *from,
                         const char       *to,
                         SextantCliFormat  format)
{
  g_auto(SextantBook) book = { 0 };
  g_autoptr(GArray) exposure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  FxVarResult fx_var = { 0 };

  if (!sextant_cli_book_load (name, from, to, NULL, &book, &cache, &error))
    return sextant_cli_fail (sextant_cli_book_exit_for_error (error), "fx", error);
  exposure = sextant_book_get_fx_exposure (&book);
  compute_fx_var (&book, cache, &fx_var);
  if (!fx_var.ok)
    fprintf (stderr, "sextant-cli fx: no FX value at risk: %s\n", fx_var.why_not);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (&book, exposure, &fx_var);
  else
    print_text (&book, exposure, &fx_var);
  g_free (fx_var.why_not);

  return SEXTANT_CLI_EXIT_OK;
}
