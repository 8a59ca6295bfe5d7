#pragma once

#include "fuzz-glib.h"
#include "sextant-core.h"

/* Shared by the provider fuzz targets: the bytes become one stored response of @provider_id,
 * re-parsed as a quote, as a symbol search (Alpha Vantage, Finnhub) and as daily bars through the
 * same entry points the data lake and the fetches use.
 * The first byte picks the HTTP status and content type, so that the error paths (a 429 with
 * a body, an HTML page with 200) are reached as well as the data paths. */
static inline void
fuzz_provider_parse (const char   *provider_id,
                     const guint8 *data,
                     size_t        size)
{
  static const guint statuses[] = { 200, 200, 200, 200, 401, 403, 404, 429, 500, 200 };
  static const char *types[] = { "application/json", "text/csv", "text/plain", "text/html", NULL };
  g_autoptr(SextantMarketProvider) provider = sextant_market_provider_new_for_id (provider_id);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SextantMarketResponse) response = NULL;
  g_autoptr(SextantQuote) quote = NULL;
  g_autoptr(SextantPriceSeries) series = NULL;
  g_autoptr(GError) quote_error = NULL;
  g_autoptr(GError) daily_error = NULL;
  guint8 selector = size > 0 ? data[0] : 0;

  fuzz_glib_init ();

  if (size > 0)
    {
      data++;
      size--;
    }
  body = g_bytes_new (data, size);
  response = sextant_market_response_new (provider_id, "quote", "MSFT",
                                          statuses[selector % G_N_ELEMENTS (statuses)],
                                          types[(selector / 16) % G_N_ELEMENTS (types)], body);
  response->fetched_at = 1700000000;
  quote = sextant_market_provider_parse_quote (provider, response, &quote_error);
  g_assert ((quote == NULL) != (quote_error == NULL));
  if (quote != NULL)
    {
      /* What a parser accepts is stored and shown: it must be a real price on a real date. */
      g_assert (isfinite (quote->price) && quote->price > 0);
      g_assert (quote->as_of > 0);
    }
  if (SEXTANT_IS_HTTP_PROVIDER (provider) &&
      SEXTANT_HTTP_PROVIDER_GET_CLASS (provider)->parse_search != NULL)
    {
      g_autoptr(GPtrArray) matches = NULL;
      g_autoptr(GError) search_error = NULL;

      g_free (response->kind);
      response->kind = g_strdup ("search");
      matches = SEXTANT_HTTP_PROVIDER_GET_CLASS (provider)->parse_search (SEXTANT_HTTP_PROVIDER (provider),
                                                                         response, &search_error);
      g_assert ((matches == NULL) != (search_error == NULL));
    }
  g_free (response->kind);
  response->kind = g_strdup ("daily");
  series = sextant_market_provider_parse_daily (provider, response, &daily_error);
  g_assert ((series == NULL) != (daily_error == NULL));
  if (series != NULL)
    {
      gsize n = sextant_price_series_get_length (series);
      const double *close = sextant_price_series_get_close (series);

      /* A close is a price or a gap (null in the answer), never 0, negative or infinite. */
      for (gsize i = 0; i < n; i++)
        g_assert (isnan (close[i]) || (isfinite (close[i]) && close[i] > 0));
    }
}
