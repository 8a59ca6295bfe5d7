#define G_LOG_DOMAIN "sextant-sigv4-signer"

#include "config.h"

#include <string.h>

#include "bedrock/sextant-bedrock-error.h"
#include "base/sextant-log-writer.h"
#include "bedrock/sextant-sigv4-signer.h"

/* AWS Signature Version 4 (PROTOCOL.md §6), written against the AWS test suite rather than an
 * SDK: GChecksum and GHmac give SHA-256 and HMAC-SHA256, everything else is string work. */

#define ALGORITHM "AWS4-HMAC-SHA256"
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct _SextantSigv4Signer
{
  GObject  parent_instance;
  char    *region;
  char    *service;
  char    *access_key_id;
  char    *secret_access_key;
  char    *session_token;
  /* The derived key only changes with the day, so it is cached: four HMACs are most of the
   * cost of a signature. */
  char     key_date[9];
  guint8   signing_key[32];
};

G_DEFINE_FINAL_TYPE (SextantSigv4Signer, sextant_sigv4_signer, G_TYPE_OBJECT)

typedef struct
{
  char    *name;
  GString *value;
} CanonicalHeader;

static void
sextant_sigv4_signer_finalize (GObject *object)
{
  SextantSigv4Signer *self = (SextantSigv4Signer *)object;

  g_free (self->region);
  g_free (self->service);
  g_free (self->access_key_id);
  g_free (self->secret_access_key);
  g_free (self->session_token);
  memset (self->signing_key, 0, sizeof self->signing_key);

  G_OBJECT_CLASS (sextant_sigv4_signer_parent_class)->finalize (object);
}

static void
sextant_sigv4_signer_class_init (SextantSigv4SignerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_sigv4_signer_finalize;
}

static void
sextant_sigv4_signer_init (SextantSigv4Signer *self)
{
}

/**
 * sextant_sigv4_signer_new:
 * @region: the region in the credential scope, such as `us-east-1`
 * @service: the signing name; `bedrock` for every Bedrock endpoint
 *
 * Returns: (transfer full): a signer without credentials
 */
SextantSigv4Signer *
sextant_sigv4_signer_new (const char *region,
                          const char *service)
{
  SextantSigv4Signer *self;

  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (service != NULL, NULL);

  self = g_object_new (SEXTANT_TYPE_SIGV4_SIGNER, NULL);
  self->region = g_strdup (region);
  self->service = g_strdup (service);

  return self;
}

const char *
sextant_sigv4_signer_get_region (SextantSigv4Signer *self)
{
  g_return_val_if_fail (SEXTANT_IS_SIGV4_SIGNER (self), NULL);

  return self->region;
}

/**
 * sextant_sigv4_signer_set_credentials:
 * @self: a signer
 * @access_key_id: the access key id
 * @secret_access_key: the secret key
 * @session_token: (nullable): the session token of temporary credentials
 *
 * The secret and the token are registered with the log writer so they are redacted.
 */
void
sextant_sigv4_signer_set_credentials (SextantSigv4Signer *self,
                                      const char         *access_key_id,
                                      const char         *secret_access_key,
                                      const char         *session_token)
{
  g_return_if_fail (SEXTANT_IS_SIGV4_SIGNER (self));
  g_return_if_fail (access_key_id != NULL && secret_access_key != NULL);

  g_free (self->access_key_id);
  g_free (self->secret_access_key);
  g_free (self->session_token);
  self->access_key_id = g_strdup (access_key_id);
  self->secret_access_key = g_strdup (secret_access_key);
  self->session_token = session_token != NULL && *session_token ? g_strdup (session_token) : NULL;
  self->key_date[0] = '\0';
  sextant_log_writer_register_secret (secret_access_key);
  if (self->session_token != NULL)
    sextant_log_writer_register_secret (self->session_token);
}

void
sextant_sigv4_signature_free (SextantSigv4Signature *signature)
{
  if (signature == NULL)
    return;
  g_free (signature->canonical_request);
  g_free (signature->string_to_sign);
  g_free (signature->signed_headers);
  g_free (signature->signature);
  g_free (signature->authorization);
  g_free (signature);
}

char *
sextant_sigv4_hex_sha256 (const guint8 *data,
                          gsize         len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data != NULL ? data : (const guint8 *)"",
                                      len);
}

static void
hmac_sha256 (const guint8 *key,
             gsize         key_len,
             const char   *data,
             guint8        out[32])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize out_len = 32;

  g_hmac_update (hmac, (const guchar *)data, strlen (data));
  g_hmac_get_digest (hmac, out, &out_len);
}

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '~';
}

static void
append_uri_encoded (GString    *out,
                    const char *text,
                    gssize      len,
                    gboolean    keep_slash)
{
  static const char hex[] = "0123456789ABCDEF";

  if (len < 0)
    len = strlen (text);
  for (gssize i = 0; i < len; i++)
    {
      guchar c = text[i];

      if (is_unreserved (c) || (keep_slash && c == '/'))
        g_string_append_c (out, c);
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 15]);
        }
    }
}

/* Removes `.`, `..` and empty segments like botocore's normalize_url_path (posixpath.normpath
 * keeping a trailing slash); S3 alone skips this. */
static char *
normalize_path (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  GString *out = g_string_new ("/");
  gboolean trailing = g_str_has_suffix (path, "/");

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || strcmp (parts[i], ".") == 0)
        continue;
      if (strcmp (parts[i], "..") == 0)
        {
          if (kept->len > 0)
            g_ptr_array_remove_index (kept, kept->len - 1);
          continue;
        }
      g_ptr_array_add (kept, parts[i]);
    }
  for (guint i = 0; i < kept->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "/" : "", (char *)kept->pdata[i]);
  if (trailing && kept->len > 0)
    g_string_append_c (out, '/');

  return g_string_free (out, FALSE);
}

/**
 * sextant_sigv4_canonical_uri:
 * @path: the path exactly as sent on the wire (already percent-encoded)
 * @normalize: whether to remove dot segments and empty segments
 *
 * Non-S3 services encode the wire path once more, so `%3A` becomes `%253A` (PROTOCOL.md §1).
 *
 * Returns: (transfer full): the canonical URI
 */
char *
sextant_sigv4_canonical_uri (const char *path,
                             gboolean    normalize)
{
  g_autofree char *normal = NULL;
  GString *out = g_string_new (NULL);

  if (path == NULL || *path == '\0')
    path = "/";
  normal = normalize ? normalize_path (path) : g_strdup (path);
  append_uri_encoded (out, normal, -1, TRUE);

  return g_string_free (out, FALSE);
}

/**
 * sextant_sigv4_canonical_uri_s3:
 * @path: the path exactly as sent on the wire
 *
 * S3 signs the object key's URI encoding once: what the wire path escapes is decoded and every
 * byte outside the unreserved set is escaped again, so `/test$file.text` and `/test%24file.text`
 * both sign as `/test%24file.text` and `%3A` stays `%3A`. An escaped slash stays escaped, since
 * it is part of a key, not a separator. Dot segments and `//` are kept: they are part of keys.
 *
 * Returns: (transfer full): the canonical URI
 */
char *
sextant_sigv4_canonical_uri_s3 (const char *path)
{
  GString *out = g_string_new (NULL);

  if (path == NULL || *path == '\0')
    path = "/";
  for (const char *p = path; *p != '\0'; p++)
    {
      int hi, lo;
      char byte;

      if (*p != '%' || (hi = g_ascii_xdigit_value (p[1])) < 0 ||
          (lo = g_ascii_xdigit_value (p[2])) < 0)
        {
          append_uri_encoded (out, p, 1, TRUE);
          continue;
        }
      byte = (char) (hi * 16 + lo);
      /* an escaped slash is part of a key and stays escaped */
      append_uri_encoded (out, &byte, 1, byte != '/');
      p += 2;
    }

  return g_string_free (out, FALSE);
}

static int
compare_query_pairs (gconstpointer a,
                     gconstpointer b)
{
  const char *pa = *(const char * const *)a;
  const char *pb = *(const char * const *)b;
  gsize ka = strcspn (pa, "=");
  gsize kb = strcspn (pb, "=");
  int cmp = strncmp (pa, pb, MIN (ka, kb));

  if (cmp != 0)
    return cmp;
  if (ka != kb)
    return ka < kb ? -1 : 1;

  return strcmp (pa + ka, pb + kb);
}

static void
append_query_component (GString    *out,
                        const char *raw,
                        gssize      len)
{
  g_autofree char *copy = g_strndup (raw, len);
  g_autofree char *decoded = g_uri_unescape_string (copy, NULL);

  /* A component that does not decode is signed as it was sent. */
  append_uri_encoded (out, decoded != NULL ? decoded : copy, -1, FALSE);
}

/**
 * sextant_sigv4_canonical_query:
 * @query: (nullable): the raw query string, without `?`
 *
 * Returns: (transfer full): pairs decoded, re-encoded with the unreserved set and sorted by
 *   key then value
 */
char *
sextant_sigv4_canonical_query (const char *query)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  if (query == NULL || *query == '\0')
    return g_string_free (out, FALSE);

  parts = g_strsplit (query, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      GString *pair;
      const char *eq;

      if (parts[i][0] == '\0')
        continue;
      pair = g_string_new (NULL);
      eq = strchr (parts[i], '=');
      append_query_component (pair, parts[i], eq != NULL ? eq - parts[i] : (gssize)strlen (parts[i]));
      g_string_append_c (pair, '=');
      if (eq != NULL)
        append_query_component (pair, eq + 1, strlen (eq + 1));
      g_ptr_array_add (pairs, g_string_free (pair, FALSE));
    }
  g_ptr_array_sort (pairs, compare_query_pairs);
  for (guint i = 0; i < pairs->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "&" : "", (char *)pairs->pdata[i]);

  return g_string_free (out, FALSE);
}

/* Trims and collapses inner whitespace runs to one space, as the suite's
 * get-header-value-trim and get-header-value-multiline cases require. */
static void
append_trimmed_value (GString    *out,
                      const char *value)
{
  gboolean pending_space = FALSE;

  while (g_ascii_isspace (*value))
    value++;
  for (; *value; value++)
    {
      if (g_ascii_isspace (*value))
        {
          pending_space = TRUE;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_c (out, *value);
    }
}

static void
canonical_header_free (gpointer data)
{
  CanonicalHeader *header = data;

  g_free (header->name);
  g_string_free (header->value, TRUE);
  g_free (header);
}

static int
compare_headers (gconstpointer a,
                 gconstpointer b)
{
  const CanonicalHeader *ha = *(CanonicalHeader * const *)a;
  const CanonicalHeader *hb = *(CanonicalHeader * const *)b;

  return strcmp (ha->name, hb->name);
}

static gboolean
is_unsigned_header (const char *lower_name)
{
  /* botocore never signs these: proxies and libsoup may rewrite them. */
  static const char *skip[] = { "authorization", "user-agent", "expect", "x-amzn-trace-id",
                                "connection", "accept-encoding" };

  for (guint i = 0; i < G_N_ELEMENTS (skip); i++)
    if (strcmp (lower_name, skip[i]) == 0)
      return TRUE;

  return FALSE;
}

static GPtrArray *
collect_headers (SoupMessageHeaders *headers)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (canonical_header_free);
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);
      CanonicalHeader *header;

      if (is_unsigned_header (lower))
        continue;
      header = g_hash_table_lookup (by_name, lower);
      if (header == NULL)
        {
          header = g_new0 (CanonicalHeader, 1);
          header->name = g_steal_pointer (&lower);
          header->value = g_string_new (NULL);
          g_hash_table_insert (by_name, header->name, header);
          g_ptr_array_add (list, header);
        }
      else
        g_string_append_c (header->value, ',');
      append_trimmed_value (header->value, value);
    }
  g_ptr_array_sort (list, compare_headers);

  return list;
}

static void
derive_signing_key (SextantSigv4Signer *self,
                    const char         *date)
{
  g_autofree char *k_secret = NULL;
  guint8 k_date[32];
  guint8 k_region[32];
  guint8 k_service[32];

  if (strcmp (self->key_date, date) == 0)
    return;
  k_secret = g_strconcat ("AWS4", self->secret_access_key, NULL);
  hmac_sha256 ((const guint8 *)k_secret, strlen (k_secret), date, k_date);
  hmac_sha256 (k_date, 32, self->region, k_region);
  hmac_sha256 (k_region, 32, self->service, k_service);
  hmac_sha256 (k_service, 32, "aws4_request", self->signing_key);
  g_strlcpy (self->key_date, date, sizeof self->key_date);
  memset (k_secret, 0, strlen (k_secret));
}

static char *
build_canonical_request (const char         *method,
                         const char         *path,
                         const char         *query,
                         SoupMessageHeaders *headers,
                         const char         *payload_hash,
                         SextantSigv4Flags   flags,
                         char              **signed_headers)
{
  g_autoptr(GPtrArray) list = collect_headers (headers);
  g_autofree char *uri = (flags & SEXTANT_SIGV4_S3)
                         ? sextant_sigv4_canonical_uri_s3 (path)
                         : sextant_sigv4_canonical_uri (path, !(flags & SEXTANT_SIGV4_NO_NORMALIZE_PATH));
  g_autofree char *canonical_query = sextant_sigv4_canonical_query (query);
  GString *names = g_string_new (NULL);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s\n%s\n%s\n", method, uri, canonical_query);
  for (guint i = 0; i < list->len; i++)
    {
      CanonicalHeader *header = list->pdata[i];

      g_string_append_printf (out, "%s:%s\n", header->name, header->value->str);
      g_string_append_printf (names, "%s%s", i > 0 ? ";" : "", header->name);
    }
  g_string_append_printf (out, "\n%s\n%s", names->str, payload_hash);
  *signed_headers = g_string_free (names, FALSE);

  return g_string_free (out, FALSE);
}

/* Adds X-Amz-Date and the session token; returns the payload hash (an X-Amz-Content-SHA256
 * already present is used literally, as for UNSIGNED-PAYLOAD). */
static char *
prepare_headers (SextantSigv4Signer  *self,
                 SoupMessageHeaders  *headers,
                 const guint8        *body,
                 gsize                body_len,
                 GDateTime           *when,
                 SextantSigv4Flags    flags,
                 char               **amz_date)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);
  const char *given_hash;
  char *payload_hash;

  *amz_date = g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
  soup_message_headers_replace (headers, "X-Amz-Date", *amz_date);
  if (self->session_token != NULL && !(flags & SEXTANT_SIGV4_OMIT_SESSION_TOKEN))
    soup_message_headers_replace (headers, "X-Amz-Security-Token", self->session_token);
  given_hash = soup_message_headers_get_one (headers, "X-Amz-Content-SHA256");
  payload_hash = given_hash != NULL ? g_strdup (given_hash) : sextant_sigv4_hex_sha256 (body, body_len);
  if ((flags & (SEXTANT_SIGV4_SIGN_BODY | SEXTANT_SIGV4_S3)) && given_hash == NULL)
    soup_message_headers_replace (headers, "X-Amz-Content-SHA256", payload_hash);

  return payload_hash;
}

static void
compute_signature (SextantSigv4Signer    *self,
                   SextantSigv4Signature *sig,
                   const char            *amz_date)
{
  g_autofree char *request_hash = NULL;
  g_autofree char *scope = NULL;
  char date[9];
  guint8 raw[32];
  char hex[65];

  request_hash = sextant_sigv4_hex_sha256 ((const guint8 *)sig->canonical_request, strlen (sig->canonical_request));
  scope = g_strdup_printf ("%.8s/%s/%s/aws4_request", amz_date, self->region, self->service);
  sig->string_to_sign = g_strdup_printf (ALGORITHM "\n%s\n%s\n%s", amz_date, scope, request_hash);
  g_strlcpy (date, amz_date, sizeof date);
  derive_signing_key (self, date);
  hmac_sha256 (self->signing_key, 32, sig->string_to_sign, raw);
  for (guint i = 0; i < 32; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", raw[i]);
  sig->signature = g_strdup (hex);
  sig->authorization = g_strdup_printf (ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                                        self->access_key_id, scope, sig->signed_headers, hex);
}

/**
 * sextant_sigv4_signer_sign:
 * @self: a signer with credentials
 * @method: the HTTP method
 * @path: the path as sent on the wire
 * @query: (nullable): the raw query
 * @headers: (inout): the headers to sign; `X-Amz-Date`, `X-Amz-Security-Token`, and with
 *   %SEXTANT_SIGV4_SIGN_BODY `X-Amz-Content-SHA256` are added, then `Authorization` is set
 * @body: (nullable) (array length=body_len): the exact body bytes
 * @body_len: length of @body
 * @when: the signing time
 * @flags: variants the AWS suite exercises
 *
 * Every header in @headers is signed except those SDKs leave out (user-agent, expect, …).
 * An `X-Amz-Content-SHA256` header already present replaces the body hash literally.
 *
 * Returns: (transfer full): the intermediate strings and the signature
 */
SextantSigv4Signature *
sextant_sigv4_signer_sign (SextantSigv4Signer *self,
                           const char         *method,
                           const char         *path,
                           const char         *query,
                           SoupMessageHeaders *headers,
                           const guint8       *body,
                           gsize               body_len,
                           GDateTime          *when,
                           SextantSigv4Flags   flags)
{
  SextantSigv4Signature *sig;
  g_autofree char *amz_date = NULL;
  g_autofree char *payload_hash = NULL;

  g_return_val_if_fail (SEXTANT_IS_SIGV4_SIGNER (self), NULL);
  g_return_val_if_fail (self->secret_access_key != NULL, NULL);
  g_return_val_if_fail (method != NULL && headers != NULL && when != NULL, NULL);

  payload_hash = prepare_headers (self, headers, body, body_len, when, flags, &amz_date);
  sig = g_new0 (SextantSigv4Signature, 1);
  sig->canonical_request = build_canonical_request (method, path, query, headers, payload_hash,
                                                    flags, &sig->signed_headers);
  compute_signature (self, sig, amz_date);
  soup_message_headers_replace (headers, "Authorization", sig->authorization);
  if (self->session_token != NULL && (flags & SEXTANT_SIGV4_OMIT_SESSION_TOKEN))
    soup_message_headers_replace (headers, "X-Amz-Security-Token", self->session_token);

  return sig;
}

static char *
host_header_for (GUri *uri)
{
  int port = g_uri_get_port (uri);
  const char *scheme = g_uri_get_scheme (uri);

  /* libsoup writes the port only when it is not the scheme's default. */
  if (port < 0 || (port == 443 && g_strcmp0 (scheme, "https") == 0) ||
      (port == 80 && g_strcmp0 (scheme, "http") == 0))
    return g_strdup (g_uri_get_host (uri));

  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
}

/**
 * sextant_sigv4_signer_sign_message:
 * @self: a signer with credentials
 * @message: a request whose URI, `Content-Type` and `Accept` are final
 * @body: (nullable): the exact body that will be sent
 * @when: (nullable): the signing time, or %NULL for now
 * @error: return location for an error
 *
 * Signs what Bedrock SDKs sign (`accept;content-type;host;x-amz-date` plus the session token),
 * with the path exactly as libsoup will send it, and sets `Host` to the signed value.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_sigv4_signer_sign_message (SextantSigv4Signer  *self,
                                   SoupMessage         *message,
                                   GBytes              *body,
                                   GDateTime           *when,
                                   GError             **error)
{
  SoupMessageHeaders *request_headers = soup_message_get_request_headers (message);
  g_autoptr(SoupMessageHeaders) to_sign = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(SextantSigv4Signature) sig = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *host = NULL;
  GUri *uri = soup_message_get_uri (message);
  const char *copy[] = { "Content-Type", "Accept" };
  const char *out[] = { "X-Amz-Date", "X-Amz-Security-Token", "Authorization" };

  g_return_val_if_fail (SEXTANT_IS_SIGV4_SIGNER (self), FALSE);
  g_return_val_if_fail (SOUP_IS_MESSAGE (message), FALSE);

  if (self->access_key_id == NULL || self->secret_access_key == NULL)
    {
      g_set_error_literal (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS,
                           "No AWS access key to sign the request with");
      return FALSE;
    }
  host = host_header_for (uri);
  soup_message_headers_replace (request_headers, "Host", host);
  soup_message_headers_append (to_sign, "Host", host);
  for (guint i = 0; i < G_N_ELEMENTS (copy); i++)
    {
      const char *value = soup_message_headers_get_one (request_headers, copy[i]);

      if (value != NULL)
        soup_message_headers_append (to_sign, copy[i], value);
    }
  if (when == NULL)
    when = now = g_date_time_new_now_utc ();
  sig = sextant_sigv4_signer_sign (self, soup_message_get_method (message), g_uri_get_path (uri),
                                   g_uri_get_query (uri), to_sign,
                                   body != NULL ? g_bytes_get_data (body, NULL) : NULL,
                                   body != NULL ? g_bytes_get_size (body) : 0, when,
                                   SEXTANT_SIGV4_FLAGS_NONE);
  for (guint i = 0; i < G_N_ELEMENTS (out); i++)
    {
      const char *value = soup_message_headers_get_one (to_sign, out[i]);

      if (value != NULL)
        soup_message_headers_replace (request_headers, out[i], value);
    }

  return TRUE;
}

/**
 * sextant_sigv4_signer_sign_s3_message:
 * @self: a signer for service `s3` with credentials
 * @message: a request whose URI and headers are final
 * @body: (nullable): the body to send, or %NULL for none
 * @when: (nullable): the signing time, or %NULL for now
 * @error: return location for an error
 *
 * Signs a request to Amazon S3 in its simple form: the body is set on @message with a
 * `Content-Length` (never `aws-chunked`), `X-Amz-Content-SHA256` is its hex SHA-256, and every
 * header of @message is signed with `Host`, `X-Amz-Date` and that hash (the hop-by-hop and
 * client headers SDKs leave out excepted).
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_sigv4_signer_sign_s3_message (SextantSigv4Signer  *self,
                                      SoupMessage         *message,
                                      GBytes              *body,
                                      GDateTime           *when,
                                      GError             **error)
{
  SoupMessageHeaders *request_headers = soup_message_get_request_headers (message);
  g_autoptr(SoupMessageHeaders) to_sign = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(SextantSigv4Signature) sig = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *host = NULL;
  g_autofree char *hash = NULL;
  GUri *uri = soup_message_get_uri (message);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  const char *out[] = { "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256",
                        "Authorization" };

  g_return_val_if_fail (SEXTANT_IS_SIGV4_SIGNER (self), FALSE);
  g_return_val_if_fail (SOUP_IS_MESSAGE (message), FALSE);

  if (self->access_key_id == NULL || self->secret_access_key == NULL)
    {
      g_set_error_literal (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS,
                           "No AWS access key to sign the request with");
      return FALSE;
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message,
                                              soup_message_headers_get_content_type (request_headers, NULL),
                                              body);
  hash = sextant_sigv4_hex_sha256 (body != NULL ? g_bytes_get_data (body, NULL) : NULL,
                                   body != NULL ? g_bytes_get_size (body) : 0);
  host = host_header_for (uri);
  soup_message_headers_replace (request_headers, "Host", host);
  soup_message_headers_replace (request_headers, "X-Amz-Content-SHA256", hash);
  soup_message_headers_remove (request_headers, "Authorization");
  soup_message_headers_iter_init (&iter, request_headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    /* libsoup writes Content-Length from the body; SDKs do not sign it */
    if (g_ascii_strcasecmp (name, "Content-Length") != 0)
      soup_message_headers_append (to_sign, name, value);
  if (when == NULL)
    when = now = g_date_time_new_now_utc ();
  sig = sextant_sigv4_signer_sign (self, soup_message_get_method (message), g_uri_get_path (uri),
                                   g_uri_get_query (uri), to_sign,
                                   body != NULL ? g_bytes_get_data (body, NULL) : NULL,
                                   body != NULL ? g_bytes_get_size (body) : 0, when,
                                   SEXTANT_SIGV4_S3);
  for (guint i = 0; i < G_N_ELEMENTS (out); i++)
    {
      const char *signed_value = soup_message_headers_get_one (to_sign, out[i]);

      if (signed_value != NULL)
        soup_message_headers_replace (request_headers, out[i], signed_value);
    }

  return TRUE;
}

/**
 * sextant_bearer_auth_apply:
 * @message: a request
 * @api_key: a Bedrock API key
 *
 * Bedrock API keys replace SigV4 with `Authorization: Bearer` (smithy httpBearerAuth).
 */
void
sextant_bearer_auth_apply (SoupMessage *message,
                           const char  *api_key)
{
  g_autofree char *value = NULL;

  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (api_key != NULL);

  sextant_log_writer_register_secret (api_key);
  value = g_strconcat ("Bearer ", api_key, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", value);
}
