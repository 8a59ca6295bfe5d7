#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEXTANT_TYPE_MARKET_RESPONSE (sextant_market_response_get_type ())

/**
 * SextantMarketResponse:
 * @provider: the provider id
 * @kind: `quote` or `daily`
 * @symbol: the requested symbol
 * @url: the request URL with every key-bearing parameter redacted
 * @status: the HTTP status
 * @content_type: the Content-Type without parameters, or %NULL
 * @body: the body as received
 * @retry_after: seconds from a Retry-After header, or 0
 * @fetched_at: when it arrived, unix seconds
 * @from_day: for daily bars, the first day asked for; 0 when the provider gives all it has
 *   whatever the range (Alpha Vantage)
 * @to_day: the last day asked for, 0 for "up to the time of the fetch"
 *
 * One provider answer, kept whole so that the data lake can store it and re-parse it later with a
 * fixed parser, even for answers that were errors.
 */
typedef struct
{
  char   *provider;
  char   *kind;
  char   *symbol;
  char   *url;
  guint   status;
  char   *content_type;
  GBytes *body;
  guint   retry_after;
  gint64  fetched_at;
  gint32  from_day;
  gint32  to_day;
} SextantMarketResponse;

GType                  sextant_market_response_get_type (void) G_GNUC_CONST;
SextantMarketResponse *sextant_market_response_new      (const char                  *provider,
                                                         const char                  *kind,
                                                         const char                  *symbol,
                                                         guint                        status,
                                                         const char                  *content_type,
                                                         GBytes                      *body);
SextantMarketResponse *sextant_market_response_copy     (const SextantMarketResponse *self);
void                   sextant_market_response_free     (SextantMarketResponse       *self);
gboolean               sextant_market_response_looks_like_html (const SextantMarketResponse *self);
char                  *sextant_market_redact_url        (const char                  *url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantMarketResponse, sextant_market_response_free)

G_END_DECLS
