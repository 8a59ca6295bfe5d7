#define G_LOG_DOMAIN "test-bedrock-verifier"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"
#include "sigv4-verifier.h"

/* The fake server's SigV4 verifier must accept the published signed requests of
 * sigv4/bedrock-derived/ (signed by botocore, not by Sextant) and reject a tampered body, a
 * wrong canonical path, a wrong secret and a changed signed header. */

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

typedef struct
{
  char      *method;
  char      *path;
  char      *query;
  GPtrArray *names;
  GPtrArray *values;
  char      *body;
} Parsed;

static void
parsed_free (Parsed *p)
{
  g_free (p->method);
  g_free (p->path);
  g_free (p->query);
  g_ptr_array_unref (p->names);
  g_ptr_array_unref (p->values);
  g_free (p->body);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Parsed, parsed_free)

static Parsed *
parse_signed_request (const char *case_name)
{
  g_autofree char *rel = g_strdup_printf ("bedrock/sigv4/bedrock-derived/%s/header-signed-request.txt", case_name);
  g_autofree char *path = sextant_test_reference_path (rel);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  Parsed *p = g_new0 (Parsed, 1);
  const char *blank;
  char **first;
  char *question;
  guint i;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  blank = strstr (text, "\n\n");
  p->body = g_strdup (blank != NULL ? blank + 2 : "");
  if (blank != NULL)
    text[blank - text] = '\0';
  lines = g_strsplit (text, "\n", -1);
  first = g_strsplit (lines[0], " ", 3);
  p->method = g_strdup (first[0]);
  question = strchr (first[1], '?');
  p->query = question != NULL ? g_strdup (question + 1) : NULL;
  if (question != NULL)
    *question = '\0';
  p->path = g_strdup (first[1]);
  g_strfreev (first);
  p->names = g_ptr_array_new_with_free_func (g_free);
  p->values = g_ptr_array_new_with_free_func (g_free);
  for (i = 1; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon == NULL)
        continue;
      g_ptr_array_add (p->names, g_strndup (lines[i], colon - lines[i]));
      g_ptr_array_add (p->values, g_strdup (colon + 1));
    }
  g_ptr_array_add (p->names, NULL);
  g_ptr_array_add (p->values, NULL);

  return p;
}

static gboolean
check (Parsed     *p,
       const char *secret,
       const char *region,
       char      **reason)
{
  Sigv4VerifierRequest raw = {
    .method = p->method,
    .raw_path = p->path,
    .raw_query = p->query,
    .header_names = (const char **)p->names->pdata,
    .header_values = (const char **)p->values->pdata,
    .body = (const guint8 *)p->body,
    .body_len = strlen (p->body),
  };

  return sigv4_verifier_check (&raw, AKID, secret, region, "bedrock", reason);
}

static const struct { const char *name; const char *region; } cases[] = {
  { "converse-foundation-model", "us-east-1" },
  { "converse-model-arn", "us-west-2" },
  { "invoke-titan-embed-v2", "us-east-1" },
  { "list-foundation-models-query", "us-east-1" },
  { "converse-unsigned-payload-header", "us-east-1" },
};

static void
test_accepts_published_requests (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Parsed) p = parse_signed_request (cases[i].name);
      g_autofree char *reason = NULL;

      g_test_message ("%s", cases[i].name);
      if (!check (p, SECRET, cases[i].region, &reason))
        g_error ("%s rejected: %s", cases[i].name, reason);
    }
}

static void
test_rejects_tampered_body (void)
{
  g_autoptr(Parsed) p = parse_signed_request ("converse-model-arn");
  g_autofree char *reason = NULL;
  char *hello = strstr (p->body, "Hello");

  hello[0] = 'J';
  g_assert_false (check (p, SECRET, "us-west-2", &reason));
  g_assert_nonnull (strstr (reason, "signature mismatch"));
}

static void
test_rejects_wrong_path (void)
{
  g_autoptr(Parsed) p = parse_signed_request ("converse-model-arn");
  g_autofree char *reason = NULL;
  g_autofree char *decoded = g_uri_unescape_string (p->path, NULL);

  /* The same path with ':' and '/' unescaped is another canonical URI (no double encoding). */
  g_free (p->path);
  p->path = g_steal_pointer (&decoded);
  g_assert_false (check (p, SECRET, "us-west-2", &reason));
  g_assert_nonnull (strstr (reason, "signature mismatch"));
}

static void
test_rejects_wrong_secret_and_header (void)
{
  g_autoptr(Parsed) p = parse_signed_request ("converse-foundation-model");
  g_autofree char *reason = NULL;
  g_autofree char *reason2 = NULL;
  g_autofree char *reason3 = NULL;

  g_assert_false (check (p, "not-the-secret", "us-east-1", &reason));
  g_assert_false (check (p, SECRET, "eu-west-1", &reason2));
  g_assert_nonnull (strstr (reason2, "scope"));
  for (guint i = 0; p->names->pdata[i] != NULL; i++)
    if (g_ascii_strcasecmp (p->names->pdata[i], "Content-Type") == 0)
      {
        g_free (p->values->pdata[i]);
        p->values->pdata[i] = g_strdup ("text/plain");
      }
  g_assert_false (check (p, SECRET, "us-east-1", &reason3));
}

/* ----- S3 rules (issue 18) ------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *names;
  GPtrArray *values;
} S3Headers;

static void
s3_headers_set (S3Headers  *h,
                const char *name,
                const char *value)
{
  for (guint i = 0; i < h->names->len; i++)
    if (g_ascii_strcasecmp (h->names->pdata[i], name) == 0)
      {
        g_free (h->values->pdata[i]);
        h->values->pdata[i] = g_strdup (value);
        return;
      }
  g_ptr_array_add (h->names, g_strdup (name));
  g_ptr_array_add (h->values, g_strdup (value));
}

/* One of the S3 API Reference's examples (tests/data/bedrock/sigv4/s3-examples), as it goes on
 * the wire with its published Authorization header. */
static void
s3_example_headers (JsonObject *root,
                    JsonObject *c,
                    const char *signed_headers,
                    S3Headers  *h)
{
  JsonArray *headers = json_object_get_array_member (c, "headers");
  g_autofree char *authorization = NULL;

  h->names = g_ptr_array_new_with_free_func (g_free);
  h->values = g_ptr_array_new_with_free_func (g_free);
  s3_headers_set (h, "Host", json_object_get_string_member (root, "host"));
  for (guint j = 0; j < json_array_get_length (headers); j++)
    {
      JsonArray *pair = json_array_get_array_element (headers, j);

      s3_headers_set (h, json_array_get_string_element (pair, 0),
                      json_array_get_string_element (pair, 1));
    }
  s3_headers_set (h, "x-amz-date", json_object_get_string_member (root, "time"));
  s3_headers_set (h, "x-amz-content-sha256", json_object_get_string_member (c, "content_sha256"));
  authorization = g_strdup_printf ("AWS4-HMAC-SHA256 Credential=%s/20130524/us-east-1/s3/aws4_request,"
                                   "SignedHeaders=%s,Signature=%s",
                                   json_object_get_string_member (root, "access_key_id"),
                                   signed_headers != NULL ? signed_headers
                                                          : json_object_get_string_member (c, "signed_headers"),
                                   json_object_get_string_member (c, "signature"));
  s3_headers_set (h, "Authorization", authorization);
}

static gboolean
s3_check (JsonObject *root,
          JsonObject *c,
          S3Headers  *h,
          const char *path,
          const char *body,
          char      **reason)
{
  const char *query = json_object_get_string_member (c, "query");
  Sigv4VerifierRequest raw = { 0 };
  gboolean ok;

  g_ptr_array_add (h->names, NULL);
  g_ptr_array_add (h->values, NULL);
  raw.method = json_object_get_string_member (c, "method");
  raw.raw_path = path != NULL ? path : json_object_get_string_member (c, "path");
  raw.raw_query = *query != '\0' ? query : NULL;
  raw.header_names = (const char **) h->names->pdata;
  raw.header_values = (const char **) h->values->pdata;
  raw.body = (const guint8 *) (body != NULL ? body : json_object_get_string_member (c, "body"));
  raw.body_len = strlen ((const char *) raw.body);
  ok = sigv4_verifier_check (&raw, json_object_get_string_member (root, "access_key_id"),
                             json_object_get_string_member (root, "secret_access_key"),
                             "us-east-1", "s3", reason);
  g_ptr_array_set_size (h->names, h->names->len - 1);
  g_ptr_array_set_size (h->values, h->values->len - 1);
  return ok;
}

static void
s3_headers_clear (S3Headers *h)
{
  g_ptr_array_unref (h->names);
  g_ptr_array_unref (h->values);
}

static JsonObject *
load_s3_examples (JsonParser *parser)
{
  g_autofree char *path = sextant_test_reference_path ("bedrock/sigv4/s3-examples/s3-examples.json");
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* The four published S3 examples pass (the PUT key's `$` raw or escaped alike), and a changed
 * body, an unsigned or missing x-amz-content-sha256 and an aws-chunked body are refused. */
static void
test_s3_examples (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = load_s3_examples (parser);
  JsonArray *examples = json_object_get_array_member (root, "cases");
  JsonObject *put = json_array_get_object_element (examples, 1);
  S3Headers h;

  for (guint i = 0; i < json_array_get_length (examples); i++)
    {
      JsonObject *c = json_array_get_object_element (examples, i);
      g_autofree char *reason = NULL;

      s3_example_headers (root, c, NULL, &h);
      if (!s3_check (root, c, &h, NULL, NULL, &reason))
        g_error ("%s rejected: %s", json_object_get_string_member (c, "name"), reason);
      s3_headers_clear (&h);
    }

  {
    g_autofree char *reason = NULL;

    s3_example_headers (root, put, NULL, &h);
    g_assert_true (s3_check (root, put, &h, "/test%24file.text", NULL, &reason));
    g_assert_false (s3_check (root, put, &h, NULL, "Welcome to Amazon S4.", &reason));
    g_assert_nonnull (strstr (reason, "is not the body's hash"));
    g_clear_pointer (&reason, g_free);
    s3_headers_set (&h, "Content-Encoding", "aws-chunked");
    g_assert_false (s3_check (root, put, &h, NULL, NULL, &reason));
    g_assert_nonnull (strstr (reason, "aws-chunked"));
    s3_headers_clear (&h);
  }
  {
    g_autofree char *reason = NULL;

    s3_example_headers (root, put, "date;host;x-amz-date;x-amz-storage-class", &h);
    g_assert_false (s3_check (root, put, &h, NULL, NULL, &reason));
    g_assert_nonnull (strstr (reason, "S3 needs x-amz-content-sha256"));
    s3_headers_clear (&h);
  }
}

/* Sextant's S3 signing of a key that needs escaping (`:` and a space), checked by the verifier's
 * own S3 rules; the same message signed by the Bedrock rule (the path encoded twice) fails. */
static void
test_s3_signer_agrees (void)
{
  g_autoptr(SextantSigv4Signer) signer = sextant_sigv4_signer_new ("eu-west-1", "s3");
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", "https://bucket.s3.eu-west-1.amazonaws.com/runs/a%3Ab/c%20d.json");
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"shard\":0}", 11);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *reason = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  Sigv4VerifierRequest raw = { 0 };
  GUri *uri;

  sextant_sigv4_signer_set_credentials (signer, AKID, SECRET, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Type",
                                "application/json");
  g_assert_true (sextant_sigv4_signer_sign_s3_message (signer, msg, body, NULL, &error));
  g_assert_no_error (error);
  soup_message_headers_iter_init (&iter, soup_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_ptr_array_add (names, (gpointer) name);
      g_ptr_array_add (values, (gpointer) value);
    }
  g_ptr_array_add (names, NULL);
  g_ptr_array_add (values, NULL);
  uri = soup_message_get_uri (msg);
  raw.method = "PUT";
  raw.raw_path = g_uri_get_path (uri);
  raw.header_names = (const char **) names->pdata;
  raw.header_values = (const char **) values->pdata;
  raw.body = g_bytes_get_data (body, &raw.body_len);
  if (!sigv4_verifier_check (&raw, AKID, SECRET, "eu-west-1", "s3", &reason))
    g_error ("S3 signature rejected: %s", reason);

  /* the same request signed with the body's hash but the path encoded twice, as for other
   * services: only the canonical path differs, and the verifier's S3 rule refuses it */
  for (guint s3 = 0; s3 < 2; s3++)
    {
      g_autoptr(SoupMessageHeaders) h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      g_autoptr(SextantSigv4Signature) sig = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      g_clear_pointer (&reason, g_free);
      soup_message_headers_append (h, "Host", "bucket.s3.eu-west-1.amazonaws.com");
      soup_message_headers_append (h, "Content-Type", "application/json");
      sig = sextant_sigv4_signer_sign (signer, "PUT", raw.raw_path, NULL, h, raw.body,
                                       raw.body_len, now,
                                       s3 ? SEXTANT_SIGV4_S3
                                          : SEXTANT_SIGV4_SIGN_BODY | SEXTANT_SIGV4_NO_NORMALIZE_PATH);
      g_ptr_array_set_size (names, 0);
      g_ptr_array_set_size (values, 0);
      soup_message_headers_iter_init (&iter, h);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        {
          g_ptr_array_add (names, (gpointer) name);
          g_ptr_array_add (values, (gpointer) value);
        }
      g_ptr_array_add (names, NULL);
      g_ptr_array_add (values, NULL);
      raw.header_names = (const char **) names->pdata;
      raw.header_values = (const char **) values->pdata;
      if (s3)
        g_assert_true (sigv4_verifier_check (&raw, AKID, SECRET, "eu-west-1", "s3", &reason));
      else
        {
          g_assert_false (sigv4_verifier_check (&raw, AKID, SECRET, "eu-west-1", "s3", &reason));
          g_assert_nonnull (strstr (reason, "signature mismatch"));
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/bedrock/verifier/accepts-published", test_accepts_published_requests);
  g_test_add_func ("/sextant/bedrock/verifier/rejects-tampered-body", test_rejects_tampered_body);
  g_test_add_func ("/sextant/bedrock/verifier/rejects-wrong-path", test_rejects_wrong_path);
  g_test_add_func ("/sextant/bedrock/verifier/s3-examples", test_s3_examples);
  g_test_add_func ("/sextant/bedrock/verifier/s3-signer-agrees", test_s3_signer_agrees);
  g_test_add_func ("/sextant/bedrock/verifier/rejects-wrong-secret-header", test_rejects_wrong_secret_and_header);

  return g_test_run ();
}
