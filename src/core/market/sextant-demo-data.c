#define G_LOG_DOMAIN "sextant-demo-data"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "market/sextant-csv-reader.h"
#include "base/sextant-data-dirs.h"
#include "market/sextant-demo-data.h"
#include "market/sextant-market-error.h"

/**
 * sextant_demo_data_load_index:
 * @error: return location for an error
 *
 * Returns: (transfer full): the S&P 500 daily OHLCV bars, 2000-01-03 … 2020-04-17, bundled
 *   from vega-datasets (see data/demo/README.md for origin and licence)
 */
SextantPriceSeries *
sextant_demo_data_load_index (GError **error)
{
  g_autofree char *path = sextant_data_dirs_dup_bundled_file ("demo/sp500_2000-2020_ohlcv.csv");

  return sextant_csv_read_price_series (path, SEXTANT_DEMO_INDEX_SYMBOL, error);
}

/**
 * sextant_demo_data_load_stocks:
 * @error: return location for an error
 *
 * Returns: (transfer full): daily closes of the 30 Dow Jones stocks, 1990-12-31 … 2001-01-02,
 *   from the R package fBasics (see data/demo/README.md)
 */
SextantPriceTable *
sextant_demo_data_load_stocks (GError **error)
{
  g_autofree char *path = sextant_data_dirs_dup_bundled_file ("demo/dowjones30_1990-2001_closes.csv");

  return sextant_csv_read_price_table (path, error);
}

static double
member_double_or_nan (JsonObject *object,
                      const char *name)
{
  if (!json_object_has_member (object, name))
    return NAN;

  return json_object_get_double_member (object, name);
}

/**
 * sextant_demo_data_load_portfolio:
 * @error: return location for an error
 *
 * Returns: (transfer full): the demo portfolio of Dow Jones stocks held by quantity
 */
SextantPortfolio *
sextant_demo_data_load_portfolio (GError **error)
{
  g_autofree char *path = sextant_data_dirs_dup_bundled_file ("demo/demo-portfolio.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SextantPortfolio) portfolio = NULL;
  JsonObject *root;
  JsonArray *holdings;

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;

  root = json_node_get_object (json_parser_get_root (parser));
  if (root == NULL || !json_object_has_member (root, "name") ||
      !json_object_has_member (root, "holdings"))
    {
      g_set_error (error, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_PARSE,
                   "%s: expected an object with “name” and “holdings”", path);
      return NULL;
    }

  portfolio = sextant_portfolio_new (json_object_get_string_member (root, "name"));
  if (json_object_has_member (root, "benchmark"))
    sextant_portfolio_set_benchmark (portfolio, json_object_get_string_member (root, "benchmark"));

  holdings = json_object_get_array_member (root, "holdings");
  for (guint i = 0; holdings != NULL && i < json_array_get_length (holdings); i++)
    {
      JsonObject *holding = json_array_get_object_element (holdings, i);

      sextant_portfolio_add_holding (portfolio,
                                     json_object_get_string_member (holding, "symbol"),
                                     member_double_or_nan (holding, "quantity"),
                                     member_double_or_nan (holding, "weight"),
                                     json_object_get_string_member_with_default (holding, "currency",
                                                                                 "USD"));
    }

  return g_steal_pointer (&portfolio);
}
