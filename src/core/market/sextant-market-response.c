#define G_LOG_DOMAIN "sextant-market-response"

#include "config.h"

#include <string.h>

#include "market/sextant-market-response.h"

G_DEFINE_BOXED_TYPE (SextantMarketResponse, sextant_market_response,
                     sextant_market_response_copy, sextant_market_response_free)

/**
 * sextant_market_response_new:
 * @provider: the provider id
 * @kind: `quote` or `daily`
 * @symbol: the symbol asked for
 * @status: HTTP status
 * @content_type: (nullable): the media type
 * @body: (nullable): the body; an empty one is stored when %NULL
 *
 * Returns: (transfer full): a new response
 */
SextantMarketResponse *
sextant_market_response_new (const char *provider,
                             const char *kind,
                             const char *symbol,
                             guint       status,
                             const char *content_type,
                             GBytes     *body)
{
  SextantMarketResponse *self = g_new0 (SextantMarketResponse, 1);

  self->provider = g_strdup (provider);
  self->kind = g_strdup (kind);
  self->symbol = g_strdup (symbol);
  self->status = status;
  self->content_type = g_strdup (content_type);
  self->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  self->fetched_at = g_get_real_time () / G_USEC_PER_SEC;

  return self;
}

SextantMarketResponse *
sextant_market_response_copy (const SextantMarketResponse *self)
{
  SextantMarketResponse *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = sextant_market_response_new (self->provider, self->kind, self->symbol, self->status,
                                      self->content_type, self->body);
  copy->url = g_strdup (self->url);
  copy->retry_after = self->retry_after;
  copy->fetched_at = self->fetched_at;
  copy->from_day = self->from_day;
  copy->to_day = self->to_day;

  return copy;
}

void
sextant_market_response_free (SextantMarketResponse *self)
{
  if (self == NULL)
    return;

  g_free (self->provider);
  g_free (self->kind);
  g_free (self->symbol);
  g_free (self->url);
  g_free (self->content_type);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self);
}

/**
 * sextant_market_response_looks_like_html:
 * @self: a response
 *
 * Challenge and error pages come with HTTP 200 from some providers, so the status alone proves
 * nothing: the content type and the first non-blank byte are what give them away.
 *
 * Returns: %TRUE if the body is an HTML page
 */
gboolean
sextant_market_response_looks_like_html (const SextantMarketResponse *self)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (self->body, &len);
  gsize i = 0;

  if (self->content_type != NULL && strstr (self->content_type, "html") != NULL)
    return TRUE;
  while (i < len && g_ascii_isspace (data[i]))
    i++;

  return i < len && data[i] == '<';
}

/**
 * sextant_market_redact_url:
 * @url: a request URL
 *
 * Keys travel in the query for Alpha Vantage and Stooq; the stored URL must not carry them.
 *
 * Returns: (transfer full): @url with the values of `apikey`, `token` and `key` replaced by `REDACTED`
 */
char *
sextant_market_redact_url (const char *url)
{
  static const char *secret_params[] = { "apikey=", "token=", "key=" };
  GString *out = g_string_new (NULL);
  const char *p = url;

  while (*p != '\0')
    {
      gboolean redacted = FALSE;

      g_string_append_c (out, *p);
      if (*p == '?' || *p == '&')
        for (guint i = 0; i < G_N_ELEMENTS (secret_params) && !redacted; i++)
          if (g_ascii_strncasecmp (p + 1, secret_params[i], strlen (secret_params[i])) == 0)
            {
              g_string_append (out, secret_params[i]);
              g_string_append (out, "REDACTED");
              p += 1 + strlen (secret_params[i]);
              while (*p != '\0' && *p != '&' && *p != '#')
                p++;
              redacted = TRUE;
            }
      if (!redacted)
        p++;
    }

  return g_string_free (out, FALSE);
}
