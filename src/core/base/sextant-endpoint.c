#define G_LOG_DOMAIN "sextant-endpoint"

#include "config.h"

#include <gio/gio.h>

#include "base/sextant-endpoint.h"

/* Every request to Bedrock carries a SigV4 signature or a bearer key, and every request to a
 * market provider its API key in the query or a header: over plain http:// they would travel in
 * clear to whoever is on the path. Overrides exist for local fakes and proxies, which listen on
 * this computer, so only loopback may be reached without TLS unless the user says otherwise.
 * Both bedrock/ (endpoint overrides) and market/ (provider base URLs) apply this one rule. */

#define ALLOW_VARIABLE "SEXTANT_ALLOW_INSECURE_ENDPOINT"

/**
 * sextant_endpoint_is_loopback:
 * @url: an absolute URL
 *
 * Returns: whether @url's host is `localhost`, an address in 127.0.0.0/8 or `::1`
 */
gboolean
sextant_endpoint_is_loopback (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  g_return_val_if_fail (url != NULL, FALSE);

  if ((uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL)) == NULL ||
      (host = g_uri_get_host (uri)) == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  /* GUri gives an IPv6 literal without its brackets. */
  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * sextant_endpoint_check_transport:
 * @url: (nullable): a base URL the user configured
 * @source: where it came from, for the message (`AWS_ENDPOINT_URL`, a settings key, …)
 * @domain: the error domain of the caller
 * @code: the error code to set
 * @error: return location
 *
 * Refuses a plain `http://` URL to a host other than this computer, since credentials would
 * travel in clear, unless `SEXTANT_ALLOW_INSECURE_ENDPOINT=1` is set. `https://`, loopback and
 * %NULL pass.
 *
 * Returns: %TRUE when requests may be sent to @url
 */
gboolean
sextant_endpoint_check_transport (const char  *url,
                                  const char  *source,
                                  GQuark       domain,
                                  int          code,
                                  GError     **error)
{
  g_autofree char *scheme = NULL;

  g_return_val_if_fail (source != NULL, FALSE);

  if (url == NULL || (scheme = g_uri_parse_scheme (url)) == NULL ||
      g_ascii_strcasecmp (scheme, "http") != 0 || sextant_endpoint_is_loopback (url))
    return TRUE;
  if (g_strcmp0 (g_getenv (ALLOW_VARIABLE), "1") == 0)
    {
      g_debug ("Plain HTTP to %s (%s) allowed by " ALLOW_VARIABLE, url, source);
      return TRUE;
    }
  g_set_error (error, domain, code,
               "Refusing the plain-HTTP endpoint %s (from %s): the credentials of each request "
               "would travel unencrypted to a host other than this computer. Use https://, or set "
               ALLOW_VARIABLE "=1 to allow it", url, source);

  return FALSE;
}
