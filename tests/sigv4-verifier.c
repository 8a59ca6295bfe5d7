#define G_LOG_DOMAIN "sigv4-verifier"

#include "config.h"

#include <string.h>

#include "sigv4-verifier.h"

/* Independent of src/core/bedrock/sextant-sigv4-signer.c on purpose: written from the AWS
 * documentation's algorithm (PROTOCOL.md §6), with its own encoding and header handling. It
 * only needs what Bedrock clients send: no dot segments, no folded header lines. For service
 * `s3` it applies S3's rules: the path encoded once, x-amz-content-sha256 required, signed and
 * equal to the body's hash. */

static const char *
header_value (const Sigv4VerifierRequest *request,
              const char                 *lower_name)
{
  for (guint i = 0; request->header_names[i] != NULL; i++)
    if (g_ascii_strcasecmp (request->header_names[i], lower_name) == 0)
      return request->header_values[i];

  return NULL;
}

/* RFC 3986 unreserved characters pass; every other byte, `%` included, becomes %XX. Applied to
 * the wire path this is the non-S3 "encode twice" rule. */
static char *
encode (const char *text,
        gboolean    keep_slash)
{
  GString *out = g_string_sized_new (strlen (text) * 3);

  for (const guchar *p = (const guchar *)text; *p; p++)
    {
      if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
          *p == '-' || *p == '_' || *p == '.' || *p == '~' || (keep_slash && *p == '/'))
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }

  return g_string_free (out, FALSE);
}

/* S3 encodes each path segment once: what the wire escapes is unescaped segment by segment
 * (split on the wire's slashes, so an escaped slash stays inside its segment) and encoded again. */
static char *
encode_s3_path (const char *raw_path)
{
  g_auto(GStrv) segments = g_strsplit (raw_path, "/", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; segments[i] != NULL; i++)
    {
      g_autofree char *plain = g_uri_unescape_segment (segments[i], NULL, NULL);
      g_autofree char *encoded = encode (plain != NULL ? plain : segments[i], FALSE);

      g_string_append_printf (out, "%s%s", i > 0 ? "/" : "", encoded);
    }
  if (out->len == 0)
    g_string_append_c (out, '/');

  return g_string_free (out, FALSE);
}

static int
strcmp_ptr (gconstpointer a,
            gconstpointer b)
{
  return strcmp (*(char * const *)a, *(char * const *)b);
}

static char *
canonical_query (const char *raw)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) pairs = NULL;

  if (raw == NULL || *raw == '\0')
    return g_strdup ("");
  pairs = g_strsplit (raw, "&", 0);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (pairs[i], "=", 2);
      g_autofree char *k = g_uri_unescape_string (kv[0], NULL);
      g_autofree char *v = kv[1] != NULL ? g_uri_unescape_string (kv[1], NULL) : g_strdup ("");
      g_autofree char *ek = encode (k != NULL ? k : kv[0], FALSE);
      g_autofree char *ev = encode (v != NULL ? v : "", FALSE);

      if (pairs[i][0] != '\0')
        g_ptr_array_add (items, g_strconcat (ek, "=", ev, NULL));
    }
  g_ptr_array_sort (items, strcmp_ptr);
  g_ptr_array_add (items, NULL);

  return g_strjoinv ("&", (char **)items->pdata);
}

static void
hmac (const guint8 *key,
      gsize         key_len,
      const char   *data,
      guint8        out[32])
{
  GHmac *h = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize n = 32;

  g_hmac_update (h, (const guchar *)data, -1);
  g_hmac_get_digest (h, out, &n);
  g_hmac_unref (h);
}

/* Extracts `Credential=…`, `SignedHeaders=…`, `Signature=…` from the Authorization value. */
static gboolean
parse_authorization (const char  *value,
                     char       **credential,
                     char       **signed_headers,
                     char       **signature)
{
  g_auto(GStrv) parts = NULL;

  if (value == NULL || !g_str_has_prefix (value, "AWS4-HMAC-SHA256 "))
    return FALSE;
  parts = g_strsplit (value + strlen ("AWS4-HMAC-SHA256 "), ",", 0);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *item = g_strstrip (parts[i]);

      if (g_str_has_prefix (item, "Credential="))
        *credential = g_strdup (item + 11);
      else if (g_str_has_prefix (item, "SignedHeaders="))
        *signed_headers = g_strdup (item + 14);
      else if (g_str_has_prefix (item, "Signature="))
        *signature = g_strdup (item + 10);
    }

  return *credential != NULL && *signed_headers != NULL && *signature != NULL;
}

static gboolean
fail (char       **reason,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  if (reason != NULL)
    *reason = g_strdup_vprintf (format, args);
  va_end (args);

  return FALSE;
}

static char *
build_canonical_headers (const Sigv4VerifierRequest  *request,
                         const char                  *signed_headers,
                         char                       **reason)
{
  g_auto(GStrv) names = g_strsplit (signed_headers, ";", 0);
  GString *out = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *value = header_value (request, names[i]);
      g_autofree char *trimmed = NULL;

      if (value == NULL)
        {
          fail (reason, "signed header “%s” is missing from the request", names[i]);
          g_string_free (out, TRUE);
          return NULL;
        }
      trimmed = g_strstrip (g_strdup (value));
      g_string_append_printf (out, "%s:%s\n", names[i], trimmed);
    }

  return g_string_free (out, FALSE);
}

gboolean
sigv4_verifier_check (const Sigv4VerifierRequest  *request,
                      const char                  *access_key_id,
                      const char                  *secret_access_key,
                      const char                  *expected_region,
                      const char                  *expected_service,
                      char                       **reason)
{
  g_autofree char *credential = NULL, *signed_headers = NULL, *signature = NULL;
  g_autofree char *uri = NULL, *query = NULL, *headers = NULL, *body_hash = NULL;
  g_autofree char *creq = NULL, *creq_hash = NULL, *sts = NULL, *scope = NULL, *k_secret = NULL;
  g_auto(GStrv) cred_parts = NULL;
  const char *amz_date = header_value (request, "x-amz-date");
  const char *declared_hash = header_value (request, "x-amz-content-sha256");
  guint8 k1[32], k2[32], k3[32], k4[32], sig[32];
  char hex[65];
  guint diff = 0;
  gboolean s3 = g_strcmp0 (expected_service, "s3") == 0;

  if (!parse_authorization (header_value (request, "authorization"), &credential, &signed_headers, &signature))
    return fail (reason, "no AWS4-HMAC-SHA256 Authorization header");
  cred_parts = g_strsplit (credential, "/", 0);
  if (g_strv_length (cred_parts) != 5 || strcmp (cred_parts[4], "aws4_request") != 0)
    return fail (reason, "malformed Credential “%s”", credential);
  if (strcmp (cred_parts[0], access_key_id) != 0)
    return fail (reason, "unknown access key id");
  if (strcmp (cred_parts[2], expected_region) != 0 || strcmp (cred_parts[3], expected_service) != 0)
    return fail (reason, "scope %s/%s, expected %s/%s", cred_parts[2], cred_parts[3], expected_region, expected_service);
  if (amz_date == NULL || strlen (amz_date) != 16 || strncmp (amz_date, cred_parts[1], 8) != 0)
    return fail (reason, "X-Amz-Date missing or not on the scope's date");
  if (strstr (signed_headers, "host") == NULL)
    return fail (reason, "host is not signed");

  if (s3)
    {
      g_autofree char *actual = NULL;
      g_autofree char *listed = g_strconcat (";", signed_headers, ";", NULL);

      /* S3's simple form: the body's own hash, declared and signed; never aws-chunked */
      if (declared_hash == NULL || strstr (listed, ";x-amz-content-sha256;") == NULL)
        return fail (reason, "S3 needs x-amz-content-sha256, signed");
      actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                            request->body != NULL ? request->body : (const guint8 *)"",
                                            request->body_len);
      if (strcmp (declared_hash, actual) != 0)
        return fail (reason, "x-amz-content-sha256 %s is not the body's hash", declared_hash);
      if (header_value (request, "content-encoding") != NULL &&
          strstr (header_value (request, "content-encoding"), "aws-chunked") != NULL)
        return fail (reason, "aws-chunked bodies are not expected");
    }
  uri = s3 ? encode_s3_path (request->raw_path) : encode (request->raw_path, TRUE);
  query = canonical_query (request->raw_query);
  if ((headers = build_canonical_headers (request, signed_headers, reason)) == NULL)
    return FALSE;
  body_hash = declared_hash != NULL ? g_strdup (declared_hash)
                                    : g_compute_checksum_for_data (G_CHECKSUM_SHA256, request->body != NULL ? request->body : (const guint8 *)"", request->body_len);
  creq = g_strdup_printf ("%s\n%s\n%s\n%s\n%s\n%s", request->method, uri, query, headers, signed_headers, body_hash);
  creq_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, creq, -1);
  scope = g_strdup_printf ("%s/%s/%s/aws4_request", cred_parts[1], cred_parts[2], cred_parts[3]);
  sts = g_strdup_printf ("AWS4-HMAC-SHA256\n%s\n%s\n%s", amz_date, scope, creq_hash);

  k_secret = g_strdup_printf ("AWS4%s", secret_access_key);
  hmac ((const guint8 *)k_secret, strlen (k_secret), cred_parts[1], k1);
  hmac (k1, 32, cred_parts[2], k2);
  hmac (k2, 32, cred_parts[3], k3);
  hmac (k3, 32, "aws4_request", k4);
  hmac (k4, 32, sts, sig);
  for (guint i = 0; i < 32; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", sig[i]);
  if (strlen (signature) != 64)
    return fail (reason, "signature is not 64 hex digits");
  for (guint i = 0; i < 64; i++)
    diff |= (guint)(hex[i] ^ signature[i]);
  if (diff != 0)
    return fail (reason, "signature mismatch (canonical URI %s)", uri);

  return TRUE;
}
