#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "market/sextant-market-error.h"
#include "market/sextant-market-provider.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_HTTP_PROVIDER (sextant_http_provider_get_type ())

G_DECLARE_DERIVABLE_TYPE (SextantHttpProvider, sextant_http_provider, SEXTANT, HTTP_PROVIDER, GObject)

/**
 * SextantHttpProviderClass:
 * @id: the provider id
 * @name: the provider's human name
 * @default_base_url: where requests go unless #SextantMarketProvider:base-url says otherwise
 * @needs_key: whether requests without a key are pointless
 * @official: %FALSE for sources without published terms
 * @ranged_daily: whether daily requests honour the requested range (Alpha Vantage's do not: it
 *   answers with its last 100 bars whatever is asked)
 * @build_quote_message: make the quote request, or set an error
 * @build_daily_message: make the daily-bars request, or set an error
 * @parse_quote: turn a response into a quote
 * @parse_daily: turn a response into bars
 * @build_search_message: (nullable): make the symbol-search request, or set an error; %NULL
 *   for providers without a symbol search
 * @parse_search: turn a search response into a #GPtrArray of #SextantSymbolMatch
 * @retry_daily_message: given the error of a daily request, a downgraded request to try once
 *   (Alpha Vantage's premium-only `outputsize=full`), or %NULL
 *
 * The HTTP plumbing shared by the providers: session, base URL, key, sending, keeping the raw
 * response, mapping transport failures, and retrying HTTP 429 with back-off. A subclass only
 * builds requests and parses bodies, so that each provider's quirks sit in one place.
 */
struct _SextantHttpProviderClass
{
  GObjectClass parent_class;

  const char *id;
  const char *name;
  const char *default_base_url;
  gboolean    needs_key;
  gboolean    official;
  gboolean    ranged_daily;

  SoupMessage        *(*build_quote_message) (SextantHttpProvider          *self,
                                              const char                   *symbol,
                                              GError                      **error);
  SoupMessage        *(*build_daily_message) (SextantHttpProvider          *self,
                                              const char                   *symbol,
                                              gint32                        from_day,
                                              gint32                        to_day,
                                              GError                      **error);
  SextantQuote       *(*parse_quote)         (SextantHttpProvider          *self,
                                              const SextantMarketResponse  *response,
                                              GError                      **error);
  SextantPriceSeries *(*parse_daily)         (SextantHttpProvider          *self,
                                              const SextantMarketResponse  *response,
                                              GError                      **error);
  SoupMessage        *(*retry_daily_message) (SextantHttpProvider          *self,
                                              const char                   *symbol,
                                              gint32                        from_day,
                                              gint32                        to_day,
                                              const GError                 *error);
  SoupMessage        *(*build_search_message) (SextantHttpProvider         *self,
                                               const char                  *query,
                                               GError                     **error);
  GPtrArray          *(*parse_search)        (SextantHttpProvider          *self,
                                              const SextantMarketResponse  *response,
                                              GError                      **error);

  gpointer padding[6];
};

const char *sextant_http_provider_get_base_url (SextantHttpProvider          *self);
const char *sextant_http_provider_get_api_key  (SextantHttpProvider          *self);
SoupSession *sextant_http_provider_get_session (SextantHttpProvider          *self);
void        sextant_http_provider_set_backoff  (SextantHttpProvider          *self,
                                                guint                         max_retries,
                                                guint                         backoff_ms);
void        sextant_http_provider_set_max_body_size (SextantHttpProvider      *self,
                                                     gsize                     max_bytes);
void        sextant_http_provider_set_max_retry_wait (SextantHttpProvider     *self,
                                                     guint                     seconds);
const char *sextant_http_provider_get_name     (SextantHttpProvider          *self);
char       *sextant_http_provider_build_url    (SextantHttpProvider          *self,
                                                const char                   *path,
                                                ...) G_GNUC_NULL_TERMINATED;
void        sextant_http_provider_set_error    (SextantHttpProvider          *self,
                                                GError                      **error,
                                                SextantMarketError            code,
                                                const char                   *format,
                                                ...) G_GNUC_PRINTF (4, 5);
gboolean    sextant_http_provider_check_status (SextantHttpProvider          *self,
                                                const SextantMarketResponse  *response,
                                                GError                      **error);
JsonNode   *sextant_http_provider_parse_json   (SextantHttpProvider          *self,
                                                const SextantMarketResponse  *response,
                                                GError                      **error);
gboolean    sextant_market_parse_number        (const char                   *text,
                                                double                       *value);
double      sextant_market_json_get_number     (JsonObject                   *object,
                                                const char                   *member);
const char *sextant_market_json_get_string     (JsonObject                   *object,
                                                const char                   *member);
char       *sextant_market_json_dup_text       (JsonObject                   *object,
                                                const char                   *member);

gboolean    sextant_http_provider_check_json_integers (const char          *data,
                                                      gsize                 len);
JsonObject *sextant_http_provider_json_object        (SextantHttpProvider  *self,
                                                      JsonNode             *node,
                                                      const char           *member,
                                                      const char           *symbol,
                                                      GError              **error);
JsonObject *sextant_http_provider_json_get_object    (SextantHttpProvider  *self,
                                                      JsonObject           *object,
                                                      const char           *member,
                                                      const char           *symbol,
                                                      GError              **error);
JsonArray  *sextant_http_provider_json_get_array     (SextantHttpProvider  *self,
                                                      JsonObject           *object,
                                                      const char           *member,
                                                      const char           *symbol,
                                                      GError              **error);
gboolean    sextant_http_provider_json_get_number    (SextantHttpProvider  *self,
                                                      JsonObject           *object,
                                                      const char           *member,
                                                      const char           *symbol,
                                                      gboolean              required,
                                                      double               *value,
                                                      GError              **error);
gboolean    sextant_http_provider_json_element_number (SextantHttpProvider *self,
                                                      JsonArray            *array,
                                                      guint                 index,
                                                      const char           *member,
                                                      const char           *symbol,
                                                      double               *value,
                                                      GError              **error);
const char *sextant_http_provider_json_get_string    (SextantHttpProvider  *self,
                                                      JsonObject           *object,
                                                      const char           *member,
                                                      const char           *symbol,
                                                      GError              **error);
gboolean    sextant_http_provider_check_timestamp    (SextantHttpProvider  *self,
                                                      double                seconds,
                                                      const char           *member,
                                                      const char           *symbol,
                                                      gint64               *timestamp,
                                                      GError              **error);
gboolean    sextant_http_provider_check_bar          (SextantHttpProvider  *self,
                                                      const char           *row,
                                                      double                open,
                                                      double                high,
                                                      double                low,
                                                      double                close,
                                                      double                volume,
                                                      GError              **error);
gboolean    sextant_http_provider_check_quote        (SextantHttpProvider  *self,
                                                      const SextantQuote   *quote,
                                                      GError              **error);

G_END_DECLS
