#define G_LOG_DOMAIN "test-sigv4"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

/* Every case of the AWS SigV4 suite in tests/data/bedrock/sigv4/ (both layouts) and the
 * Bedrock-derived cases: the expected canonical request, string to sign, signature and
 * Authorization value are the files beside each request, compared byte for byte. */

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
/* Session token of get-vanilla-with-session-token, from sigv4/README.md. */
#define VANILLA_TOKEN "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"

typedef struct
{
  char               *method;
  char               *path;
  char               *query;
  SoupMessageHeaders *headers;
  GBytes             *body;
} RawRequest;

static void
raw_request_free (RawRequest *req)
{
  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  soup_message_headers_unref (req->headers);
  g_bytes_unref (req->body);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawRequest, raw_request_free)

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);

  return text;
}

/* Parses the suite's raw request format: request line, headers (continuation lines start with
 * whitespace: obsolete line folding), a blank line, then the body. */
static RawRequest *
parse_request (const char *text)
{
  RawRequest *req = g_new0 (RawRequest, 1);
  const char *body = strstr (text, "\n\n");
  g_autofree char *head = body != NULL ? g_strndup (text, body - text) : g_strdup (text);
  g_auto(GStrv) lines = g_strsplit (head, "\n", -1);
  g_autofree char *target = NULL;
  g_autofree char *name = NULL;
  GString *value = NULL;
  char *space;
  char *question;

  req->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  space = strchr (lines[0], ' ');
  g_assert_nonnull (space);
  req->method = g_strndup (lines[0], space - lines[0]);
  g_assert_true (g_str_has_suffix (space + 1, " HTTP/1.1"));
  target = g_strndup (space + 1, strlen (space + 1) - strlen (" HTTP/1.1"));
  question = strchr (target, '?');
  req->path = question != NULL ? g_strndup (target, question - target) : g_strdup (target);
  req->query = question != NULL ? g_strdup (question + 1) : NULL;

  for (guint i = 1; lines[i] != NULL; i++)
    {
      char *colon;

      if (lines[i][0] == '\0')
        continue;
      if (lines[i][0] == ' ' || lines[i][0] == '\t')
        {
          g_assert_nonnull (value);
          g_string_append_printf (value, " %s", lines[i]);
          continue;
        }
      if (name != NULL)
        soup_message_headers_append (req->headers, name, value->str);
      g_clear_pointer (&name, g_free);
      if (value != NULL)
        g_string_free (value, TRUE);
      colon = strchr (lines[i], ':');
      g_assert_nonnull (colon);
      name = g_strndup (lines[i], colon - lines[i]);
      value = g_string_new (colon + 1);
    }
  if (name != NULL)
    soup_message_headers_append (req->headers, name, value->str);
  if (value != NULL)
    g_string_free (value, TRUE);
  req->body = body != NULL ? g_bytes_new (body + 2, strlen (body + 2)) : g_bytes_new (NULL, 0);

  return req;
}

static GDateTime *
suite_time (void)
{
  /* 20150830T123600Z, the timestamp of every case (sigv4/README.md). */
  return g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
}

static SextantSigv4Signature *
sign_raw (RawRequest        *req,
          const char        *region,
          const char        *service,
          const char        *token,
          SextantSigv4Flags  flags)
{
  g_autoptr(SextantSigv4Signer) signer = sextant_sigv4_signer_new (region, service);
  g_autoptr(GDateTime) when = suite_time ();
  gsize len;
  const guint8 *data = g_bytes_get_data (req->body, &len);

  sextant_sigv4_signer_set_credentials (signer, AKID, SECRET, token);

  return sextant_sigv4_signer_sign (signer, req->method, req->path, req->query, req->headers,
                                    data, len, when, flags);
}

static void
check_aws4_case (const char *dir,
                 const char *name)
{
  g_autofree char *base = g_build_filename (dir, name, NULL);
  g_autofree char *req_path = g_strconcat (base, ".req", NULL);
  g_autofree char *creq_path = g_strconcat (base, ".creq", NULL);
  g_autofree char *sts_path = g_strconcat (base, ".sts", NULL);
  g_autofree char *authz_path = g_strconcat (base, ".authz", NULL);
  g_autofree char *req_text = read_text (req_path);
  g_autofree char *creq = read_text (creq_path);
  g_autofree char *sts = read_text (sts_path);
  g_autofree char *authz = read_text (authz_path);
  g_autoptr(RawRequest) req = parse_request (req_text);
  g_autoptr(SextantSigv4Signature) sig = NULL;
  const char *token = NULL;
  SextantSigv4Flags flags = SEXTANT_SIGV4_FLAGS_NONE;

  /* The session-token cases: the token is added by the signer (README), and
   * post-sts-header-after adds it after signing. */
  if (strcmp (name, "get-vanilla-with-session-token") == 0)
    token = VANILLA_TOKEN;
  if (strcmp (name, "post-sts-header-after") == 0)
    {
      token = "AQoDYXdzEPT//////////wEXAMPLE";
      flags |= SEXTANT_SIGV4_OMIT_SESSION_TOKEN;
    }
  sig = sign_raw (req, "us-east-1", "service", token, flags);
  g_test_message ("aws4_testsuite %s", name);
  g_assert_cmpstr (sig->canonical_request, ==, creq);
  g_assert_cmpstr (sig->string_to_sign, ==, sts);
  g_assert_cmpstr (sig->authorization, ==, authz);
}

static guint
walk_aws4 (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *leaf = g_path_get_basename (dir);
  g_autofree char *req = g_strdup_printf ("%s/%s.req", dir, leaf);
  const char *entry;
  guint n = 0;

  if (g_file_test (req, G_FILE_TEST_EXISTS))
    {
      check_aws4_case (dir, leaf);
      return 1;
    }
  while (d != NULL && (entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, entry, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        n += walk_aws4 (child);
    }

  return n;
}

static void
test_aws4_testsuite (void)
{
  g_autofree char *dir = sextant_test_reference_path ("bedrock/sigv4/aws4_testsuite");

  /* 34 cases: 24 top-level + 8 normalize-path + 2 post-sts-token (sigv4/README.md). */
  g_assert_cmpuint (walk_aws4 (dir), ==, 34);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  return json_object_has_member (object, name) ? json_object_get_string_member (object, name) : NULL;
}

static gboolean
member_bool (JsonObject *object,
             const char *name)
{
  return json_object_has_member (object, name) && json_object_get_boolean_member (object, name);
}

static char *
authorization_of_signed_request (const char *text)
{
  const char *line = strstr (text, "Authorization:");
  const char *end;

  g_assert_nonnull (line);
  line += strlen ("Authorization:");
  while (*line == ' ')
    line++;
  end = strchr (line, '\n');

  return end != NULL ? g_strndup (line, end - line) : g_strdup (line);
}

static void
check_v4_case (const char *dir)
{
  g_autofree char *context_path = g_build_filename (dir, "context.json", NULL);
  g_autofree char *request_path = g_build_filename (dir, "request.txt", NULL);
  g_autofree char *creq_path = g_build_filename (dir, "header-canonical-request.txt", NULL);
  g_autofree char *sts_path = g_build_filename (dir, "header-string-to-sign.txt", NULL);
  g_autofree char *sig_path = g_build_filename (dir, "header-signature.txt", NULL);
  g_autofree char *sreq_path = g_build_filename (dir, "header-signed-request.txt", NULL);
  g_autofree char *request_text = read_text (request_path);
  g_autofree char *creq = read_text (creq_path);
  g_autofree char *sts = read_text (sts_path);
  g_autofree char *signature = read_text (sig_path);
  g_autofree char *sreq = read_text (sreq_path);
  g_autofree char *authz = authorization_of_signed_request (sreq);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RawRequest) req = parse_request (request_text);
  g_autoptr(SextantSigv4Signature) sig = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *context;
  JsonObject *credentials;
  SextantSigv4Flags flags = SEXTANT_SIGV4_FLAGS_NONE;

  json_parser_load_from_file (parser, context_path, &error);
  g_assert_no_error (error);
  context = json_node_get_object (json_parser_get_root (parser));
  credentials = json_object_get_object_member (context, "credentials");
  g_assert_cmpstr (member_string (credentials, "access_key_id"), ==, AKID);
  g_assert_cmpstr (member_string (credentials, "secret_access_key"), ==, SECRET);
  g_assert_cmpstr (member_string (context, "timestamp"), ==, "2015-08-30T12:36:00Z");
  if (json_object_has_member (context, "normalize") && !member_bool (context, "normalize"))
    flags |= SEXTANT_SIGV4_NO_NORMALIZE_PATH;
  if (member_bool (context, "sign_body"))
    flags |= SEXTANT_SIGV4_SIGN_BODY;
  if (member_bool (context, "omit_session_token"))
    flags |= SEXTANT_SIGV4_OMIT_SESSION_TOKEN;

  g_test_message ("v4 case %s", dir);
  sig = sign_raw (req, member_string (context, "region"), member_string (context, "service"),
                  member_string (credentials, "token"), flags);
  g_assert_cmpstr (sig->canonical_request, ==, creq);
  g_assert_cmpstr (sig->string_to_sign, ==, sts);
  g_assert_cmpstr (sig->signature, ==, signature);
  g_assert_cmpstr (sig->authorization, ==, authz);
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "Authorization"), ==, authz);
}

static guint
walk_v4 (const char *relative)
{
  g_autofree char *dir = sextant_test_reference_path (relative);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;
  guint n = 0;

  g_assert_nonnull (d);
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, entry, NULL);
      g_autofree char *context = g_build_filename (child, "context.json", NULL);

      if (!g_file_test (context, G_FILE_TEST_EXISTS))
        continue;
      check_v4_case (child);
      n++;
    }

  return n;
}

static void
test_aws_signing_test_suite_v4 (void)
{
  /* 38 case folders in aws-signing-test-suite-v4/ (counted with ls -d). */
  g_assert_cmpuint (walk_v4 ("bedrock/sigv4/aws-signing-test-suite-v4"), ==, 38);
}

static void
test_bedrock_derived (void)
{
  /* 7 cases listed in sigv4/README.md. */
  g_assert_cmpuint (walk_v4 ("bedrock/sigv4/bedrock-derived"), ==, 7);
}

static void
test_canonical_uri_double_encoding (void)
{
  g_autofree char *a = sextant_sigv4_canonical_uri ("/model/amazon.nova-lite-v1%3A0/converse", TRUE);
  g_autofree char *b = sextant_sigv4_canonical_uri ("/model/arn%3Aaws%2Fx/converse", TRUE);
  g_autofree char *c = sextant_sigv4_canonical_uri ("/a/./b/../c//", TRUE);

  /* PROTOCOL.md §1: `%3A` -> `%253A`, `%2F` -> `%252F`. */
  g_assert_cmpstr (a, ==, "/model/amazon.nova-lite-v1%253A0/converse");
  g_assert_cmpstr (b, ==, "/model/arn%253Aaws%252Fx/converse");
  g_assert_cmpstr (c, ==, "/a/c/");
}

/* The libsoup path: a SoupMessage built from the wire URL of converse-model-arn is signed with
 * the Host/Content-Type the request file shows and must give that case's signature. */
static void
test_sign_message_matches_vector (void)
{
  g_autofree char *dir = sextant_test_reference_path ("bedrock/sigv4/bedrock-derived/converse-model-arn");
  g_autofree char *sig_path = g_build_filename (dir, "header-signature.txt", NULL);
  g_autofree char *signature = read_text (sig_path);
  g_autoptr(SextantSigv4Signer) signer = sextant_sigv4_signer_new ("us-west-2", "bedrock");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GDateTime) when = suite_time ();
  g_autoptr(GError) error = NULL;
  const char *json = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello\"}]}]}";
  const char *authz;

  msg = soup_message_new ("POST", "https://bedrock-runtime.us-west-2.amazonaws.com/model/"
                          "arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2F"
                          "us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse");
  g_assert_nonnull (msg);
  body = g_bytes_new_static (json, strlen (json));
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Type",
                                "application/json");
  sextant_sigv4_signer_set_credentials (signer, AKID, SECRET, NULL);
  g_assert_true (sextant_sigv4_signer_sign_message (signer, msg, body, when, &error));
  g_assert_no_error (error);
  authz = soup_message_headers_get_one (soup_message_get_request_headers (msg), "Authorization");
  g_assert_nonnull (authz);
  g_assert_true (g_str_has_suffix (authz, signature));
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_request_headers (msg), "Host"),
                   ==, "bedrock-runtime.us-west-2.amazonaws.com");
}

/* S3's rules (issue 18): the wire path is encoded once, never normalized, and `%2F` in a key
 * stays escaped; the other services' rule encodes it a second time (PROTOCOL.md §1). */
static void
test_canonical_uri_s3 (void)
{
  static const char *cases[][2] = {
    { "/runs/a%3Ab/c%20d.json", "/runs/a%3Ab/c%20d.json" },
    { "/test$file.text", "/test%24file.text" },
    { "/a/./b/../c//d", "/a/./b/../c//d" },
    { "/key%2Fwith-slash", "/key%2Fwith-slash" },
    { "/%e2%82%ac~x", "/%E2%82%AC~x" },
    { "", "/" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *uri = sextant_sigv4_canonical_uri_s3 (cases[i][0]);

      g_assert_cmpstr (uri, ==, cases[i][1]);
    }
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

static GDateTime *
s3_example_time (void)
{
  return g_date_time_new_utc (2013, 5, 24, 0, 0, 0);
}

/* The four worked examples of the S3 API Reference (tests/data/bedrock/sigv4/s3-examples, whose
 * README says where they come from and how botocore was checked against them): the S3 mode of
 * the signer adds X-Amz-Content-SHA256, the hex SHA-256 of the body, signs it, and gives the
 * published canonical request, string to sign and signature. */
static void
test_s3_examples (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = load_s3_examples (parser);
  JsonArray *cases = json_object_get_array_member (root, "cases");
  g_autoptr(SextantSigv4Signer) signer = sextant_sigv4_signer_new (
    json_object_get_string_member (root, "region"), "s3");
  g_autoptr(GDateTime) when = s3_example_time ();

  g_assert_cmpuint (json_array_get_length (cases), ==, 4);
  sextant_sigv4_signer_set_credentials (signer, json_object_get_string_member (root, "access_key_id"),
                                        json_object_get_string_member (root, "secret_access_key"),
                                        NULL);
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonArray *headers = json_object_get_array_member (c, "headers");
      const char *body = json_object_get_string_member (c, "body");
      const char *query = json_object_get_string_member (c, "query");
      g_autoptr(SoupMessageHeaders) h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      g_autoptr(SextantSigv4Signature) sig = NULL;

      soup_message_headers_append (h, "Host", json_object_get_string_member (root, "host"));
      for (guint j = 0; j < json_array_get_length (headers); j++)
        {
          JsonArray *pair = json_array_get_array_element (headers, j);

          soup_message_headers_append (h, json_array_get_string_element (pair, 0),
                                       json_array_get_string_element (pair, 1));
        }
      sig = sextant_sigv4_signer_sign (signer, json_object_get_string_member (c, "method"),
                                       json_object_get_string_member (c, "path"),
                                       *query != '\0' ? query : NULL, h, (const guint8 *) body,
                                       strlen (body), when, SEXTANT_SIGV4_S3);
      g_test_message ("%s", json_object_get_string_member (c, "name"));
      g_assert_cmpstr (soup_message_headers_get_one (h, "X-Amz-Content-SHA256"), ==,
                       json_object_get_string_member (c, "content_sha256"));
      g_assert_cmpstr (sig->canonical_request, ==,
                       json_object_get_string_member (c, "canonical_request"));
      g_assert_cmpstr (sig->string_to_sign, ==, json_object_get_string_member (c, "string_to_sign"));
      g_assert_cmpstr (sig->signed_headers, ==, json_object_get_string_member (c, "signed_headers"));
      g_assert_cmpstr (sig->signature, ==, json_object_get_string_member (c, "signature"));
    }
}

/* The libsoup path for S3: a SoupMessage to the examples' URLs, signed by
 * sextant_sigv4_signer_sign_s3_message(), carries the published signature, the body's hash and
 * a plain Content-Length body (not aws-chunked). */
static void
test_s3_sign_message (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = load_s3_examples (parser);
  JsonArray *cases = json_object_get_array_member (root, "cases");
  g_autoptr(SextantSigv4Signer) signer = sextant_sigv4_signer_new ("us-east-1", "s3");
  g_autoptr(GDateTime) when = s3_example_time ();

  sextant_sigv4_signer_set_credentials (signer, json_object_get_string_member (root, "access_key_id"),
                                        json_object_get_string_member (root, "secret_access_key"),
                                        NULL);
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonArray *headers = json_object_get_array_member (c, "headers");
      const char *body_text = json_object_get_string_member (c, "body");
      const char *query = json_object_get_string_member (c, "query");
      g_autofree char *url = g_strdup_printf ("https://%s%s%s%s",
                                              json_object_get_string_member (root, "host"),
                                              json_object_get_string_member (c, "path"),
                                              *query != '\0' ? "?" : "", query);
      g_autoptr(SoupMessage) msg = soup_message_new (json_object_get_string_member (c, "method"), url);
      g_autoptr(GBytes) body = *body_text != '\0' ? g_bytes_new (body_text, strlen (body_text)) : NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *suffix = g_strconcat ("Signature=", json_object_get_string_member (c, "signature"), NULL);
      SoupMessageHeaders *h;

      g_assert_nonnull (msg);
      h = soup_message_get_request_headers (msg);
      for (guint j = 0; j < json_array_get_length (headers); j++)
        {
          JsonArray *pair = json_array_get_array_element (headers, j);

          soup_message_headers_append (h, json_array_get_string_element (pair, 0),
                                       json_array_get_string_element (pair, 1));
        }
      g_assert_true (sextant_sigv4_signer_sign_s3_message (signer, msg, body, when, &error));
      g_assert_no_error (error);
      g_assert_true (g_str_has_suffix (soup_message_headers_get_one (h, "Authorization"), suffix));
      g_assert_cmpstr (soup_message_headers_get_one (h, "X-Amz-Content-SHA256"), ==,
                       json_object_get_string_member (c, "content_sha256"));
      g_assert_cmpstr (soup_message_headers_get_one (h, "X-Amz-Date"), ==, "20130524T000000Z");
      g_assert_null (soup_message_headers_get_one (h, "Content-Encoding"));
      if (body != NULL)
        {
          g_assert_cmpint (soup_message_headers_get_encoding (h), ==, SOUP_ENCODING_CONTENT_LENGTH);
          g_assert_cmpint (soup_message_headers_get_content_length (h), ==, strlen (body_text));
        }
    }
}

static void
test_bearer_auth (void)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", "https://example.com/model/x/converse");
  g_autofree char *redacted = NULL;

  sextant_bearer_auth_apply (msg, "bedrock-api-key-EXAMPLE123");
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_request_headers (msg), "Authorization"),
                   ==, "Bearer bedrock-api-key-EXAMPLE123");
  /* The key was registered as a secret, so a log line holding it is redacted. */
  redacted = sextant_log_writer_redact ("key=bedrock-api-key-EXAMPLE123");
  g_assert_null (strstr (redacted, "bedrock-api-key-EXAMPLE123"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/bedrock/sigv4/aws4-testsuite", test_aws4_testsuite);
  g_test_add_func ("/sextant/bedrock/sigv4/aws-signing-test-suite-v4", test_aws_signing_test_suite_v4);
  g_test_add_func ("/sextant/bedrock/sigv4/bedrock-derived", test_bedrock_derived);
  g_test_add_func ("/sextant/bedrock/sigv4/canonical-uri", test_canonical_uri_double_encoding);
  g_test_add_func ("/sextant/bedrock/sigv4/sign-message", test_sign_message_matches_vector);
  g_test_add_func ("/sextant/bedrock/sigv4/bearer", test_bearer_auth);
  g_test_add_func ("/sextant/bedrock/sigv4/s3-canonical-uri", test_canonical_uri_s3);
  g_test_add_func ("/sextant/bedrock/sigv4/s3-examples", test_s3_examples);
  g_test_add_func ("/sextant/bedrock/sigv4/s3-sign-message", test_s3_sign_message);

  return g_test_run ();
}
