#define G_LOG_DOMAIN "test-bedrock-verifier"

#include "config.h"

#include <string.h>

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/bedrock/verifier/accepts-published", test_accepts_published_requests);
  g_test_add_func ("/sextant/bedrock/verifier/rejects-tampered-body", test_rejects_tampered_body);
  g_test_add_func ("/sextant/bedrock/verifier/rejects-wrong-path", test_rejects_wrong_path);
  g_test_add_func ("/sextant/bedrock/verifier/rejects-wrong-secret-header", test_rejects_wrong_secret_and_header);

  return g_test_run ();
}
