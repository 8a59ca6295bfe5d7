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

static void
print_json (const SextantBook *book,
            GArray            *exposure)
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
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, "ECB statistics");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  sextant_cli_print_json (root);
}

static void
print_text (const SextantBook *book,
            GArray            *exposure)
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

  if (!sextant_cli_book_load (name, from, to, NULL, &book, &error))
    return sextant_cli_fail (sextant_cli_book_exit_for_error (error), "fx", error);
  exposure = sextant_book_get_fx_exposure (&book);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    print_json (&book, exposure);
  else
    print_text (&book, exposure);

  return SEXTANT_CLI_EXIT_OK;
}
